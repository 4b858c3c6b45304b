package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * Per-partition outcomes of a produce request, in request order. A partition either has offsets or an error code
 * (with a message); with acks=0 it has neither (the outcome is not waited for).
 */
public record ProduceResponse(List<PartitionResult> partitions) {

    public record PartitionResult(String topic, int partition, ErrorCode errorCode, String message, Long baseOffset,
                                  Long lastOffset, Long logAppendTime, Long logStartOffset) {
    }
}
