package io.sluice.internal.partition;

import java.util.List;

/**
 * Offsets by time (Kafka's ListOffsets): per partition a timestamp, or {@value #EARLIEST} for the log start and
 * {@value #LATEST} for the high watermark.
 */
public record ListOffsetsRequest(List<Partition> partitions) {

    public static final long LATEST = -1;
    public static final long EARLIEST = -2;

    public record Partition(String topic, int partition, long timestamp) {
    }
}
