package io.sluice.internal.metadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole metadata view at one version, as the coordinator serves it: the active coordinator, every node, every
 * topic with its partition states. Versions only grow; each change to nodes or topics is one new version.
 */
public record ClusterMetadata(long version, CoordinatorInfo coordinator, List<NodeInfo> nodes,
                              List<TopicMetadata> topics) {

    public ClusterMetadata {
        nodes = List.copyOf(nodes);
        topics = List.copyOf(topics);
    }

    public static ClusterMetadata empty() {
        return new ClusterMetadata(0, null, List.of(), List.of());
    }

    /** This view with {@code delta} applied (nodes and topics replaced by id and name, deleted topics removed). */
    public ClusterMetadata apply(MetadataDelta delta) {
        Map<Integer, NodeInfo> nodesById = new LinkedHashMap<>();
        nodes.forEach(n -> nodesById.put(n.id(), n));
        delta.nodes().forEach(n -> nodesById.put(n.id(), n));
        Map<String, TopicMetadata> topicsByName = new LinkedHashMap<>();
        topics.forEach(t -> topicsByName.put(t.name(), t));
        delta.deletedTopics().forEach(topicsByName::remove);
        delta.topics().forEach(t -> topicsByName.put(t.name(), t));
        List<NodeInfo> newNodes = new ArrayList<>(nodesById.values());
        newNodes.sort(Comparator.comparingInt(NodeInfo::id));
        List<TopicMetadata> newTopics = new ArrayList<>(topicsByName.values());
        newTopics.sort(Comparator.comparing(TopicMetadata::name));
        return new ClusterMetadata(delta.version(), coordinator, newNodes, newTopics);
    }
}
