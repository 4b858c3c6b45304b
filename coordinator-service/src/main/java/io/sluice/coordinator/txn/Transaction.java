package io.sluice.coordinator.txn;

import io.sluice.internal.group.PartitionOffset;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A transactional id's state as the transaction coordinator stores it (one JSON document per id): the producer id and
 * epoch it hands out, its transaction timeout, and the current transaction's state, partitions, groups and the
 * offsets those groups commit when it commits. Immutable; changed only by {@link TransactionRules}.
 *
 * @param startedAtMs      when the current transaction added its first partition or group (-1 when none is open)
 * @param coordinatorEpoch the coordinator epoch (the lease's fencing token) that decided the current transaction,
 *                         carried by its markers; -1 before any decision
 * @param sequences        for producers whose sequences the coordinator hands out (the gateway writing an HTTP
 *                         transaction's records, through any gateway): each partition's next sequence at this epoch
 * @param pendingCalls     such writes whose sequences were handed out and whose success was not confirmed: while any is
 *                         pending the transaction cannot commit
 * @param reservations     the first sequences each pending write was given, so that a write repeated under its call id
 *                         (its answer was lost) gets them again; absent in documents stored before it was kept
 * @param bump             how the last transaction ended with transaction version 2 (its EndTxn moved the producer to
 *                         the next epoch), so that the call repeated is recognised; null when the producer has not
 *                         ended one since its InitProducerId
 */
record Transaction(String transactionalId, long producerId, short producerEpoch, int timeoutMs, TxnState state,
                          List<TopicPartition> partitions, List<String> groups, List<PendingOffset> offsets,
                          long startedAtMs, long updatedAtMs, int coordinatorEpoch, List<NextSequence> sequences,
                          List<String> pendingCalls, List<Reservation> reservations, EpochBump bump) {

    /**
     * An EndTxn of transaction version 2 (KIP-890 part 2): the producer called it at {@code fromProducerId} and
     * {@code fromEpoch}; the transaction's markers carry the next epoch, which the producer writes its next transaction
     * with. At the last epoch the producer moves instead to {@code nextProducerId} at epoch 0 once the markers are
     * written (-1 when it keeps its producer id).
     */
    record EpochBump(long fromProducerId, short fromEpoch, long nextProducerId) {

        boolean calledAt(long producerId, short epoch) {
            return fromProducerId == producerId && fromEpoch == epoch;
        }

        boolean movesProducerId() {
            return nextProducerId >= 0;
        }
    }

    /** An offset a group commits when the transaction commits (Kafka's TxnOffsetCommit). */
    record PendingOffset(String groupId, String topic, int partition, long offset, Integer leaderEpoch,
                                String metadata) {

        TopicPartition topicPartition() {
            return new TopicPartition(topic, partition);
        }

        PartitionOffset toPartitionOffset() {
            return new PartitionOffset(topic, partition, offset, leaderEpoch, metadata);
        }
    }

    /** The next sequence of a partition at the producer's current epoch. */
    record NextSequence(String topic, int partition, int next) {

        TopicPartition topicPartition() {
            return new TopicPartition(topic, partition);
        }
    }

    /** The first sequence a pending write ({@code callId}) was given at a partition. */
    record Reservation(String callId, String topic, int partition, int firstSequence) {

        TopicPartition topicPartition() {
            return new TopicPartition(topic, partition);
        }
    }

    public Transaction {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(state, "state");
        partitions = List.copyOf(new TreeSet<>(partitions == null ? List.of() : partitions));
        groups = List.copyOf(new TreeSet<>(groups == null ? List.of() : groups));
        List<PendingOffset> sorted = new ArrayList<>(offsets == null ? List.of() : offsets);
        sorted.sort(Comparator.comparing(PendingOffset::groupId).thenComparing(PendingOffset::topic)
                .thenComparingInt(PendingOffset::partition));
        offsets = List.copyOf(sorted);
        List<NextSequence> bySequence = new ArrayList<>(sequences == null ? List.of() : sequences);
        bySequence.sort(Comparator.comparing(NextSequence::topic).thenComparingInt(NextSequence::partition));
        sequences = List.copyOf(bySequence);
        pendingCalls = List.copyOf(new TreeSet<>(pendingCalls == null ? List.of() : pendingCalls));
        List<Reservation> byCall = new ArrayList<>(reservations == null ? List.of() : reservations);
        byCall.sort(Comparator.comparing(Reservation::callId).thenComparing(Reservation::topic)
                .thenComparingInt(Reservation::partition));
        reservations = List.copyOf(byCall);
    }

    /** A transactional id seen for the first time. */
    static Transaction fresh(String transactionalId, long producerId, int timeoutMs, long nowMs) {
        return new Transaction(transactionalId, producerId, (short) 0, timeoutMs, TxnState.EMPTY, List.of(), List.of(),
                List.of(), -1, nowMs, -1, List.of(), List.of(), List.of(), null);
    }

    Transaction with(TxnState newState, long nowMs) {
        return new Transaction(transactionalId, producerId, producerEpoch, timeoutMs, newState, partitions, groups,
                offsets, startedAtMs, nowMs, coordinatorEpoch, sequences, pendingCalls,
                reservations, bump);
    }

    /**
     * At a new producer id or epoch the sequences start again, no write of the old epoch is pending, and no earlier
     * EndTxn is a retry any more.
     */
    Transaction withProducer(long newProducerId, short newEpoch, int newTimeoutMs) {
        return new Transaction(transactionalId, newProducerId, newEpoch, newTimeoutMs, state, partitions, groups,
                offsets, startedAtMs, updatedAtMs, coordinatorEpoch, List.of(), List.of(), List.of(), null);
    }

    Transaction withBump(EpochBump newBump) {
        return new Transaction(transactionalId, producerId, producerEpoch, timeoutMs, state, partitions, groups,
                offsets, startedAtMs, updatedAtMs, coordinatorEpoch, sequences, pendingCalls, reservations, newBump);
    }

    Transaction withContents(List<TopicPartition> newPartitions, List<String> newGroups, List<PendingOffset> newOffsets,
                             long newStartedAtMs) {
        return new Transaction(transactionalId, producerId, producerEpoch, timeoutMs, state, newPartitions, newGroups,
                newOffsets, newStartedAtMs, updatedAtMs, coordinatorEpoch, sequences, pendingCalls,
                reservations, bump);
    }

    Transaction decidedBy(int epoch) {
        return new Transaction(transactionalId, producerId, producerEpoch, timeoutMs, state, partitions, groups,
                offsets, startedAtMs, updatedAtMs, epoch, sequences, pendingCalls, reservations, bump);
    }

    Transaction withSequences(List<NextSequence> newSequences, List<String> newPendingCalls,
                              List<Reservation> newReservations) {
        return new Transaction(transactionalId, producerId, producerEpoch, timeoutMs, state, partitions, groups,
                offsets, startedAtMs, updatedAtMs, coordinatorEpoch, newSequences, newPendingCalls, newReservations,
                bump);
    }

    /** The first sequences the pending write {@code callId} was given, by partition (empty when none are kept). */
    Map<TopicPartition, Integer> reservedBy(String callId) {
        Map<TopicPartition, Integer> first = new HashMap<>();
        reservations.stream().filter(reservation -> reservation.callId().equals(callId))
                .forEach(reservation -> first.put(reservation.topicPartition(), reservation.firstSequence()));
        return first;
    }

    /**
     * Whether the coordinator may forget this transactional id at {@code nowMs} (Kafka's
     * {@code transactional.id.expiration.ms}): no transaction is open or being completed, and it has not been used for
     * {@code expirationMs}. An open one never is: it times out and is aborted first, which counts as a use.
     */
    boolean idExpired(long nowMs, long expirationMs) {
        return state.idle() && nowMs - updatedAtMs >= expirationMs;
    }

    /** Whether the open transaction has run past its timeout at {@code nowMs}. */
    boolean expired(long nowMs) {
        return state == TxnState.ONGOING && startedAtMs >= 0 && nowMs - startedAtMs > timeoutMs;
    }
}
