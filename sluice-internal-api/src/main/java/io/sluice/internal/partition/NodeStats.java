package io.sluice.internal.partition;

import java.util.List;

/**
 * What one partition service holds and moves (Kafka's DescribeLogDirs and its BytesIn/BytesOut/MessagesIn rates, in
 * one answer): each replica on its disk, and the node's throughput.
 */
public record NodeStats(int nodeId, List<Replica> replicas, Throughput throughput) {

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
