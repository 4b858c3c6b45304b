package io.sluice.coordinator.store;

import io.sluice.internal.metadata.MetadataDelta;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.List;
import java.util.Map;

/**
 * One atomic metadata write: nodes to store, topics to create or update (each update guarded by the partition epochs
 * it was computed from), topics to delete. Becomes one metadata version.
 *
 * @param deletedTopics the topics to delete as the command sequence's view holds them, which is as Redis holds them
 *                      (only that sequence writes topics): their ids and partitions also name the keys of theirs that
 *                      go with them (their remote logs)
 */
public record MetadataChange(List<NodeInfo> nodes, List<TopicWrite> topics, List<TopicMetadata> deletedTopics) {

    public MetadataChange {
        nodes = List.copyOf(nodes);
        topics = List.copyOf(topics);
        deletedTopics = List.copyOf(deletedTopics);
    }

    public static MetadataChange ofNode(NodeInfo node) {
        return new MetadataChange(List.of(node), List.of(), List.of());
    }

    public static MetadataChange ofTopic(TopicWrite topic) {
        return new MetadataChange(List.of(), List.of(topic), List.of());
    }

    public boolean isEmpty() {
        return nodes.isEmpty() && topics.isEmpty() && deletedTopics.isEmpty();
    }

    public MetadataDelta toDelta(long version) {
        return new MetadataDelta(version, nodes, topics.stream().map(TopicWrite::topic).toList(),
                deletedTopics.stream().map(TopicMetadata::name).toList());
    }

    /**
     * @param expectedPartitionEpochs partition → the partition epoch stored now; the write fails if any differs
     */
    public record TopicWrite(TopicMetadata topic, boolean create, Map<Integer, Integer> expectedPartitionEpochs) {

        public static TopicWrite create(TopicMetadata topic) {
            return new TopicWrite(topic, true, Map.of());
        }

        public static TopicWrite update(TopicMetadata topic, Map<Integer, Integer> expectedPartitionEpochs) {
            return new TopicWrite(topic, false, Map.copyOf(expectedPartitionEpochs));
        }
    }
}
