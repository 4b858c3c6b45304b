package io.sluice.internal.group;

import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A group's committed offsets, ordered by topic and partition. A group that never committed has none.
 *
 * @param pending the partitions whose offset an open transaction of the group holds (Kafka's TxnOffsetCommit not yet
 *                committed or aborted): their committed offset may be about to move, so a reader that wants stable
 *                offsets waits (KIP-447's {@code require_stable}, answered UNSTABLE_OFFSET_COMMIT). Filled when the
 *                committed offsets are read; empty in the answer to a commit
 */
public record GroupOffsets(String groupId, List<CommittedOffset> offsets, List<TopicPartition> pending) {

    public GroupOffsets {
        offsets = List.copyOf(offsets);
        pending = pending == null ? List.of() : List.copyOf(new TreeSet<>(pending));
    }

    /** Committed offsets with no transaction's offsets pending. */
    public GroupOffsets(String groupId, List<CommittedOffset> offsets) {
        this(groupId, offsets, List.of());
    }

    /** The committed offset (the next one to read) of each partition that has one. */
    public Map<TopicPartition, Long> byPartition() {
        Map<TopicPartition, Long> committed = new TreeMap<>();
        offsets.forEach(offset -> committed.put(new TopicPartition(offset.topic(), offset.partition()), offset.offset()));
        return committed;
    }
}
