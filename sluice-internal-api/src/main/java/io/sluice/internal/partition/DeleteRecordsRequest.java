package io.sluice.internal.partition;

import java.util.List;

/**
 * Kafka's DeleteRecords (KIP-107) at a partition leader: per partition, make the offsets below {@code offset} unreadable
 * by moving the log start offset there ({@value #HIGH_WATERMARK}: to the high watermark). The leader answers once the
 * partition's low watermark — the smallest log start offset over the leader and its in-sync followers — has reached
 * the offset, or after {@code timeoutMs} with REQUEST_TIMED_OUT for the partitions still short of it (their leader has
 * moved its own log start all the same).
 */
public record DeleteRecordsRequest(long timeoutMs, List<Partition> partitions) {

    public static final long HIGH_WATERMARK = -1;

    public DeleteRecordsRequest {
        partitions = List.copyOf(partitions);
    }

    public record Partition(String topic, int partition, long offset) {
    }
}
