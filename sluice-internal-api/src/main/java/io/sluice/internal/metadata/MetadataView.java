package io.sluice.internal.metadata;

import io.sluice.protocol.TopicPartition;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ClusterMetadata} indexed for the lookups the data path makes on every request: topic by name, node by id,
 * a partition's state and its leader's URL. Immutable; a new view is built per metadata version.
 */
public final class MetadataView {

    private final ClusterMetadata metadata;
    private final Map<String, TopicMetadata> topics = new HashMap<>();
    private final Map<Integer, NodeInfo> nodes = new HashMap<>();

    public MetadataView(ClusterMetadata metadata) {
        this.metadata = metadata;
        metadata.topics().forEach(t -> topics.put(t.name(), t));
        metadata.nodes().forEach(n -> nodes.put(n.id(), n));
    }

    public static MetadataView empty() {
        return new MetadataView(ClusterMetadata.empty());
    }

    public ClusterMetadata metadata() {
        return metadata;
    }

    public long version() {
        return metadata.version();
    }

    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<NodeInfo> node(int id) {
        return Optional.ofNullable(nodes.get(id));
    }

    public Optional<PartitionState> partition(TopicPartition tp) {
        TopicMetadata topic = topics.get(tp.topic());
        if (topic == null || tp.partition() >= topic.partitions().size()) {
            return Optional.empty();
        }
        return Optional.of(topic.partition(tp.partition()));
    }

    /** The leader node of {@code tp}, if the partition exists and has a leader that is registered. */
    public Optional<NodeInfo> leader(TopicPartition tp) {
        return partition(tp).filter(PartitionState::hasLeader).flatMap(p -> node(p.leader()));
    }
}
