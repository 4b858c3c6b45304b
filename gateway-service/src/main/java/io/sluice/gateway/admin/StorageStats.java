package io.sluice.gateway.admin;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.NodeStats;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Sizes and record counts of topics from the nodes' {@link NodeStats}. A figure is given only when every replica (for
 * sizes) or every partition's leader (for record counts) reported; a partial sum would look like a real one.
 */
public final class StorageStats {

    private final Map<String, NodeStats.Replica> replicas = new HashMap<>();
    private final Map<String, NodeStats.Replica> leaders = new HashMap<>();

    private StorageStats(Map<Integer, NodeStats> byNode) {
        byNode.forEach((nodeId, stats) -> {
            for (NodeStats.Replica replica : stats.replicas()) {
                replicas.put(key(replica.topic(), replica.partition(), nodeId), replica);
                if (replica.leader()) {
                    leaders.put(replica.topic() + "/" + replica.partition(), replica);
                }
            }
        });
    }

    public static StorageStats of(Map<Integer, NodeStats> byNode) {
        return new StorageStats(byNode);
    }

    /** Bytes on disk of every replica of the topic; null if a replica was not reported. */
    public Long sizeBytes(TopicMetadata topic) {
        long total = 0;
        for (PartitionState p : topic.partitions()) {
            for (int node : p.replicas()) {
                NodeStats.Replica replica = replicas.get(key(topic.name(), p.partition(), node));
                if (replica == null) {
                    return null;
                }
                total += replica.sizeBytes();
            }
        }
        return total;
    }

    /**
     * Records below the high watermarks (high watermark minus log start, over the partitions, as their leaders report
     * it); on a compacted topic an upper bound. Null if a partition's leader was not reported.
     */
    Long recordCount(TopicMetadata topic) {
        long total = 0;
        for (PartitionState p : topic.partitions()) {
            NodeStats.Replica leader = leaders.get(topic.name() + "/" + p.partition());
            if (leader == null) {
                return null;
            }
            total += Math.max(0, leader.highWatermark() - leader.logStartOffset());
        }
        return total;
    }

    /** Bytes on disk of every replica a node holds. */
    public static long sizeBytes(NodeStats node) {
        return node.replicas().stream().mapToLong(NodeStats.Replica::sizeBytes).sum();
    }

    /** The nodes' throughputs added up; null when no node answered. */
    static NodeStats.Throughput throughput(Collection<NodeStats> nodes) {
        return nodes.stream().map(NodeStats::throughput).reduce(NodeStats.Throughput::plus).orElse(null);
    }

    private static String key(String topic, int partition, int node) {
        return topic + "/" + partition + "@" + node;
    }
}
