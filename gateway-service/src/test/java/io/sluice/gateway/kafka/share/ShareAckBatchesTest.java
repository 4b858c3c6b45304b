package io.sluice.gateway.kafka.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.ShareAcknowledgeRequest.Item;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Acknowledgement batches as range items: runs of one type, gaps left out, malformed batches refused whole. */
class ShareAckBatchesTest {

    private static List<Item> items(long first, long last, Integer... types) {
        List<Item> items = new ArrayList<>();
        String fault = ShareAckBatches.items(new ShareAckBatches.Batch(first, last,
                List.of(types).stream().map(Integer::byteValue).toList()), items);
        assertThat(fault).as("a well-formed batch").isNull();
        return items;
    }

    private static String fault(long first, long last, Integer... types) {
        List<Item> items = new ArrayList<>();
        String fault = ShareAckBatches.items(new ShareAckBatches.Batch(first, last,
                List.of(types).stream().map(Integer::byteValue).toList()), items);
        assertThat(items).as("nothing added for a malformed batch").isEmpty();
        return fault;
    }

    @Test
    void whenBatchHasOneTypeShouldBeOneRange() {
        assertThat(items(3, 9, 1)).containsExactly(Item.range(3, 9, AcknowledgeType.ACCEPT));
    }

    @Test
    void whenBatchHasATypePerOffsetShouldBeOneRangePerRunWithoutGaps() {
        assertThat(items(10, 15, 1, 1, 0, 2, 3, 3)).containsExactly(Item.range(10, 11, AcknowledgeType.ACCEPT),
                Item.range(13, 13, AcknowledgeType.RELEASE), Item.range(14, 15, AcknowledgeType.REJECT));
        assertThat(items(0, 1, 4, 4)).containsExactly(Item.range(0, 1, AcknowledgeType.RENEW));
        assertThat(items(0, 2, 0)).as("all gap").isEmpty();
    }

    @Test
    void whenBatchIsMalformedShouldBeRefusedWhole() {
        assertThat(fault(5, 4, 1)).contains("first offset");
        assertThat(fault(-1, 4, 1)).contains("first offset");
        assertThat(fault(0, 3, 1, 1)).contains("one per offset");
        assertThat(fault(0, 1, 1, 9)).contains("Unknown acknowledge type 9");
    }
}
