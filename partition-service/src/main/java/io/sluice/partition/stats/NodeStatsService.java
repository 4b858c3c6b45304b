package io.sluice.partition.stats;

import io.sluice.internal.partition.NodeStats;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * This node's data directory with its file store's total and usable bytes, every replica on it with its size and
 * offsets, and the node's throughput. Public for the node's Kafka listener, which answers DescribeLogDirs from it.
 */
@Service
public class NodeStatsService {

    private final PartitionProperties properties;
    private final ReplicaManager replicas;
    private final NodeThroughput throughput;

    NodeStatsService(PartitionProperties properties, ReplicaManager replicas, NodeThroughput throughput) {
        this.properties = properties;
        this.replicas = replicas;
        this.throughput = throughput;
    }

    public NodeStats current() {
        List<NodeStats.Replica> held = new ArrayList<>();
        for (Partition partition : replicas.partitions()) {
            TopicPartition tp = partition.topicPartition();
            var log = partition.log();
            held.add(new NodeStats.Replica(tp.topic(), tp.partition(), partition.isLeader(), log.sizeInBytes(),
                    log.segmentCount(), log.logStartOffset(), log.logEndOffset(), log.highWatermark()));
        }
        held.sort(Comparator.comparing(NodeStats.Replica::topic).thenComparingInt(NodeStats.Replica::partition));
        return new NodeStats(properties.nodeId(), logDir(), held, throughput.current());
    }

    /** The data directory; its sizes -1 when its file store cannot be read (Kafka's "unknown"). */
    private NodeStats.LogDir logDir() {
        Path dir = properties.dataDir().toAbsolutePath().normalize();
        try {
            FileStore store = Files.getFileStore(dir);
            return new NodeStats.LogDir(dir.toString(), store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            return new NodeStats.LogDir(dir.toString(), -1, -1);
        }
    }
}
