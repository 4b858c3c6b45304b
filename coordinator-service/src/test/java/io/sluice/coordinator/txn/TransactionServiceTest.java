package io.sluice.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.txn.TxnEndRequest;
import io.sluice.internal.txn.TxnGroupRequest;
import io.sluice.internal.txn.TxnInitRequest;
import io.sluice.internal.txn.TxnPartitionsRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A call without a transactional id, or with one longer than allowed, is INVALID_REQUEST before anything is asked of
 * the transaction manager (here none exists: touching it would fail otherwise).
 */
class TransactionServiceTest {

    private final TransactionService service = new TransactionService(null, null);
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
}
