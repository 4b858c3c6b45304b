package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * Per partition: the offset (with the timestamp that matched, for lookups by time), or an error code. An offset of
 * -1 means no record is that recent.
 */
public record ListOffsetsResponse(List<Partition> partitions) {

    public record Partition(String topic, int partition, ErrorCode errorCode, String message, Long offset, Long timestamp) {
    }
}
