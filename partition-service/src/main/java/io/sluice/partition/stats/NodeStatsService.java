package io.sluice.partition.stats;

import io.sluice.internal.partition.NodeStats;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;

/** Every replica on this node with its size and offsets, and the node's throughput. */
@Service
class NodeStatsService {

    private final PartitionProperties properties;
    private final ReplicaManager replicas;
    private final NodeThroughput throughput;

    NodeStatsService(PartitionProperties properties, ReplicaManager replicas, NodeThroughput throughput) {
        this.properties = properties;
        this.replicas = replicas;
        this.throughput = throughput;
    }

    NodeStats current() {
        List<NodeStats.Replica> held = new ArrayList<>();
        for (Partition partition : replicas.partitions()) {
            TopicPartition tp = partition.topicPartition();
            var log = partition.log();
            held.add(new NodeStats.Replica(tp.topic(), tp.partition(), partition.isLeader(), log.sizeInBytes(),
                    log.segmentCount(), log.logStartOffset(), log.logEndOffset(), log.highWatermark()));
        }
        held.sort(Comparator.comparing(NodeStats.Replica::topic).thenComparingInt(NodeStats.Replica::partition));
        return new NodeStats(properties.nodeId(), held, throughput.current());
    }
}
