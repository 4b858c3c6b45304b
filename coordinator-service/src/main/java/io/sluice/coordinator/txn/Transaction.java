package io.sluice.coordinator.txn;

import io.sluice.internal.group.PartitionOffset;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 */
record Transaction(String transactionalId, long producerId, short producerEpoch, int timeoutMs, TxnState state,
                          List<TopicPartition> partitions, List<String> groups, List<PendingOffset> offsets,
                          long startedAtMs, long updatedAtMs, int coordinatorEpoch) {

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

    public Transaction {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(state, "state");
        partitions = List.copyOf(new TreeSet<>(partitions == null ? List.of() : partitions));
        groups = List.copyOf(new TreeSet<>(groups == null ? List.of() : groups));
        List<PendingOffset> sorted = new ArrayList<>(offsets == null ? List.of() : offsets);
        sorted.sort(Comparator.comparing(PendingOffset::groupId).thenComparing(PendingOffset::topic)
                .thenComparingInt(PendingOffset::partition));
        offsets = List.copyOf(sorted);
    }

    /** A transactional id seen for the first time. */
    static Transaction fresh(String transactionalId, long producerId, int timeoutMs, long nowMs) {
        return new Transaction(transactionalId, producerId, (short) 0, timeoutMs, TxnState.EMPTY, List.of(), List.of(),
                List.of(), -1, nowMs, -1);
    }

    Transaction with(TxnState newState, long nowMs) {
        return new Transaction(transactionalId, producerId, producerEpoch, timeoutMs, newState, partitions, groups,
                offsets, startedAtMs, nowMs, coordinatorEpoch);
    }

    Transaction withProducer(long newProducerId, short newEpoch, int newTimeoutMs) {
        return new Transaction(transactionalId, newProducerId, newEpoch, newTimeoutMs, state, partitions, groups,
                offsets, startedAtMs, updatedAtMs, coordinatorEpoch);
    }

    Transaction withContents(List<TopicPartition> newPartitions, List<String> newGroups, List<PendingOffset> newOffsets,
                             long newStartedAtMs) {
        return new Transaction(transactionalId, producerId, producerEpoch, timeoutMs, state, newPartitions, newGroups,
                newOffsets, newStartedAtMs, updatedAtMs, coordinatorEpoch);
    }

    Transaction decidedBy(int epoch) {
        return new Transaction(transactionalId, producerId, producerEpoch, timeoutMs, state, partitions, groups,
                offsets, startedAtMs, updatedAtMs, epoch);
    }

    /** Whether the open transaction has run past its timeout at {@code nowMs}. */
    boolean expired(long nowMs) {
        return state == TxnState.ONGOING && startedAtMs >= 0 && nowMs - startedAtMs > timeoutMs;
    }
}
