package io.sluice.gateway.produce;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TxnEndRequest;
import io.sluice.internal.txn.TxnInitRequest;
import io.sluice.internal.txn.TxnPartitionsRequest;
import io.sluice.internal.txn.TxnProducer;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * {@code POST /v1/records}: records to any topics and partitions written as one transaction, so that a read_committed
 * reader sees all of them or none. The gateway is the transaction's producer, as a Kafka transactional producer is:
 *
 * <ol>
 *   <li>Every record is checked (topic exists, partition exists, size) before anything else happens.</li>
 *   <li>The request takes one of this gateway's transactional ids, {@code sluice-http-<node id>-<n>} (n below
 *       {@code sluice.gateway.produce.atomic-producers}); one request at a time uses an id.</li>
 *   <li>InitProducerId for that id: the coordinator bumps its epoch (which fences and aborts whatever the id's previous
 *       user left open) with a transaction timeout of the request's timeout and a margin, so a gateway that dies
 *       mid-request leaves a transaction the coordinator aborts.</li>
 *   <li>AddPartitionsToTxn with every partition the records go to; then the records are written
 *       ({@link TransactionalWrites}), the epoch's sequences from 0.</li>
 *   <li>Every partition written: EndTxn commit, answered once the coordinator has decided it (its markers follow, as
 *       with Kafka). Any partition not written: EndTxn abort, and the request fails with that partition's error;
 *       nothing it wrote is ever visible to read_committed readers, since the transaction never commits.</li>
 * </ol>
 *
 * <p>Read_uncommitted readers see an aborted request's records as a Kafka consumer with that setting would.
 */
@Service
class AtomicProduce {

    /** Added to the request's timeout for the transaction's: the coordinator aborts only after the request ended. */
    static final Duration TRANSACTION_MARGIN = Duration.ofSeconds(10);
    /**
     * How long after it first asked the gateway asks again for a commit or abort the coordinator answers as still
     * being completed (CONCURRENT_TRANSACTIONS: an earlier attempt of the same call decided it) or could not answer.
     */
    static final Duration END_WAIT = Duration.ofSeconds(5);
    private static final Duration BUSY_BACKOFF = Duration.ofMillis(20);

    private final TransactionalWrites writes;
    private final TransactionApi transactions;
    private final MeterRegistry meters;
    private final ConcurrentLinkedQueue<String> freeIds = new ConcurrentLinkedQueue<>();

    AtomicProduce(TransactionalWrites writes, TransactionApi transactions, GatewayProperties properties,
                  MeterRegistry meters) {
        this.writes = writes;
        this.transactions = transactions;
        this.meters = meters;
        for (int n = 0; n < properties.produce().atomicProducers(); n++) {
            freeIds.add("sluice-http-" + properties.kafka().nodeId() + "-" + n);
        }
    }

    /** Where every record landed, in request order, once the transaction is committed. */
    record Answer(String transactionalId, long producerId, short producerEpoch,
                  List<TransactionalWrites.Written> results) {
    }

    Mono<Answer> produce(List<TopicRecord> records, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return writes.checked(records).flatMap(parts -> takeId(deadline).flatMap(id -> transaction(id, parts,
                        records.size(), timeout, deadline)
                .doFinally(signal -> freeIds.add(id))))
                .doOnSuccess(answer -> meters.counter("sluice.gateway.produce.atomic", "outcome", "committed")
                        .increment())
                .doOnError(error -> meters.counter("sluice.gateway.produce.atomic", "outcome", "failed")
                        .increment());
    }

    private Mono<String> takeId(long deadline) {
        return Mono.fromSupplier(freeIds::poll)
                .repeatWhenEmpty(repeats -> repeats.concatMap(n -> System.nanoTime() < deadline
                        ? Mono.delay(BUSY_BACKOFF) : Mono.error(ErrorCode.REQUEST_TIMED_OUT.exception(
                                "Every atomic producer of this gateway stayed busy until the request's timeout"))));
    }

    private Mono<Answer> transaction(String id, List<TransactionalWrites.TopicPart> parts, int recordCount,
                                     Duration timeout, long deadline) {
        int timeoutMs = (int) timeout.plus(TRANSACTION_MARGIN).toMillis();
        return retried(() -> transactions.initProducerId(new TxnInitRequest(id, timeoutMs, -1, (short) -1)), deadline)
                .flatMap(producer -> retried(() -> transactions.addPartitions(new TxnPartitionsRequest(id,
                                producer.producerId(), producer.producerEpoch(),
                                TransactionalWrites.partitions(parts))), deadline)
                        .then(Mono.defer(() -> writes.send(producer.producerId(), producer.producerEpoch(), Map.of(),
                                parts, left(deadline))))
                        .flatMap(outcome -> end(id, producer, outcome, recordCount, deadline)));
    }

    private Mono<Answer> end(String id, TxnProducer producer, TransactionalWrites.Outcome outcome, int recordCount,
                             long deadline) {
        SluiceException failed = outcome.failure();
        if (failed != null) {
            // Best effort: an abort that does not reach the coordinator leaves the transaction open until its timeout
            // aborts it; either way it never commits.
            return transactions.endTxn(new TxnEndRequest(id, producer.producerId(), producer.producerEpoch(), false))
                    .onErrorResume(e -> Mono.empty())
                    .then(Mono.error(failed.errorCode().exception(failed.getMessage() + ". The transaction was "
                            + "aborted: no record of this request is visible to read_committed readers")));
        }
        return retried(() -> transactions.endTxn(new TxnEndRequest(id, producer.producerId(), producer.producerEpoch(),
                        true)), endDeadline(deadline))
                .onErrorMap(e -> ErrorCode.REQUEST_TIMED_OUT.exception("Every record was written, but the commit of "
                        + "transaction " + id + " (producer " + producer.producerId() + ", epoch "
                        + producer.producerEpoch() + ") was not confirmed: " + e.getMessage() + ". Whether it "
                        + "committed is unknown; read_committed readers see all of its records or none"))
                .then(Mono.fromSupplier(() -> new Answer(id, producer.producerId(), producer.producerEpoch(),
                        outcome.written(recordCount))));
    }

    /** Until when an end asked now is asked again: the request's {@code deadline}, or {@link #END_WAIT} from now. */
    static long endDeadline(long deadline) {
        return Math.max(deadline, System.nanoTime() + END_WAIT.toNanos());
    }

    static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** {@code call} again while it fails with a retriable error (CONCURRENT_TRANSACTIONS, say) before the deadline. */
    static <T> Mono<T> retried(Supplier<Mono<T>> call, long deadline) {
        return Mono.defer(call).retryWhen(Retry.backoff(Long.MAX_VALUE, BUSY_BACKOFF).maxBackoff(Duration.ofMillis(500))
                .filter(e -> e instanceof SluiceException s && s.retriable() && System.nanoTime() < deadline)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }
}
