package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * Per partition: the low watermark the deletion reached (the smallest log start offset over the leader and its
 * in-sync followers), or an error code (OFFSET_OUT_OF_RANGE for an offset above the high watermark, NOT_LEADER,
 * REQUEST_TIMED_OUT, …) with its message.
 */
public record DeleteRecordsResponse(List<Partition> partitions) {

    public record Partition(String topic, int partition, ErrorCode errorCode, String message, Long lowWatermark) {
    }
}
