package io.sluice.internal.partition;

import java.util.List;

/**
 * Offsets by time (Kafka's ListOffsets): per partition a timestamp, or {@value #EARLIEST} for the log start,
 * {@value #LATEST} for the high watermark and {@value #MAX_TIMESTAMP} for the first record with the largest timestamp
 * below the high watermark (KIP-734). A {@code readCommitted} lookup is bounded by the last stable offset instead of
 * the high watermark (Kafka's read_committed isolation): {@value #LATEST} is the last stable offset.
 */
public record ListOffsetsRequest(List<Partition> partitions, Boolean readCommitted) {

    /** A read_uncommitted lookup. */
    public ListOffsetsRequest(List<Partition> partitions) {
        this(partitions, false);
    }

    public ListOffsetsRequest {
        readCommitted = readCommitted != null && readCommitted;
    }

    public static final long LATEST = -1;
    public static final long EARLIEST = -2;
    public static final long MAX_TIMESTAMP = -3;

    public record Partition(String topic, int partition, long timestamp) {
    }
}
