package io.sluice.internal.metadata;

import java.util.List;

/**
 * What one metadata version changed: nodes and topics as they now are (a topic with all its partitions), and topics
 * deleted. Applied in version order to a view at {@code version - 1}, it yields the view at {@code version}.
 */
public record MetadataDelta(long version, List<NodeInfo> nodes, List<TopicMetadata> topics, List<String> deletedTopics) {

    public MetadataDelta {
        nodes = List.copyOf(nodes);
        topics = List.copyOf(topics);
        deletedTopics = List.copyOf(deletedTopics);
    }
}
