package io.sluice.gateway.kafka.transactions;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * A transaction coordinator call that joins a partition or a group to a transaction implicitly (transaction version
 * 2: a produce's partitions, a TxnOffsetCommit's group), asked again every {@value #BACKOFF_MS} ms while the
 * coordinator answers CONCURRENT_TRANSACTIONS, for at most {@code sluice.gateway.kafka.add-partitions-retry-time};
 * then that answer goes to the client. A producer under version 2 begins its next transaction as soon as its EndTxn
 * is answered, while the last one's markers are still being written, and the client's own back-off after
 * CONCURRENT_TRANSACTIONS (100 ms and growing) would cost far more than the markers take. Kafka's brokers do the same
 * ({@code add.partitions.to.txn.retry.backoff.ms}, {@code add.partitions.to.txn.retry.backoff.max.ms}).
 */
public final class WhileCompleting {

    static final long BACKOFF_MS = 20;

    private WhileCompleting() {
    }

    /** {@code call}, made again while it fails CONCURRENT_TRANSACTIONS and {@code budget} has not passed. */
    public static <T> Mono<T> retried(Supplier<Mono<T>> call, Duration budget) {
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + budget.toNanos();
            return Mono.defer(call).retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(BACKOFF_MS))
                    .filter(e -> e instanceof SluiceException refused
                            && refused.errorCode() == ErrorCode.CONCURRENT_TRANSACTIONS
                            && System.nanoTime() < deadline)
                    .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
        });
    }
}
