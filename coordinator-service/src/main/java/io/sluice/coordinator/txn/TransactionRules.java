package io.sluice.coordinator.txn;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The transaction coordinator's decisions, as pure functions of a transactional id's state (Kafka's
 * TransactionCoordinator: under transaction version 1 the producer epoch moves at InitProducerId and when the
 * coordinator aborts a transaction on its own, to fence the producer that opened it; version 2 adds a move at every
 * EndTxn):
 * <ul>
 *   <li>InitProducerId hands out the producer id (a new one the first time) at the next epoch; an open transaction is
 *       aborted first, under the next epoch (the old instance is fenced), and the caller retries
 *       (CONCURRENT_TRANSACTIONS) until its markers are written.</li>
 *   <li>AddPartitionsToTxn and AddOffsetsToTxn open a transaction or add to it; TxnOffsetCommit keeps a group's offsets
 *       with it until it ends.</li>
 *   <li>EndTxn decides: PREPARE_COMMIT or PREPARE_ABORT is stored before any marker is written, then the markers go to
 *       every partition, then (on commit) the offsets are committed, then COMPLETE_*. A retried EndTxn is answered by
 *       the state: the same decision done is success, still being written CONCURRENT_TRANSACTIONS.</li>
 *   <li>Transaction version 2 (KIP-890 part 2, {@link #endTxn} with {@code bumpEpoch}): every EndTxn moves the
 *       producer to the next epoch, which its markers carry and the producer is answered, so that nothing written
 *       at the old epoch (a produce delayed past its transaction's end) can join the next transaction; at the last
 *       epoch the producer moves to a new producer id at epoch 0. The call repeated at the old epoch is recognised
 *       ({@link Transaction.EpochBump}). An abort with no transaction open is allowed and moves the epoch too: the
 *       producer may have written to partitions whose implicit adds never reached the coordinator. Partitions and
 *       groups join implicitly: the leader's produce adds them ({@link #addPartitions}), TxnOffsetCommit its group
 *       ({@link #commitOffsets} with {@code addGroup}).</li>
 *   <li>A transaction open past its timeout is aborted by the coordinator under the next epoch.</li>
 *   <li>A transactional id with no transaction open or being completed, unused for {@code transactional.id.expiration.ms},
 *       is forgotten ({@link #forget}); its next InitProducerId starts afresh, with a new producer id at epoch 0.</li>
 *   <li>For HTTP transactions, whose writes any gateway may make, the coordinator also hands out each partition's
 *       sequences ({@link #reserve}); a write not {@link #confirm}ed keeps the transaction from committing.</li>
 * </ul>
 * Every call names the producer id and epoch it holds: another producer id is INVALID_PRODUCER_ID_MAPPING, another
 * epoch PRODUCER_FENCED. While markers are being written, every call but a repeated EndTxn is CONCURRENT_TRANSACTIONS.
 */
final class TransactionRules {

    private static final Comparator<TopicPartition> PARTITION_ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    /** Kafka's limit: the last epoch is kept for the fence of an exhausted producer. */
    static final short MAX_EPOCH = Short.MAX_VALUE - 1;

    private TransactionRules() {
    }

    /** The producer id and epoch a producer is to write with. */
    record ProducerIdAndEpoch(long producerId, short producerEpoch) {
    }

    /**
     * InitProducerId for {@code transactionalId}, by a producer that holds {@code expectedProducerId} at
     * {@code expectedEpoch} (-1: a new instance; else KIP-360's retry after it lost track of its epoch).
     */
    static TxnDecision<ProducerIdAndEpoch> initProducerId(Transaction current, String transactionalId, int timeoutMs,
                                                          long expectedProducerId, short expectedEpoch,
                                                          int maxTimeoutMs, int coordinatorEpoch,
                                                          LongSupplier newProducerId, long nowMs) {
        if (timeoutMs < 1 || timeoutMs > maxTimeoutMs) {
            throw ErrorCode.INVALID_TRANSACTION_TIMEOUT.exception("Transaction timeout " + timeoutMs + " ms is outside"
                    + " 1 to " + maxTimeoutMs + " ms (transaction.max.timeout.ms)");
        }
        if (current == null) {
            Transaction fresh = Transaction.fresh(transactionalId, newProducerId.getAsLong(), timeoutMs, nowMs);
            return TxnDecision.of(fresh, new ProducerIdAndEpoch(fresh.producerId(), fresh.producerEpoch()));
        }
        if (expectedProducerId >= 0) {
            if (expectedProducerId != current.producerId()) {
                throw ErrorCode.INVALID_PRODUCER_ID_MAPPING.exception("Producer id " + expectedProducerId
                        + " is not the one of transactional id " + transactionalId);
            }
            if (expectedEpoch != current.producerEpoch()) {
                throw fenced(current, expectedEpoch);
            }
        }
        if (current.state().preparing()) {
            throw concurrent(current);
        }
        if (current.state() == TxnState.ONGOING) {
            // A new instance of the producer: the old one's transaction is aborted under the next epoch, which fences
            // it; this instance retries until the abort is complete and then gets the epoch after.
            Transaction aborting = abortAsCoordinator(current, coordinatorEpoch, nowMs);
            return TxnDecision.failing(aborting, concurrent(aborting));
        }
        Transaction next = current.producerEpoch() >= MAX_EPOCH
                ? current.withProducer(newProducerId.getAsLong(), (short) 0, timeoutMs)
                : current.withProducer(current.producerId(), (short) (current.producerEpoch() + 1), timeoutMs);
        next = next.with(TxnState.EMPTY, nowMs).withContents(List.of(), List.of(), List.of(), -1);
        return TxnDecision.of(next, new ProducerIdAndEpoch(next.producerId(), next.producerEpoch()));
    }

    /**
     * AddPartitionsToTxn: the transaction opens (or goes on) with these partitions in it. Partitions it has already
     * change nothing (nothing is stored).
     */
    static TxnDecision<Void> addPartitions(Transaction current, String transactionalId, long producerId, short epoch,
                                           List<TopicPartition> partitions, long nowMs) {
        Transaction txn = requireOpenable(current, transactionalId, producerId, epoch);
        if (txn.state() == TxnState.ONGOING && txn.partitions().containsAll(partitions)) {
            return TxnDecision.of(txn, null);
        }
        List<TopicPartition> all = new ArrayList<>(txn.partitions());
        all.addAll(partitions);
        return TxnDecision.of(open(txn, nowMs).withContents(all, txn.groups(), txn.offsets(), startOf(txn, nowMs)),
                null);
    }

    /**
     * Whether a leader may append a transactional batch of {@code producerId} at {@code epoch} that opens a transaction
     * at {@code partition} (KIP-890 part 1), given the transaction that producer id belongs to ({@code current}, null
     * if none): only into an ONGOING transaction at that epoch that added the partition. Anything else is a batch that
     * would open a transaction nobody will end there (a produce delayed past its transaction's end, or a producer
     * that skipped AddPartitionsToTxn), and would hold the partition's last stable offset back for good: an older epoch
     * is INVALID_PRODUCER_EPOCH, the rest INVALID_TXN_STATE, which Kafka's producers treat as an abortable error.
     * Changes nothing.
     *
     * @return empty when the batch may be appended, else why not
     */
    static Optional<SluiceException> verify(Transaction current, long producerId, short epoch,
                                            TopicPartition partition) {
        if (current == null || current.producerId() != producerId) {
            return Optional.of(ErrorCode.INVALID_TXN_STATE.exception("Producer " + producerId
                    + " has no transaction at the coordinator: a transactional batch for " + partition
                    + " cannot open one"));
        }
        if (epoch < current.producerEpoch()) {
            return Optional.of(ErrorCode.INVALID_PRODUCER_EPOCH.exception("Producer " + producerId
                    + " wrote in epoch " + epoch + ", but transactional id " + current.transactionalId()
                    + " is at epoch " + current.producerEpoch()));
        }
        if (epoch != current.producerEpoch() || current.state() != TxnState.ONGOING
                || !current.partitions().contains(partition)) {
            return Optional.of(ErrorCode.INVALID_TXN_STATE.exception("Partition " + partition
                    + " is not in an open transaction of transactional id " + current.transactionalId()
                    + " (producer " + producerId + " epoch " + epoch + "; the transaction is " + current.state()
                    + " at epoch " + current.producerEpoch() + "): add it to the transaction before writing to it"));
        }
        return Optional.empty();
    }

    /**
     * A write into the transaction by a producer whose sequences the coordinator hands out (an HTTP transaction's,
     * through any gateway): the partitions join the transaction as with AddPartitionsToTxn, each gets its next
     * {@code records} sequences (the result: each partition's first), and the write is pending under {@code callId}
     * until {@link #confirm}ed. Two writes at once get ranges that do not overlap, so neither can be taken by a leader
     * for a re-send of the other. A pending write repeated under its call id (its answer was lost, and the gateway's
     * client sent it again, to the same coordinator or after a failover) gets the sequences it was given the first
     * time and changes nothing; under its call id with other partitions it is refused.
     */
    static TxnDecision<Map<TopicPartition, Integer>> reserve(Transaction current, String transactionalId,
                                                             long producerId, short epoch, String callId,
                                                             Map<TopicPartition, Integer> records, long nowMs) {
        Transaction txn = requireOpenable(current, transactionalId, producerId, epoch);
        if (txn.pendingCalls().contains(callId)) {
            Map<TopicPartition, Integer> given = txn.reservedBy(callId);
            if (!given.isEmpty() && given.keySet().equals(records.keySet())) {
                Map<TopicPartition, Integer> again = new TreeMap<>(PARTITION_ORDER);
                again.putAll(given);
                return TxnDecision.of(txn, again);
            }
            throw ErrorCode.INVALID_REQUEST.exception("Write " + callId + " of transactional id " + transactionalId
                    + " has its sequences already, for other partitions");
        }
        Map<TopicPartition, Integer> next = new TreeMap<>(PARTITION_ORDER);
        txn.sequences().forEach(sequence -> next.put(sequence.topicPartition(), sequence.next()));
        Map<TopicPartition, Integer> first = new TreeMap<>(PARTITION_ORDER);
        records.forEach((tp, count) -> {
            if (count < 1) {
                throw ErrorCode.INVALID_REQUEST.exception("A write needs at least one record per partition");
            }
            int base = next.getOrDefault(tp, 0);
            if ((long) base + count > Integer.MAX_VALUE) {
                throw ErrorCode.INVALID_TXN_STATE.exception("Partition " + tp + " has no sequences left at producer "
                        + "epoch " + epoch + "; begin a new transaction");
            }
            first.put(tp, base);
            next.put(tp, base + count);
        });
        List<TopicPartition> all = new ArrayList<>(txn.partitions());
        all.addAll(records.keySet());
        List<String> pending = new ArrayList<>(txn.pendingCalls());
        pending.add(callId);
        List<Transaction.Reservation> reservations = new ArrayList<>(txn.reservations());
        first.forEach((tp, sequence) -> reservations.add(new Transaction.Reservation(callId, tp.topic(),
                tp.partition(), sequence)));
        Transaction after = open(txn, nowMs).withContents(all, txn.groups(), txn.offsets(), startOf(txn, nowMs))
                .withSequences(next.entrySet().stream().map(entry -> new Transaction.NextSequence(
                        entry.getKey().topic(), entry.getKey().partition(), entry.getValue())).toList(), pending,
                        reservations);
        return TxnDecision.of(after, first);
    }

    /** The write {@code callId} wrote every record it had sequences for: it no longer keeps the commit back. */
    static TxnDecision<Void> confirm(Transaction current, String transactionalId, long producerId, short epoch,
                                     String callId, long nowMs) {
        Transaction txn = requireProducer(current, transactionalId, producerId, epoch);
        if (!txn.pendingCalls().contains(callId)) {
            return TxnDecision.of(txn, null); // confirmed before (a retry), or its transaction ended
        }
        List<String> pending = new ArrayList<>(txn.pendingCalls());
        pending.remove(callId);
        List<Transaction.Reservation> reservations = txn.reservations().stream()
                .filter(reservation -> !reservation.callId().equals(callId)).toList();
        return TxnDecision.of(txn.withSequences(txn.sequences(), pending, reservations).with(txn.state(), nowMs),
                null);
    }

    /** AddOffsetsToTxn: the group's offsets will be committed by this transaction. */
    static TxnDecision<Void> addOffsets(Transaction current, String transactionalId, long producerId, short epoch,
                                        String groupId, long nowMs) {
        Transaction txn = requireOpenable(current, transactionalId, producerId, epoch);
        List<String> groups = new ArrayList<>(txn.groups());
        groups.add(groupId);
        return TxnDecision.of(open(txn, nowMs).withContents(txn.partitions(), groups, txn.offsets(),
                startOf(txn, nowMs)), null);
    }

    /**
     * TxnOffsetCommit: offsets of a group added to the open transaction, committed with it (a later one for the same
     * partition replaces an earlier one). With {@code addGroup} (transaction version 2) the group joins the
     * transaction, opening it if none is, as AddOffsetsToTxn would have.
     */
    static TxnDecision<Void> commitOffsets(Transaction current, String transactionalId, long producerId, short epoch,
                                           String groupId, List<Transaction.PendingOffset> offsets, boolean addGroup,
                                           long nowMs) {
        Transaction txn = requireProducer(current, transactionalId, producerId, epoch);
        if (txn.state().preparing()) {
            throw concurrent(txn);
        }
        if (addGroup) {
            txn = addOffsets(txn, transactionalId, producerId, epoch, groupId, nowMs).after();
        }
        if (txn.state() != TxnState.ONGOING || !txn.groups().contains(groupId)) {
            throw ErrorCode.INVALID_TXN_STATE.exception("Transactional id " + transactionalId + " has not added group "
                    + groupId + " to an open transaction (AddOffsetsToTxn comes first)");
        }
        List<Transaction.PendingOffset> kept = new ArrayList<>();
        for (Transaction.PendingOffset pending : txn.offsets()) {
            boolean replaced = pending.groupId().equals(groupId) && offsets.stream()
                    .anyMatch(o -> o.topicPartition().equals(pending.topicPartition()));
            if (!replaced) {
                kept.add(pending);
            }
        }
        kept.addAll(offsets);
        return TxnDecision.of(txn.withContents(txn.partitions(), txn.groups(), kept, txn.startedAtMs())
                .with(TxnState.ONGOING, nowMs), null);
    }

    /**
     * EndTxn: commit or abort the open transaction (its markers follow); the answer is the producer id and epoch the
     * producer writes its next transaction with. With {@code bumpEpoch} (transaction version 2) that is the next
     * epoch, or at the last epoch {@code newProducerId}'s at epoch 0 (asked only then).
     */
    static TxnDecision<ProducerIdAndEpoch> endTxn(Transaction current, String transactionalId, long producerId,
                                                  short epoch, boolean commit, boolean bumpEpoch,
                                                  int coordinatorEpoch, LongSupplier newProducerId, long nowMs) {
        TxnState prepare = commit ? TxnState.PREPARE_COMMIT : TxnState.PREPARE_ABORT;
        TxnState complete = commit ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        if (bumpEpoch && current != null && current.bump() != null && current.bump().calledAt(producerId, epoch)) {
            // The call that moved the producer to the next epoch, made again (its answer was lost).
            if (current.state() == complete) {
                return TxnDecision.of(current, next(current));
            }
            if (current.state() == prepare) {
                throw concurrent(current);
            }
            throw ErrorCode.INVALID_TXN_STATE.exception("Transactional id " + transactionalId + " ended the transaction"
                    + " of producer " + producerId + " epoch " + epoch + " otherwise; it is " + current.state()
                    + " now");
        }
        Transaction txn = requireProducer(current, transactionalId, producerId, epoch);
        if (txn.state() == TxnState.ONGOING) {
            if (commit && !txn.pendingCalls().isEmpty()) {
                throw ErrorCode.INVALID_TXN_STATE.exception("Transactional id " + transactionalId + " cannot commit: "
                        + txn.pendingCalls().size() + " write(s) into it did not report that every record was written"
                        + " (a write failed, or its gateway stopped); it can only be aborted");
            }
            Transaction decided = txn.with(prepare, nowMs).decidedBy(coordinatorEpoch);
            if (bumpEpoch) {
                decided = bumped(decided, newProducerId);
            }
            return TxnDecision.of(decided, next(decided));
        }
        if (bumpEpoch && !commit && txn.state().idle()) {
            // Nothing open here, but the producer may have written at this epoch to partitions whose adds did not
            // reach the coordinator: the next epoch fences those writes. No partition to mark: done at once.
            Transaction aborted = bumped(txn.with(TxnState.PREPARE_ABORT, nowMs).decidedBy(coordinatorEpoch)
                    .withContents(List.of(), List.of(), List.of(), -1), newProducerId);
            return TxnDecision.of(completed(aborted, nowMs), next(aborted));
        }
        if (!bumpEpoch && txn.state() == complete) {
            return TxnDecision.of(txn, next(txn)); // a retry of the call that decided it
        }
        if (txn.state() == prepare || bumpEpoch && txn.state().preparing()) {
            // Under version 2 the producer holds the epoch of its next transaction while the last one's markers are
            // written: whatever it ends at that epoch (an abort after a write that failed) is decided once they are.
            throw concurrent(txn);
        }
        throw ErrorCode.INVALID_TXN_STATE.exception("Transactional id " + transactionalId + " cannot "
                + (commit ? "commit" : "abort") + " in state " + txn.state());
    }

    /**
     * The decided {@code txn} at the next epoch, which its markers carry; at the last epoch the markers carry the
     * fencing epoch after it, and the producer moves to a new producer id when they are written.
     */
    private static Transaction bumped(Transaction txn, LongSupplier newProducerId) {
        boolean exhausted = txn.producerEpoch() >= MAX_EPOCH;
        Transaction.EpochBump bump = new Transaction.EpochBump(txn.producerId(), txn.producerEpoch(),
                exhausted ? newProducerId.getAsLong() : -1);
        // The pending writes and sequences of the old epoch are kept until the markers are written.
        return txn.withProducer(txn.producerId(), (short) (txn.producerEpoch() + 1), txn.timeoutMs())
                .withSequences(txn.sequences(), txn.pendingCalls(), txn.reservations()).withBump(bump);
    }

    /** The producer id and epoch the producer writes with once {@code txn}'s decision is complete. */
    private static ProducerIdAndEpoch next(Transaction txn) {
        if (txn.bump() != null && txn.bump().movesProducerId() && txn.state().preparing()) {
            return new ProducerIdAndEpoch(txn.bump().nextProducerId(), (short) 0);
        }
        return new ProducerIdAndEpoch(txn.producerId(), txn.producerEpoch());
    }

    /** A transaction open past its timeout is aborted under the next epoch; anything else stays as it is. */
    static TxnDecision<Void> expire(Transaction current, int coordinatorEpoch, long nowMs) {
        if (current == null || !current.expired(nowMs)) {
            return TxnDecision.of(current, null);
        }
        return TxnDecision.of(abortAsCoordinator(current, coordinatorEpoch, nowMs), null);
    }

    /**
     * The transactional id is forgotten (the state after is none) if, at {@code nowMs}, it is still idle and unused
     * for {@code expirationMs}; decided on the state the command sequence holds, so a use since it was picked keeps
     * it.
     */
    static TxnDecision<Void> forget(Transaction current, long expirationMs, long nowMs) {
        if (current == null || !current.idExpired(nowMs, expirationMs)) {
            return TxnDecision.of(current, null);
        }
        return TxnDecision.of(null, null);
    }

    /**
     * Every marker of the decided transaction of {@code producerId} at {@code epoch} is written (and, for a commit,
     * its offsets committed): it is complete. A stale notice (another transaction since) changes nothing.
     */
    static TxnDecision<Void> complete(Transaction current, long producerId, short epoch, long nowMs) {
        if (current == null || !current.state().preparing() || current.producerId() != producerId
                || current.producerEpoch() != epoch) {
            return TxnDecision.of(current, null);
        }
        return TxnDecision.of(completed(current, nowMs), null);
    }

    /**
     * The decided {@code txn} complete: nothing in it any more, and a producer at its last epoch moved to its new
     * producer id (the sequences start again there).
     */
    private static Transaction completed(Transaction txn, long nowMs) {
        TxnState done = txn.state() == TxnState.PREPARE_COMMIT ? TxnState.COMPLETE_COMMIT : TxnState.COMPLETE_ABORT;
        Transaction complete = txn.with(done, nowMs).withContents(List.of(), List.of(), List.of(), -1)
                .withSequences(txn.sequences(), List.of(), List.of());
        if (txn.bump() != null && txn.bump().movesProducerId()) {
            Transaction.EpochBump bump = txn.bump();
            complete = complete.withProducer(bump.nextProducerId(), (short) 0, txn.timeoutMs())
                    .withBump(new Transaction.EpochBump(bump.fromProducerId(), bump.fromEpoch(), -1));
        }
        return complete;
    }

    private static Transaction abortAsCoordinator(Transaction txn, int coordinatorEpoch, long nowMs) {
        // At the last epoch the abort keeps it: the next InitProducerId moves the id to a new producer id.
        short epoch = txn.producerEpoch() >= MAX_EPOCH ? txn.producerEpoch() : (short) (txn.producerEpoch() + 1);
        return txn.withProducer(txn.producerId(), epoch, txn.timeoutMs()).with(TxnState.PREPARE_ABORT, nowMs)
                .decidedBy(coordinatorEpoch);
    }

    private static Transaction requireOpenable(Transaction current, String transactionalId, long producerId,
                                               short epoch) {
        Transaction txn = requireProducer(current, transactionalId, producerId, epoch);
        if (txn.state().preparing()) {
            throw concurrent(txn);
        }
        return txn;
    }

    private static Transaction requireProducer(Transaction current, String transactionalId, long producerId,
                                               short epoch) {
        if (current != null && current.state().preparing() && current.bump() != null
                && current.bump().movesProducerId() && current.bump().nextProducerId() == producerId && epoch == 0) {
            throw concurrent(current); // answered its new producer id already; it has it once the markers are written
        }
        if (current == null || current.producerId() != producerId) {
            throw ErrorCode.INVALID_PRODUCER_ID_MAPPING.exception("Producer id " + producerId + " is not the one of"
                    + " transactional id " + transactionalId);
        }
        if (epoch != current.producerEpoch()) {
            throw fenced(current, epoch);
        }
        return current;
    }

    private static Transaction open(Transaction txn, long nowMs) {
        return txn.state() == TxnState.ONGOING ? txn.with(TxnState.ONGOING, nowMs)
                : txn.with(TxnState.ONGOING, nowMs).withContents(List.of(), List.of(), List.of(), nowMs);
    }

    private static long startOf(Transaction txn, long nowMs) {
        return txn.state() == TxnState.ONGOING ? txn.startedAtMs() : nowMs;
    }

    private static SluiceException fenced(Transaction current, short epoch) {
        return ErrorCode.PRODUCER_FENCED.exception("Transactional id " + current.transactionalId() + " is at producer"
                + " epoch " + current.producerEpoch() + ", not " + epoch + ": this producer was fenced by a newer one");
    }

    private static SluiceException concurrent(Transaction txn) {
        return ErrorCode.CONCURRENT_TRANSACTIONS.exception("Transactional id " + txn.transactionalId() + " is still"
                + " completing its last transaction (" + txn.state() + "); retry shortly");
    }
}
