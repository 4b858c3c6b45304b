package io.sluice.partition.produce;

import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.txn.TxnVerifyRequest;
import io.sluice.internal.txn.TxnVerifyResponse;
import io.sluice.log.AppendResult;
import io.sluice.log.LeaderAppendOutcome;
import io.sluice.log.PartitionLog;
import io.sluice.log.TxnStart;
import io.sluice.log.TxnVerifications;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.SchemaValidation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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
 *
 * <p><b>Transactions</b> (Kafka's KIP-890 part 1). A transactional batch that would open its producer's transaction
 * at a partition is appended only after the transaction coordinator confirmed that the open transaction added that
 * partition ({@link PartitionLog#transactionStarts}, then one call to the coordinator for the request, then
 * the append with its answers): without it a produce delayed past the end of its transaction, or from a producer that
 * skipped AddPartitionsToTxn, would open a transaction that no marker ever ends, and hold the partition's last stable
 * offset (and every read_committed reader) back for good. A coordinator that cannot be asked makes those entries
 * NOT_ENOUGH_REPLICAS (retriable, nothing written), as Kafka answers then; requests without such batches do not ask.
 */
public final class ProduceService {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceService.class);

    private final ReplicaManager replicas;
    private final Scheduler logScheduler;
    private final ProduceMetrics metrics;
    private final Function<TxnVerifyRequest, Mono<TxnVerifyResponse>> verifier;
    private final RecordSchemaChecks schemaChecks;

    /**
     * @param verifier the transaction coordinator's verification of batches that open a transaction (the coordinator
     *                 client's {@link io.sluice.internal.txn.TransactionApi#verify})
     */
    public ProduceService(ReplicaManager replicas, Scheduler logScheduler, ProduceMetrics metrics,
                          Function<TxnVerifyRequest, Mono<TxnVerifyResponse>> verifier) {
        this(replicas, logScheduler, metrics, verifier, null);
    }

    /** @param schemaChecks the records' checks against the schema registry; null: none (tests without a registry) */
    ProduceService(ReplicaManager replicas, Scheduler logScheduler, ProduceMetrics metrics,
                   Function<TxnVerifyRequest, Mono<TxnVerifyResponse>> verifier, RecordSchemaChecks schemaChecks) {
        this.replicas = replicas;
        this.logScheduler = logScheduler;
        this.metrics = metrics;
        this.verifier = verifier;
        this.schemaChecks = schemaChecks;
    }

    public Mono<ProduceResponse> produce(ByteBuffer body, Acks acks, Duration timeout) {
        return produce(ProduceRequestCodec.decode(body), acks, timeout);
    }

    /** The entries of {@code request} appended in order, each answered in request order. */
    public Mono<ProduceResponse> produce(List<PartitionBatches> request, Acks acks, Duration timeout) {
        Mono<Mono<ProduceResponse>> appended = append(request, acks, timeout);
        if (acks == Acks.NONE) {
            appended.subscribe(results -> { }, error -> LOG.warn("acks=0 append failed: {}", error.toString()));
            return Mono.just(unanswered(request));
        }
        return appended.flatMap(answer -> answer);
    }

    /**
     * Appends the entries of {@code request} in order: completes once they are appended (or refused), with the
     * answer still to come — the wait for each entry's {@link Acks}, which the caller subscribes to once. A caller
     * that starts its next request's append only then keeps its requests' order in the log while their waits for
     * replication overlap (the direct data path's pipelined produces).
     */
    public Mono<Mono<ProduceResponse>> append(List<PartitionBatches> request, Acks acks, Duration timeout) {
        if (schemaChecks == null) {
            return appendChecked(request, acks, timeout);
        }
        return schemaChecks.check(request, this::schemaValidation)
                .onErrorResume(e -> Mono.just(registryUnavailable(request, e)))
                .flatMap(refused -> refused.isEmpty() ? appendChecked(request, acks, timeout)
                        : appendOthers(request, refused, acks, timeout));
    }

    /**
     * Appends the entries not {@code refused} by their schema checks, and answers the refused ones with their
     * refusal, each in its place.
     */
    private Mono<Mono<ProduceResponse>> appendOthers(List<PartitionBatches> request,
                                                     Map<Integer, ProduceResponse.PartitionResult> refused,
                                                     Acks acks, Duration timeout) {
        List<PartitionBatches> others = new ArrayList<>();
        List<Integer> places = new ArrayList<>();
        for (int entry = 0; entry < request.size(); entry++) {
            if (!refused.containsKey(entry)) {
                others.add(request.get(entry));
                places.add(entry);
            }
        }
        Mono<Mono<ProduceResponse>> appended = others.isEmpty()
                ? Mono.just(Mono.just(new ProduceResponse(List.of())))
                : appendChecked(others, acks, timeout);
        return appended.map(answer -> answer.map(response -> {
            ProduceResponse.PartitionResult[] answers = new ProduceResponse.PartitionResult[request.size()];
            refused.forEach((entry, result) -> answers[entry] = acks == Acks.NONE
                    ? unanswered(List.of(request.get(entry))).partitions().getFirst() : result);
            for (int k = 0; k < places.size(); k++) {
                answers[places.get(k)] = response.partitions().get(k);
            }
            return new ProduceResponse(List.of(answers));
        }));
    }

    /**
     * The answer when the registry could not be asked: the entries of topics with schema validation are refused,
     * retriably (nothing written), the others go on.
     */
    private Map<Integer, ProduceResponse.PartitionResult> registryUnavailable(List<PartitionBatches> request,
                                                                             Throwable error) {
        Map<Integer, ProduceResponse.PartitionResult> refused = new HashMap<>();
        for (int entry = 0; entry < request.size(); entry++) {
            TopicPartition tp = request.get(entry).partition();
            if (schemaValidation(tp).any()) {
                refused.put(entry, new ProduceResponse.PartitionResult(tp.topic(), tp.partition(),
                        ErrorCode.COORDINATOR_NOT_AVAILABLE, "The schema registry could not be asked to check the "
                        + "records of " + tp + "; nothing was written: " + error.getMessage(), null, null, null, null));
            }
        }
        return refused;
    }

    private SchemaValidation schemaValidation(TopicPartition tp) {
        return replicas.partition(tp).map(Partition::schemaValidation).orElse(SchemaValidation.NONE);
    }

    /** {@link #append}, once the entries passed their schema checks. */
    private Mono<Mono<ProduceResponse>> appendChecked(List<PartitionBatches> request, Acks acks, Duration timeout) {
        long started = System.nanoTime();
        // One hop to the log scheduler for the whole request, appending its entries in order: a gateway that
        // coalesced several clients' requests into one sends entries for the same partition in arrival order. A
        // request with batches that open a transaction asks the coordinator first, then hops back.
        List<Group> groups = groups(request);
        Mono<List<GroupAppend>> appended = Mono.fromCallable(() -> transactionStarts(request, groups))
                .subscribeOn(logScheduler)
                .flatMap(starts -> starts.isEmpty()
                        ? Mono.fromCallable(() -> appendAll(request, groups, acks, Map.of()))
                        : verify(starts).publishOn(logScheduler)
                                .map(verified -> appendAll(request, groups, acks, verified)));
        if (acks == Acks.NONE) {
            return appended.map(results -> Mono.just(unanswered(request)));
        }
        return appended.map(results -> Flux.fromIterable(results)
                .flatMap(group -> committed(group, acks, timeout)
                        .map(failure -> answers(group, failure.orElse(null)))
                        .doOnNext(answers -> metrics.produceLatency(acks, System.nanoTime() - started)))
                .collectList()
                .map(answered -> {
                    ProduceResponse.PartitionResult[] answers = new ProduceResponse.PartitionResult[request.size()];
                    answered.forEach(group -> group.forEach(answer -> answers[answer.index()] = answer.result()));
                    return new ProduceResponse(List.of(answers));
                }));
    }

    /** The answer of an acks=0 request: neither offsets nor errors, since no one waits for them. */
    private static ProduceResponse unanswered(List<PartitionBatches> request) {
        return new ProduceResponse(request.stream()
                .map(b -> new ProduceResponse.PartitionResult(b.partition().topic(), b.partition().partition(),
                        null, null, null, null, null, null))
                .toList());
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

    private List<GroupAppend> appendAll(List<PartitionBatches> request, List<Group> groups, Acks acks,
                                        Map<TopicPartition, TxnVerifications> verified) {
        return groups.stream()
                .map(group -> append(request, group, acks,
                        verified.getOrDefault(group.partition(), TxnVerifications.NONE)))
                .toList();
    }

    /**
     * The batches of the request that would open a transaction, by partition; a partition this replica does not
     * lead has none here (its append is refused for that).
     */
    private Map<TopicPartition, List<TxnStart>> transactionStarts(List<PartitionBatches> request, List<Group> groups) {
        Map<TopicPartition, List<TxnStart>> starts = new LinkedHashMap<>();
        for (Group group : groups) {
            Partition partition;
            try {
                partition = replicas.leaderPartition(group.partition(), group.leaderEpoch());
            } catch (RuntimeException e) {
                continue;
            }
            List<TxnStart> found = partition.log().transactionStarts(entries(request, group));
            if (!found.isEmpty()) {
                starts.computeIfAbsent(group.partition(), tp -> new ArrayList<>()).addAll(found);
            }
        }
        return starts;
    }

    /** One coordinator call for every start of the request; each partition's answers. */
    private Mono<Map<TopicPartition, TxnVerifications>> verify(Map<TopicPartition, List<TxnStart>> starts) {
        List<TxnVerifyRequest.Check> checks = new ArrayList<>();
        starts.forEach((tp, list) -> list.forEach(start -> checks.add(new TxnVerifyRequest.Check(start.producerId(),
                start.producerEpoch(), tp.topic(), tp.partition()))));
        return verifier.apply(new TxnVerifyRequest(checks))
                .map(response -> {
                    Map<TopicPartition, TxnVerifications> verified = new HashMap<>();
                    starts.forEach((tp, list) -> {
                        Map<TxnStart, SluiceException> refused = new HashMap<>();
                        for (TxnVerifyResponse.Failure failure : response.failures()) {
                            if (failure.topic().equals(tp.topic()) && failure.partition() == tp.partition()) {
                                list.stream().filter(start -> start.producerId() == failure.producerId()
                                                && start.producerEpoch() == failure.producerEpoch())
                                        .forEach(start -> refused.put(start, failure.error()
                                                .exception(failure.message())));
                            }
                        }
                        verified.put(tp, TxnVerifications.of(list, refused));
                    });
                    return verified;
                })
                .onErrorResume(error -> {
                    LOG.debug("Could not verify {} transaction starts with the coordinator: {}", checks.size(),
                            error.toString());
                    Map<TopicPartition, TxnVerifications> refused = new HashMap<>();
                    starts.forEach((tp, list) -> refused.put(tp, TxnVerifications.refused(list,
                            ErrorCode.NOT_ENOUGH_REPLICAS.exception("The transaction coordinator could not verify"
                                    + " that the producer's transaction includes " + tp + ": " + error.getMessage()
                                    + "; nothing was written"))));
                    return Mono.just(refused);
                });
    }

    private static List<ByteBuffer> entries(List<PartitionBatches> request, Group group) {
        List<ByteBuffer> entries = new ArrayList<>(group.indexes().size());
        group.indexes().forEach(index -> entries.add(request.get(index).batches()));
        return entries;
    }

    /** Appends one group as leader; a refusal of them all (not leader, too few in sync, …) is the group's answer. */
    private GroupAppend append(List<PartitionBatches> request, Group group, Acks acks, TxnVerifications verified) {
        TopicPartition tp = group.partition();
        try {
            Partition partition = replicas.leaderPartition(tp, group.leaderEpoch());
            Partition.LeaderAppends appends = partition.appendAsLeader(entries(request, group), group.leaderEpoch(),
                    acks == Acks.ALL, verified);
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
