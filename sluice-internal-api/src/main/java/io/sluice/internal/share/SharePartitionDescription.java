package io.sluice.internal.share;

import java.util.List;

/**
 * One share-partition: its start offset (every record below is acknowledged or archived), its end offset (the next
 * offset not yet read), the records of its in-flight window by {@link RecordState}, and by delivery count. The
 * coordinator does not know the log, so the lag (the high watermark minus the start offset, minus the records already
 * acknowledged or archived in the window) is the caller's: {@link #lag(long)}.
 *
 * @param deliveryCounts how many records of the window were delivered how many times, by delivery count ascending
 *                       (only counts that occur)
 */
public record SharePartitionDescription(String topic, int partition, long startOffset, long endOffset,
                                        int available, int acquired, int acknowledged, int archived,
                                        int maxDeliveryCount, List<DeliveryCount> deliveryCounts) {

    public SharePartitionDescription {
        deliveryCounts = List.copyOf(deliveryCounts);
    }

    /** The records in the window, whatever their state. */
    public int inFlight() {
        return available + acquired + acknowledged + archived;
    }

    /**
     * The records at or above the start offset, below {@code highWatermark}, that are not acknowledged or archived
     * yet (Kafka's share-group lag); 0 when the start offset is at or above the high watermark.
     */
    public long lag(long highWatermark) {
        return Math.max(0, highWatermark - startOffset - acknowledged - archived);
    }

    /** {@code records} records of the window were delivered {@code deliveries} times. */
    public record DeliveryCount(int deliveries, int records) {
    }
}
