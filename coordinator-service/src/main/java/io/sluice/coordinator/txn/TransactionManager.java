package io.sluice.coordinator.txn;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.group.GroupManager;
import io.sluice.coordinator.group.PendingTransactionalOffsets;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.FencedCommands;
import io.sluice.coordinator.store.IdempotencyStore;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.txn.TxnVerifyRequest;
import io.sluice.internal.txn.TxnVerifyResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * The transaction coordinator on the active coordinator: every transactional id's state in memory, changed by one
 * sequence of commands (each decided by {@link TransactionRules} and stored by {@link TransactionStore} under the
 * fencing token before it is answered), loaded when this instance becomes active.
 *
 * <p><b>Completing.</b> Once a decision is stored as PREPARE_COMMIT or PREPARE_ABORT, its markers are written
 * ({@link TransactionMarkers}), then a commit's group offsets committed ({@link GroupManager#commitTransactional}), then
 * the state moves to COMPLETE_*. A failure is retried with backoff for as long as this instance is active; a coordinator
 * that takes over finds the PREPARE_* state in Redis and completes it, with its own coordinator epoch.
 *
 * <p><b>Timeouts.</b> {@link #abortExpired} (run by the coordinator's timer) aborts every transaction open past its
 * timeout, under the next producer epoch.
 *
 * <p><b>Expiry.</b> {@link #removeExpiredIds} (run by the coordinator's timer) forgets every transactional id idle and
 * unused for {@code sluice.coordinator.transactions.id-expiration}: a removal from Redis under the fencing token, made
 * in the command sequence after checking the last use again, so a call of that id just before it wins.
 */
@Component
public class TransactionManager implements PendingTransactionalOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionManager.class);

    private final TransactionStore store;
    private final TransactionMarkers markers;
    private final GroupManager groups;
    private final IdempotencyStore producerIds;
    private final CoordinatorLease lease;
    private final CoordinatorProperties.Transactions settings;
    private final Clock clock;
    private final Sinks.Many<Command<?>> commands = Sinks.many().unicast().onBackpressureBuffer();
    private final Set<String> reloadFirst = ConcurrentHashMap.newKeySet();
    private final Set<String> completing = ConcurrentHashMap.newKeySet();
    /**
     * The transactions and the two indexes derived from them, published together: a reader that sees a transaction
     * complete also sees its offsets no longer pending.
     */
    private volatile Known known = Known.NONE;
    private volatile boolean ready;

    TransactionManager(TransactionStore store, TransactionMarkers markers, GroupManager groups,
                       IdempotencyStore producerIds, CoordinatorLease lease, CoordinatorProperties properties,
                       Clock clock) {
        this.store = store;
        this.markers = markers;
        this.groups = groups;
        this.producerIds = producerIds;
        this.lease = lease;
        this.settings = properties.transactions();
        this.clock = clock;
        commands.asFlux().concatMap(this::process).subscribe();
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public Set<TopicPartition> pending(String groupId) {
        return known.pendingOffsets().getOrDefault(groupId, Set.of());
    }

    Optional<Transaction> transaction(String transactionalId) {
        return Optional.ofNullable(known.transactions().get(transactionalId));
    }

    Collection<Transaction> transactions() {
        return known.transactions().values();
    }

    /** Loads the stored transactional ids after this instance took the lease, and completes those decided. */
    public Mono<Void> activate() {
        return store.load().doOnNext(loaded -> {
            known = Known.of(loaded);
            reloadFirst.clear();
            ready = true;
            LOG.info("Loaded {} transactional ids", loaded.size());
            loaded.values().stream().filter(txn -> txn.state().preparing()).forEach(this::complete);
        }).then();
    }

    public void deactivate() {
        ready = false;
        known = Known.NONE;
    }

    /**
     * The checks a partition leader asks for before it appends batches that open a transaction there (see
     * {@link TransactionRules#verify}), each decided on the state as stored: the failures. A read, outside the command
     * sequence: a decision stored after it (an end of the transaction) writes a marker at the partition, and the
     * leader refuses the append when a marker of that producer came after it asked.
     */
    List<TxnVerifyResponse.Failure> verify(List<TxnVerifyRequest.Check> checks) {
        List<TxnVerifyResponse.Failure> failures = new ArrayList<>();
        Known current = known;
        for (TxnVerifyRequest.Check check : checks) {
            String transactionalId = current.byProducerId().get(check.producerId());
            Transaction txn = transactionalId == null ? null : current.transactions().get(transactionalId);
            TransactionRules.verify(txn, check.producerId(), check.producerEpoch(),
                            new TopicPartition(check.topic(), check.partition()))
                    .ifPresent(refused -> failures.add(new TxnVerifyResponse.Failure(check.producerId(),
                            check.producerEpoch(), check.topic(), check.partition(), refused.errorCode(),
                            refused.getMessage())));
        }
        return failures;
    }

    // ---------------------------------------------------------------- commands

    /** InitProducerId: the producer id and epoch for {@code transactionalId}. */
    Mono<TransactionRules.ProducerIdAndEpoch> initProducerId(String transactionalId, int timeoutMs,
                                                             long producerId, short epoch) {
        Transaction existing = known.transactions().get(transactionalId);
        boolean needsId = existing == null || existing.producerEpoch() >= TransactionRules.MAX_EPOCH;
        Mono<Long> fresh = needsId ? producerIds.allocate(1).map(block -> block.firstProducerId())
                : Mono.just(-1L);
        return fresh.flatMap(id -> submit(transactionalId, current ->
                TransactionRules.initProducerId(current, transactionalId, timeoutMs, producerId, epoch,
                        (int) settings.maxTimeout().toMillis(), coordinatorEpoch(), () -> {
                            if (id < 0) {
                                // Another call changed the id since: this one asks again.
                                throw ErrorCode.CONCURRENT_TRANSACTIONS.exception("Transactional id "
                                        + transactionalId + " changed meanwhile; retry");
                            }
                            return id;
                        }, clock.millis())));
    }

    Mono<Void> addPartitions(String transactionalId, long producerId, short epoch, List<TopicPartition> partitions) {
        return submit(transactionalId, current -> TransactionRules.addPartitions(current, transactionalId, producerId,
                epoch, partitions, clock.millis()));
    }

    Mono<Map<TopicPartition, Integer>> reserve(String transactionalId, long producerId, short epoch, String callId,
                                               Map<TopicPartition, Integer> records) {
        return submit(transactionalId, current -> TransactionRules.reserve(current, transactionalId, producerId, epoch,
                callId, records, clock.millis()));
    }

    Mono<Void> confirm(String transactionalId, long producerId, short epoch, String callId) {
        return submit(transactionalId, current -> TransactionRules.confirm(current, transactionalId, producerId, epoch,
                callId, clock.millis()));
    }

    Mono<Void> addOffsets(String transactionalId, long producerId, short epoch, String groupId) {
        return submit(transactionalId, current -> TransactionRules.addOffsets(current, transactionalId, producerId,
                epoch, groupId, clock.millis()));
    }

    Mono<Void> commitOffsets(String transactionalId, long producerId, short epoch, String groupId,
                             List<Transaction.PendingOffset> offsets, boolean addGroup) {
        return submit(transactionalId, current -> TransactionRules.commitOffsets(current, transactionalId, producerId,
                epoch, groupId, offsets, addGroup, clock.millis()));
    }

    /**
     * EndTxn; the producer id and epoch to write the next transaction with. With {@code bumpEpoch} (transaction
     * version 2) at the last epoch, a new producer id is allocated first.
     */
    Mono<TransactionRules.ProducerIdAndEpoch> endTxn(String transactionalId, long producerId, short epoch,
                                                     boolean commit, boolean bumpEpoch) {
        Transaction existing = known.transactions().get(transactionalId);
        boolean needsId = bumpEpoch && existing != null && existing.producerEpoch() >= TransactionRules.MAX_EPOCH;
        Mono<Long> fresh = needsId ? producerIds.allocate(1).map(block -> block.firstProducerId()) : Mono.just(-1L);
        return fresh.flatMap(id -> submit(transactionalId, current -> TransactionRules.endTxn(current,
                transactionalId, producerId, epoch, commit, bumpEpoch, coordinatorEpoch(), () -> {
                    if (id < 0) {
                        // The producer reached its last epoch since this call looked: it asks again.
                        throw ErrorCode.CONCURRENT_TRANSACTIONS.exception("Transactional id " + transactionalId
                                + " changed meanwhile; retry");
                    }
                    return id;
                }, clock.millis())))
                .doOnError(SluiceException.class, e -> {
                    if (e.errorCode() == ErrorCode.INVALID_TXN_STATE) {
                        // Fatal to Kafka's producer, whose EndTxn answer carries no message: the reason is here.
                        LOG.warn("EndTxn ({}) of {} at producer {} epoch {} refused: {}", commit ? "commit" : "abort",
                                transactionalId, producerId, epoch, e.getMessage());
                    }
                });
    }

    /** Aborts every transaction open past its timeout. Run by the coordinator's timer. */
    public Mono<Void> abortExpired() {
        if (!ready) {
            return Mono.empty();
        }
        long now = clock.millis();
        return Flux.fromIterable(known.transactions().values())
                .filter(txn -> txn.expired(now))
                .concatMap(txn -> {
                    LOG.warn("Transaction of {} (producer {} epoch {}) is open past its timeout of {} ms: aborting it",
                            txn.transactionalId(), txn.producerId(), txn.producerEpoch(), txn.timeoutMs());
                    return submit(txn.transactionalId(), current -> TransactionRules.expire(current,
                            coordinatorEpoch(), clock.millis()))
                            .onErrorResume(e -> {
                                LOG.warn("Could not abort the transaction of {}: {}", txn.transactionalId(),
                                        e.toString());
                                return Mono.empty();
                            });
                })
                .then();
    }

    /** Forgets every transactional id idle and unused for the id expiration. Run by the coordinator's timer. */
    public Mono<Void> removeExpiredIds() {
        if (!ready) {
            return Mono.empty();
        }
        long expirationMs = settings.idExpiration().toMillis();
        long now = clock.millis();
        return Flux.fromIterable(known.transactions().values())
                .filter(txn -> txn.idExpired(now, expirationMs))
                .concatMap(txn -> submit(txn.transactionalId(), current -> {
                    TxnDecision<Void> forget = TransactionRules.forget(current, expirationMs, clock.millis());
                    if (current != null && forget.after() == null) {
                        LOG.info("Transactional id {} (producer {} epoch {}) was last used at {} ms: removing it",
                                txn.transactionalId(), current.producerId(), current.producerEpoch(),
                                current.updatedAtMs());
                    }
                    return forget;
                }).onErrorResume(e -> {
                    LOG.warn("Could not remove expired transactional id {}: {}", txn.transactionalId(), e.toString());
                    return Mono.empty();
                }))
                .then();
    }

    /** The coordinator epoch markers carry: the lease's fencing token, which every new active coordinator raises. */
    private int coordinatorEpoch() {
        return Math.toIntExact(lease.fencingToken());
    }

    // -------------------------------------------------------------- completing

    /** Writes a decided transaction's markers and offsets, then marks it complete; retried while this one is active. */
    private void complete(Transaction txn) {
        if (!completing.add(txn.transactionalId())) {
            return; // already on its way (a resumed decision and a fresh one cannot both be pending: one sequence)
        }
        Duration backoff = settings.markerRetryBackoff();
        Mono.defer(() -> {
                    if (!ready) {
                        return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception("no longer active"));
                    }
                    return markers.write(txn);
                })
                .then(Mono.defer(() -> txn.state() == TxnState.PREPARE_COMMIT ? commitGroupOffsets(txn)
                        : Mono.empty()))
                .then(Mono.defer(() -> submit(txn.transactionalId(), current -> TransactionRules.complete(current,
                        txn.producerId(), txn.producerEpoch(), clock.millis()))))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, backoff).maxBackoff(backoff.multipliedBy(10))
                        .filter(e -> ready)
                        .doBeforeRetry(signal -> LOG.warn("Completing the transaction of {} failed ({}); trying again",
                                txn.transactionalId(), signal.failure().toString())))
                .doFinally(signal -> completing.remove(txn.transactionalId()))
                .subscribe(done -> {
                }, e -> LOG.warn("Gave up completing the transaction of {} on this coordinator: {}",
                        txn.transactionalId(), e.toString()));
    }

    private Mono<Void> commitGroupOffsets(Transaction txn) {
        Map<String, List<PartitionOffset>> byGroup = new LinkedHashMap<>();
        txn.offsets().forEach(offset -> byGroup.computeIfAbsent(offset.groupId(), g -> new ArrayList<>())
                .add(offset.toPartitionOffset()));
        return Flux.fromIterable(byGroup.entrySet())
                .concatMap(entry -> groups.commitTransactional(entry.getKey(), entry.getValue(), clock.millis()))
                .then();
    }

    // ---------------------------------------------------------------- sequence

    private <T> Mono<T> submit(String transactionalId, Function<Transaction, TxnDecision<T>> decide) {
        Sinks.One<T> result = Sinks.one();
        synchronized (commands) {
            commands.tryEmitNext(new Command<>(transactionalId, decide, result)).orThrow();
        }
        return result.asMono();
    }

    private <T> Mono<Void> process(Command<T> command) {
        return FencedCommands.answer(Mono.defer(() -> {
            if (!ready) {
                return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception(
                        "This coordinator is not the active one"));
            }
            if (!reloadFirst.remove(command.transactionalId())) {
                return decideAndWrite(command);
            }
            return store.load(command.transactionalId())
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .flatMap(stored -> {
                        put(command.transactionalId(), stored.orElse(null));
                        // A decision whose write failed may be stored all the same: its markers are due.
                        stored.filter(txn -> txn.state().preparing()).ifPresent(this::complete);
                        return decideAndWrite(command);
                    })
                    .doOnError(e -> reloadFirst.add(command.transactionalId()));
        }), command.result(), lease, this::deactivate, "transaction");
    }

    private <T> Mono<T> decideAndWrite(Command<T> command) {
        Transaction before = known.transactions().get(command.transactionalId());
        TxnDecision<T> decision = command.decide().apply(before);
        Transaction after = decision.after();
        if (Objects.equals(before, after)) {
            return decision.failure() != null ? Mono.error(decision.failure()) : Mono.justOrEmpty(decision.result());
        }
        return store.write(lease.fencingToken(), command.transactionalId(), after)
                .doOnError(error -> {
                    if (!(error instanceof SluiceException e && e.errorCode() == ErrorCode.FENCED_COORDINATOR)) {
                        LOG.warn("A write of transactional id {} failed ({}): reading it back before its next change",
                                command.transactionalId(), error.toString());
                        reloadFirst.add(command.transactionalId());
                    }
                })
                .then(Mono.fromCallable(() -> {
                    put(command.transactionalId(), after);
                    if (decision.markersDue()) {
                        complete(after);
                    }
                    return Optional.ofNullable(decision.result());
                }))
                .flatMap(result -> decision.failure() != null ? Mono.error(decision.failure())
                        : Mono.justOrEmpty(result));
    }

    private void put(String transactionalId, Transaction txn) {
        Map<String, Transaction> next = new TreeMap<>(known.transactions());
        if (txn == null) {
            next.remove(transactionalId);
        } else {
            next.put(transactionalId, txn);
        }
        known = Known.of(next);
    }

    /**
     * @param transactions   by transactional id
     * @param byProducerId   each transactional id's producer id, the other way round: a partition leader verifies by
     *                       producer id
     * @param pendingOffsets by group, the partitions whose offsets an open or completing transaction holds
     */
    private record Known(Map<String, Transaction> transactions, Map<Long, String> byProducerId,
                         Map<String, Set<TopicPartition>> pendingOffsets) {

        static final Known NONE = new Known(Map.of(), Map.of(), Map.of());

        static Known of(Map<String, Transaction> transactions) {
            return new Known(Map.copyOf(transactions), producerIdIndex(transactions), pendingByGroup(transactions));
        }
    }

    private static Map<Long, String> producerIdIndex(Map<String, Transaction> transactions) {
        Map<Long, String> ids = new HashMap<>();
        transactions.forEach((transactionalId, txn) -> ids.put(txn.producerId(), transactionalId));
        return Map.copyOf(ids);
    }

    /**
     * A transaction's offsets are pending from its TxnOffsetCommit until it is complete: through PREPARE_COMMIT, while
     * they are committed to the group, and through PREPARE_ABORT, while its markers are written (as Kafka keeps them
     * until the markers are). Completing clears them.
     */
    private static Map<String, Set<TopicPartition>> pendingByGroup(Map<String, Transaction> transactions) {
        Map<String, Set<TopicPartition>> pending = new HashMap<>();
        transactions.values().stream().filter(txn -> !txn.state().idle()).forEach(txn -> txn.offsets()
                .forEach(offset -> pending.computeIfAbsent(offset.groupId(), g -> new HashSet<>())
                        .add(offset.topicPartition())));
        pending.replaceAll((group, partitions) -> Set.copyOf(partitions));
        return Map.copyOf(pending);
    }

    private record Command<T>(String transactionalId, Function<Transaction, TxnDecision<T>> decide,
                              Sinks.One<T> result) {
    }
}
