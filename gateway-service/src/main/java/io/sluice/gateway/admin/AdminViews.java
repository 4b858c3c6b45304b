package io.sluice.gateway.admin;

import io.sluice.internal.partition.NodeStats;
import io.sluice.protocol.config.ConfigEntry;
import java.time.Instant;
import java.util.List;

/**
 * What the admin API answers. One vocabulary throughout: Kafka's names ({@code partition_count},
 * {@code log_start_offset}, {@code high_watermark}, {@code log_end_offset}), configs always as a list of
 * {@link ConfigEntry} ({@code name}, {@code value}, {@code is_default}, {@code documentation}), and every list inside
 * an object ({@code {"topics": [...]}}) so that it can grow pagination without breaking clients.
 */
public final class AdminViews {

    private AdminViews() {
    }

    /**
     * A topic with its configs and each partition's leader, replicas, ISR and (when asked of the leaders) offsets;
     * {@code authorizedOperations}, when asked for, what the caller may do with it (else null).
     */
    record TopicView(String name, String topicId, int partitionCount, int replicationFactor, List<ConfigEntry> configs,
                     List<PartitionView> partitions, List<String> authorizedOperations) {

        TopicView withAuthorizedOperations(List<String> operations) {
            return new TopicView(name, topicId, partitionCount, replicationFactor, configs, partitions, operations);
        }
    }

    /**
     * One partition. {@code leader} is null while the partition has no leader; the offsets are null when they were
     * not asked for (a topic just created or grown) or the leader did not answer.
     */
    record PartitionView(int partition, Integer leader, List<Integer> replicas, List<Integer> isr, int leaderEpoch,
                         Long logStartOffset, Long highWatermark, Long logEndOffset) {
    }

    record PartitionList(List<PartitionView> partitions) {
    }

    /**
     * A topic as a list shows it: what a console needs without asking each topic (no offsets, no configs).
     * {@code sizeBytes} is every replica's bytes on disk, {@code recordCount} the records below the high watermarks
     * (an upper bound on a compacted topic); each is null when a node holding the topic did not answer.
     */
    record TopicSummary(String name, String topicId, int partitionCount, int replicationFactor,
                        List<Integer> underReplicatedPartitions, List<Integer> offlinePartitions, Long sizeBytes,
                        Long recordCount) {
    }

    record TopicList(List<TopicSummary> topics) {
    }

    /** A partition after DeleteRecords: its low watermark, below which no in-sync replica holds records. */
    record DeletedRecords(String topic, int partition, long lowWatermark) {
    }

    /** Configs as the admin API answers them: a topic's, and in the same shape a share group's. */
    public record ConfigList(List<ConfigEntry> configs) {
    }

    /**
     * A partition-service node, with how many partitions it leads and holds a replica of, its replicas' bytes on disk
     * and its throughput (both null when the node did not answer), whether it is being decommissioned, since when it
     * is dead (null while it is not), and its move throttle (null for its configured rate).
     */
    record NodeView(int nodeId, String url, String rack, String status, int leaderCount, int replicaCount,
                    Long sizeBytes, Throughput throughput, boolean decommissioning, Instant deadSince,
                    Long moveThrottleBytesPerSecond) {
    }

    /**
     * Rates over the last minute: records and bytes appended as leaders; offsets and bytes read by consumers
     * (replication not included).
     */
    record Throughput(double recordsInPerSec, double bytesInPerSec, double recordsOutPerSec, double bytesOutPerSec) {

        static Throughput of(NodeStats.Throughput rates) {
            return rates == null ? null : new Throughput(rates.recordsInPerSec(), rates.bytesInPerSec(),
                    rates.recordsOutPerSec(), rates.bytesOutPerSec());
        }
    }

    record NodeList(List<NodeView> nodes) {
    }
}
