package io.sluice.internal.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic: its name, a unique id (so a deleted and re-created topic of the same name is a different topic to
 * every replica), replication factor, config overrides (Kafka names) and its partitions in partition order.
 */
public record TopicMetadata(String name, String id, int replicationFactor, Map<String, String> configs,
                            List<PartitionState> partitions) {

    public TopicMetadata {
        // Sorted, so that a topic always serializes to the same JSON.
        configs = Collections.unmodifiableSortedMap(new TreeMap<>(configs));
        partitions = List.copyOf(partitions);
    }

    public PartitionState partition(int partition) {
        return partitions.get(partition);
    }

    public TopicMetadata withPartition(PartitionState state) {
        List<PartitionState> updated = new ArrayList<>(partitions);
        updated.set(state.partition(), state);
        return new TopicMetadata(name, id, replicationFactor, configs, updated);
    }

    public TopicMetadata withPartitions(List<PartitionState> newPartitions) {
        return new TopicMetadata(name, id, replicationFactor, configs, newPartitions);
    }

    public TopicMetadata withReplicationFactor(int newReplicationFactor) {
        return new TopicMetadata(name, id, newReplicationFactor, configs, partitions);
    }

    public TopicMetadata withConfigs(Map<String, String> newConfigs) {
        return new TopicMetadata(name, id, replicationFactor, newConfigs, partitions);
    }
}
