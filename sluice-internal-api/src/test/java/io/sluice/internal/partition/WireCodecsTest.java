package io.sluice.internal.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecsTest {

    @Test
    void produceRequestsRoundTripAndSliceTheirBatchesWithoutCopying() {
        ByteBuffer body = ProduceRequestCodec.encode(List.of(
                new PartitionBatches(new TopicPartition("orders", 0), 3, bytes("batch-a")),
                new PartitionBatches(new TopicPartition("other.topic", 7), PartitionBatches.ANY_EPOCH, bytes(""))));

        List<PartitionBatches> decoded = ProduceRequestCodec.decode(body);

        assertThat(decoded).extracting(PartitionBatches::partition)
                .containsExactly(new TopicPartition("orders", 0), new TopicPartition("other.topic", 7));
        assertThat(decoded).extracting(PartitionBatches::leaderEpoch).containsExactly(3, -1);
        assertThat(text(decoded.getFirst().batches())).isEqualTo("batch-a");
        assertThat(decoded.getFirst().batches().isDirect()).isEqualTo(body.isDirect());
    }

    @Test
    void truncatedOrInflatedProduceRequestsAreInvalidRequests() {
        ByteBuffer body = ProduceRequestCodec.encode(List.of(
                new PartitionBatches(new TopicPartition("orders", 0), 3, bytes("batch-a"))));
        for (int length = 0; length < body.remaining(); length++) {
            ByteBuffer cut = body.duplicate().limit(length);
            assertThatThrownBy(() -> ProduceRequestCodec.decode(cut))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        ByteBuffer absurd = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).flip();
        assertThatThrownBy(() -> ProduceRequestCodec.decode(absurd)).isInstanceOf(SluiceException.class);
    }

    @Test
    void fetchResponsesRoundTrip() {
        ByteBuffer records = bytes("records");
        ByteBuffer header1 = FetchResponseCodec.header(new TopicPartition("orders", 1), null, 10, 0, 12, records.remaining());
        ByteBuffer header2 = FetchResponseCodec.header(new TopicPartition("orders", 2), ErrorCode.NOT_LEADER, -1, -1, -1, 0);
        ByteBuffer body = ByteBuffer.allocate(4 + header1.remaining() + records.remaining() + header2.remaining());
        body.put(FetchResponseCodec.count(2)).put(header1).put(records).put(header2).flip();

        List<FetchResponseCodec.FetchedPartition> decoded = FetchResponseCodec.decode(body);

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0).error()).isNull();
        assertThat(decoded.get(0).highWatermark()).isEqualTo(10);
        assertThat(decoded.get(0).logEndOffset()).isEqualTo(12);
        assertThat(text(decoded.get(0).records())).isEqualTo("records");
        assertThat(decoded.get(1).error()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(decoded.get(1).records().remaining()).isZero();
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer buffer) {
        return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
    }
}
