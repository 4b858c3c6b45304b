package io.sluice.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyShort;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sluice.coordinator.group.TransactionalCommits;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.testing.TestProperties;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.txn.TxnEndRequest;
import io.sluice.internal.txn.TxnGroupRequest;
import io.sluice.internal.txn.TxnInitRequest;
import io.sluice.internal.txn.TxnOffsetCommitRequest;
import io.sluice.internal.txn.TxnPartitionsRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Calls refused before anything is asked of the transaction manager (here none exists: touching it would fail
 * otherwise): a missing or overlong transactional id, and a TxnOffsetCommit of offsets a group's own commit refuses.
 */
class TransactionServiceTest {

    private final TransactionService service = new TransactionService(null, null,
            TestProperties.coordinator(Duration.ofSeconds(5)), null);
    private static final String TOO_LONG = "t".repeat(TransactionService.MAX_TRANSACTIONAL_ID_LENGTH + 1);

    private static void assertInvalid(Mono<?> call) {
        assertThatThrownBy(call::block).isInstanceOf(SluiceException.class)
                .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
    }

    @Test
    void aMissingOrOverlongTransactionalIdIsRefusedAndReachesNothing() {
        for (String id : new String[] {null, "", TOO_LONG}) {
            assertInvalid(service.initProducerId(new TxnInitRequest(id, 60_000, -1, (short) -1)));
            assertInvalid(service.addPartitions(new TxnPartitionsRequest(id, 1, (short) 0,
                    List.of(new TopicPartition("t", 0)))));
            assertInvalid(service.addOffsets(new TxnGroupRequest(id, 1, (short) 0, "g")));
            assertInvalid(service.endTxn(new TxnEndRequest(id, 1, (short) 0, true)));
            assertInvalid(service.describe(id));
        }
    }

    @Test
    void aTxnOffsetCommitForATopicThatDoesNotExistIsUnknownTopicAndKeepsNothing() {
        TransactionManager manager = mock(TransactionManager.class);
        when(manager.isReady()).thenReturn(true);
        MetadataManager metadata = mock(MetadataManager.class);
        when(metadata.view()).thenReturn(MetadataView.empty());
        TransactionService service = new TransactionService(manager, metadata,
                TestProperties.coordinator(Duration.ofSeconds(5)), mock(TransactionalCommits.class));
        TxnOffsetCommitRequest request = new TxnOffsetCommitRequest("txn", 1, (short) 0, "g",
                List.of(new PartitionOffset("orders", 0, 5L, null, null)));

        assertThatThrownBy(() -> service.commitOffsets(request).block()).isInstanceOf(SluiceException.class)
                .extracting(e -> ((SluiceException) e).errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC);
        verify(manager, never()).commitOffsets(any(), anyLong(), anyShort(), any(), any(), anyBoolean());
    }
}
