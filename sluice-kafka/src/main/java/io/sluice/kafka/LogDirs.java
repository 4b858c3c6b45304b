package io.sluice.kafka;

import io.sluice.internal.partition.NodeStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;

/**
 * A partition service's data directory as Kafka's DescribeLogDirs describes a log dir, the same at every listener
 * that answers it — a node's own (the direct data path: the node is the broker that holds its replicas) and a
 * gateway's (the gateway path: the controller gateway lists the nodes that are no brokers of their own). The replicas
 * of the topics asked for (all when the request names none), each with its bytes on disk and, as Kafka reports a
 * replica's lag, how far its log end is below the high watermark; the directory's total and usable bytes are its
 * file store's (-1 when the node did not say, as Kafka answers before v4).
 */
public final class LogDirs {

    private LogDirs() {
    }

    /** {@code node}'s directory under {@code name}, with its replicas that {@code asked} names (all when null). */
    public static DescribeLogDirsResult describe(String name, NodeStats node,
                                                 DescribeLogDirsRequestData.DescribableLogDirTopicCollection asked) {
        NodeStats.LogDir dir = node.logDir();
        return new DescribeLogDirsResult()
                .setLogDir(name)
                .setTopics(topics(node, asked))
                .setTotalBytes(dir == null ? -1 : dir.totalBytes())
                .setUsableBytes(dir == null ? -1 : dir.usableBytes());
    }

    private static List<DescribeLogDirsTopic> topics(NodeStats node,
                                                     DescribeLogDirsRequestData.DescribableLogDirTopicCollection asked) {
        Map<String, DescribeLogDirsTopic> topics = new LinkedHashMap<>();
        for (NodeStats.Replica replica : node.replicas()) {
            if (asked != null) {
                DescribableLogDirTopic topic = asked.find(replica.topic());
                if (topic == null || !topic.partitions().contains(replica.partition())) {
                    continue;
                }
            }
            topics.computeIfAbsent(replica.topic(), topic -> new DescribeLogDirsTopic().setName(topic)
                            .setPartitions(new ArrayList<>()))
                    .partitions().add(new DescribeLogDirsPartition()
                            .setPartitionIndex(replica.partition())
                            .setPartitionSize(replica.sizeBytes())
                            .setOffsetLag(Math.max(0, replica.highWatermark() - replica.logEndOffset()))
                            .setIsFutureKey(false));
        }
        return new ArrayList<>(topics.values());
    }
}
