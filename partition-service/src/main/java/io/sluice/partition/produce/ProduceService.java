package io.sluice.partition.produce;

import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.log.AppendResult;
import io.sluice.log.LeaderAppendOutcome;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>A gateway that coalesced many clients' requests sends many entries for the same partition. They are appended as
 * one group per partition (and requested leader epoch), in request order ({@link Partition#appendAsLeader(List, int,
 * boolean)}): one leadership check, one writer lock, one wake-up of the followers' fetches, and one wait for the high
 * watermark to pass the group's last entry. Each entry still has its own outcome: one refused (a corrupt batch, a
 * sequence out of order) refuses only that client's records.
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
        Mono<List<GroupAppend>> appended = Mono.fromCallable(() -> groups(request).stream()
                        .map(group -> append(request, group, acks))
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
                .flatMap(group -> committed(group, acks, timeout)
                        .map(failure -> answers(group, failure.orElse(null)))
                        .doOnNext(answers -> metrics.produceLatency(acks, System.nanoTime() - started)))
                .collectList()
                .map(answered -> {
                    ProduceResponse.PartitionResult[] results = new ProduceResponse.PartitionResult[request.size()];
                    answered.forEach(answers -> answers.forEach(answer -> results[answer.index()] = answer.result()));
                    return new ProduceResponse(List.of(results));
                });
    }

    /** The request's entries by partition and requested leader epoch, each group in request order. */
    private static List<Group> groups(List<PartitionBatches> request) {
        Map<Group.Key, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < request.size(); i++) {
            PartitionBatches entry = request.get(i);
            byKey.computeIfAbsent(new Group.Key(entry.partition(), entry.leaderEpoch()), key -> new ArrayList<>(1))
                    .add(i);
        }
        List<Group> groups = new ArrayList<>(byKey.size());
        byKey.forEach((key, indexes) -> groups.add(new Group(key.partition(), key.leaderEpoch(), indexes)));
        return groups;
    }

    /** Appends one group as leader; a refusal of them all (not leader, too few in sync, …) is the group's answer. */
    private GroupAppend append(List<PartitionBatches> request, Group group, Acks acks) {
        TopicPartition tp = group.partition();
        try {
            Partition partition = replicas.leaderPartition(tp, group.leaderEpoch());
            List<ByteBuffer> entries = new ArrayList<>(group.indexes().size());
            group.indexes().forEach(index -> entries.add(request.get(index).batches()));
            Partition.LeaderAppends appends = partition.appendAsLeader(entries, group.leaderEpoch(), acks == Acks.ALL);
            for (LeaderAppendOutcome outcome : appends.outcomes()) {
                if (outcome.error() == null) {
                    metrics.appended(tp, outcome.result());
                }
            }
            return new GroupAppend(group, partition, appends, null);
        } catch (RuntimeException e) {
            return new GroupAppend(group, null, null, e);
        }
    }

    /**
     * Empty once {@link Acks} is satisfied for the group's written entries (acks=all: the high watermark passed the
     * last of them), or why it was not.
     */
    private Mono<Optional<Throwable>> committed(GroupAppend group, Acks acks, Duration timeout) {
        long end = -1;
        if (group.error() == null && acks == Acks.ALL) {
            for (LeaderAppendOutcome outcome : group.appends().outcomes()) {
                if (outcome.error() == null) {
                    end = Math.max(end, outcome.result().lastOffset() + 1);
                }
            }
        }
        if (end < 0) {
            return Mono.just(Optional.empty());
        }
        return group.replica().committed(end, group.appends().leaderEpoch(), timeout)
                .map(highWatermark -> Optional.<Throwable>empty())
                .onErrorResume(error -> Mono.just(Optional.of(error)));
    }

    /** The answer of each entry of the group, by request index. */
    private static List<Answer> answers(GroupAppend group, Throwable notCommitted) {
        TopicPartition tp = group.group().partition();
        List<Integer> indexes = group.group().indexes();
        List<Answer> answers = new ArrayList<>(indexes.size());
        for (int i = 0; i < indexes.size(); i++) {
            LeaderAppendOutcome outcome = group.error() != null ? null : group.appends().outcomes().get(i);
            Throwable error = group.error() != null ? group.error()
                    : outcome.error() != null ? outcome.error() : notCommitted;
            answers.add(new Answer(indexes.get(i), error != null ? failure(tp, error)
                    : written(tp, outcome.result())));
        }
        return answers;
    }

    private static ProduceResponse.PartitionResult written(TopicPartition tp, AppendResult result) {
        return new ProduceResponse.PartitionResult(tp.topic(), tp.partition(), null, null, result.firstOffset(),
                result.lastOffset(), result.logAppendTime() < 0 ? null : result.logAppendTime(),
                result.logStartOffset());
    }

    private static ProduceResponse.PartitionResult failure(TopicPartition tp, Throwable error) {
        SluiceException e;
        if (error instanceof SluiceException se) {
            e = se;
        } else {
            LOG.error("Unexpected produce failure on {}", tp, error);
            e = ErrorCode.UNKNOWN_SERVER_ERROR.exception("Unexpected error: " + error);
        }
        return new ProduceResponse.PartitionResult(tp.topic(), tp.partition(), e.errorCode(), e.getMessage(),
                null, null, null, null);
    }

    /** The request indexes of one partition's entries at one requested leader epoch, in request order. */
    private record Group(TopicPartition partition, int leaderEpoch, List<Integer> indexes) {

        private record Key(TopicPartition partition, int leaderEpoch) {
        }
    }

    /** A group's appends (each entry written or refused), or the error that refused the whole group. */
    private record GroupAppend(Group group, Partition replica, Partition.LeaderAppends appends,
                               RuntimeException error) {
    }

    /** The answer to the request's entry {@code index}. */
    private record Answer(int index, ProduceResponse.PartitionResult result) {
    }
}
