package io.sluice.partition.produce;

import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.log.AppendResult;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Leader appends. The entries of a request are appended in order, in one task on the log scheduler (file I/O never
 * runs on an event loop), then each is answered by {@link Acks}: acks=all waits, without polling, for the high
 * watermark to pass the batch, up to the request's timeout, after which the outcome is unknown (REQUEST_TIMED_OUT,
 * retriable); it fails with NOT_LEADER_AFTER_APPEND if this replica stops leading in the epoch it appended in (see
 * {@link Partition#awaitCommitted}).
 */
public final class ProduceService {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceService.class);

    private final ReplicaManager replicas;
    private final Scheduler logScheduler;
    private final ProduceMetrics metrics;

    public ProduceService(ReplicaManager replicas, Scheduler logScheduler, ProduceMetrics metrics) {
        this.replicas = replicas;
        this.logScheduler = logScheduler;
        this.metrics = metrics;
    }

    public Mono<ProduceResponse> produce(ByteBuffer body, Acks acks, Duration timeout) {
        List<PartitionBatches> request = ProduceRequestCodec.decode(body);
        long started = System.nanoTime();
        // One hop to the log scheduler for the whole request, appending its entries in order: a gateway that
        // coalesced several clients' requests into one sends entries for the same partition in arrival order.
        Mono<List<Appended>> appended = Mono.fromCallable(() -> request.stream()
                        .map(batches -> append(batches, acks))
                        .toList())
                .subscribeOn(logScheduler);
        if (acks == Acks.NONE) {
            appended.subscribe(results -> { }, error -> LOG.warn("acks=0 append failed: {}", error.toString()));
            return Mono.just(new ProduceResponse(request.stream()
                    .map(b -> new ProduceResponse.PartitionResult(b.partition().topic(), b.partition().partition(),
                            null, null, null, null, null, null))
                    .toList()));
        }
        return appended.flatMapMany(Flux::fromIterable)
                .flatMapSequential(entry -> answer(entry, acks, timeout, started))
                .collectList()
                .map(ProduceResponse::new);
    }

    /** Appends one entry as leader; a refusal (not leader, bad batch, …) is that entry's answer, not the request's. */
    private Appended append(PartitionBatches batches, Acks acks) {
        TopicPartition tp = batches.partition();
        try {
            Partition partition = replicas.leaderPartition(tp, batches.leaderEpoch());
            Partition.LeaderAppend append = partition.appendAsLeader(batches.batches(), batches.leaderEpoch(),
                    acks == Acks.ALL);
            metrics.appended(tp, append.result());
            return new Appended(tp, partition, append, null);
        } catch (RuntimeException e) {
            return new Appended(tp, null, null, e);
        }
    }

    /** An entry's answer once {@link Acks} is satisfied: acks=all waits for the high watermark to pass it. */
    private Mono<ProduceResponse.PartitionResult> answer(Appended appended, Acks acks, Duration timeout, long started) {
        TopicPartition tp = appended.partition();
        Mono<AppendResult> written = appended.error() != null ? Mono.error(appended.error())
                : acks != Acks.ALL ? Mono.just(appended.append().result())
                : Mono.fromFuture(appended.replica().awaitCommitted(appended.append().result().lastOffset() + 1,
                                appended.append().leaderEpoch()))
                        .timeout(timeout)
                        .thenReturn(appended.append().result());
        return written
                .map(result -> new ProduceResponse.PartitionResult(tp.topic(), tp.partition(), null, null,
                        result.firstOffset(), result.lastOffset(),
                        result.logAppendTime() < 0 ? null : result.logAppendTime(), result.logStartOffset()))
                .onErrorResume(error -> Mono.just(failure(tp, error, timeout)))
                .doOnNext(result -> metrics.produceLatency(acks, System.nanoTime() - started));
    }

    private static ProduceResponse.PartitionResult failure(TopicPartition tp, Throwable error, Duration timeout) {
        SluiceException e;
        if (error instanceof SluiceException se) {
            e = se;
        } else if (error instanceof TimeoutException) {
            e = ErrorCode.REQUEST_TIMED_OUT.exception("The in-sync replicas did not confirm within " + timeout.toMillis()
                    + " ms; the records may or may not be committed");
        } else {
            LOG.error("Unexpected produce failure on {}", tp, error);
            e = ErrorCode.UNKNOWN_SERVER_ERROR.exception("Unexpected error: " + error);
        }
        return new ProduceResponse.PartitionResult(tp.topic(), tp.partition(), e.errorCode().name(), e.getMessage(),
                null, null, null, null);
    }

    /** One entry's append: where it went, or why it was refused. */
    private record Appended(TopicPartition partition, Partition replica, Partition.LeaderAppend append,
                            RuntimeException error) {
    }
}
