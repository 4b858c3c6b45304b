package io.sluice.internal.group;

import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A group's committed offsets, ordered by topic and partition. A group that never committed has none. */
public record GroupOffsets(String groupId, List<CommittedOffset> offsets) {

    public GroupOffsets {
        offsets = List.copyOf(offsets);
    }

    /** The committed offset (the next one to read) of each partition that has one. */
    public Map<TopicPartition, Long> byPartition() {
        Map<TopicPartition, Long> committed = new TreeMap<>();
        offsets.forEach(offset -> committed.put(new TopicPartition(offset.topic(), offset.partition()), offset.offset()));
        return committed;
    }
}
