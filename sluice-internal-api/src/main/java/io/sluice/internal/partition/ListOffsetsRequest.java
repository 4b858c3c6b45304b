package io.sluice.internal.partition;

import java.util.List;

/**
 * Offsets by time (Kafka's ListOffsets): per partition a timestamp, or {@value #EARLIEST} for the log start,
 * {@value #LATEST} for the high watermark and {@value #MAX_TIMESTAMP} for the first record with the largest timestamp
 * below the high watermark (KIP-734). A {@code readCommitted} lookup is bounded by the last stable offset instead of
 * the high watermark (Kafka's read_committed isolation): {@value #LATEST} is the last stable offset. With tiered
 * storage, {@value #EARLIEST} is the whole log's start (in remote storage), {@value #EARLIEST_LOCAL} the leader's
 * local log's (KIP-405) and {@value #LATEST_TIERED} the last offset copied to remote storage, or -1 (KIP-1005).
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
    public static final long EARLIEST_LOCAL = -4;
    public static final long LATEST_TIERED = -5;

    public record Partition(String topic, int partition, long timestamp) {
    }
}
