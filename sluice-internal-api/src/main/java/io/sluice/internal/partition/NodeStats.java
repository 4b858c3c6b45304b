package io.sluice.internal.partition;

import java.util.List;

/**
 * What one partition service holds and moves (Kafka's DescribeLogDirs and its BytesIn/BytesOut/MessagesIn rates, in
 * one answer): its data directory, each replica on its disk, and the node's throughput. {@code logDir} is null in
 * the answer of a node older than the field.
 */
public record NodeStats(int nodeId, LogDir logDir, List<Replica> replicas, Throughput throughput) {

    /** A node's stats without its directory (an older node's answer, tests). */
    public NodeStats(int nodeId, List<Replica> replicas, Throughput throughput) {
        this(nodeId, null, replicas, throughput);
    }

    /**
     * The node's data directory (every replica's log is under it): its absolute path, and the total and usable bytes
     * of the file store that holds it, as Kafka's DescribeLogDirs (v4+) reports a log dir's.
     */
    public record LogDir(String path, long totalBytes, long usableBytes) {
    }

    /**
     * One replica: its log's bytes on disk and segment count, and its offsets. {@code highWatermark} is the leader's
     * (a follower's own view lags it).
     */
    public record Replica(String topic, int partition, boolean leader, long sizeBytes, int segmentCount,
                          long logStartOffset, long logEndOffset, long highWatermark) {
    }

    /**
     * Rates over the last minute. In: records and bytes appended as leader. Out: offsets and bytes sent to consumers
     * (gateways), followers' fetches not included.
     */
    public record Throughput(double recordsInPerSec, double bytesInPerSec, double recordsOutPerSec,
                             double bytesOutPerSec) {

        public static final Throughput NONE = new Throughput(0, 0, 0, 0);

        public Throughput plus(Throughput other) {
            return new Throughput(recordsInPerSec + other.recordsInPerSec, bytesInPerSec + other.bytesInPerSec,
                    recordsOutPerSec + other.recordsOutPerSec, bytesOutPerSec + other.bytesOutPerSec);
        }
    }
}
