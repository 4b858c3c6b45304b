package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sluice.internal.txn.TransactionApi;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * An HTTP commit whose first attempt decided it but whose answer was lost is asked again: the coordinator answers the
 * repeat CONCURRENT_TRANSACTIONS while it completes the commit, then success; the caller gets 204, not a 503 for a
 * commit that happened. A refusal that is not retriable is answered at once.
 */
class TransactionEndTest {

    private final TransactionApi coordinator = mock(TransactionApi.class);
    private final HttpTransactions transactions = new HttpTransactions(null, coordinator, null);
    private final TransactionToken txn = new TransactionToken("orders-1", 7, (short) 0);

    @Test
    void aCommitStillBeingCompletedIsAskedAgainUntilTheCoordinatorAnswersItDone() {
        when(coordinator.endTxn(any())).thenReturn(
                Mono.error(ErrorCode.CONCURRENT_TRANSACTIONS.exception("still completing")),
                Mono.error(ErrorCode.CONCURRENT_TRANSACTIONS.exception("still completing")),
                Mono.empty());

        transactions.end(txn, true).block();

        verify(coordinator, times(3)).endTxn(any());
    }

    @Test
    void aFencedCommitIsAnsweredAtOnce() {
        when(coordinator.endTxn(any())).thenReturn(Mono.error(ErrorCode.PRODUCER_FENCED.exception("fenced")));

        assertThatThrownBy(() -> transactions.end(txn, true).block()).isInstanceOf(SluiceException.class)
                .hasMessageContaining("fenced");
        verify(coordinator, times(1)).endTxn(any());
    }
}
