package io.sluice.gateway.consume;

/**
 * Kafka's ListOffsets by time for one partition: the offset of the first record at or after the asked time, and that
 * record's timestamp; when no record is that recent, the high watermark (where the next record will be) and a null
 * timestamp.
 */
record OffsetForTime(String topic, int partition, long offset, Long timestamp) {
}
