package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * Per-partition outcomes of a produce request, in request order. A partition either has offsets or an error code
 * (with a message); with acks=0 it has neither (the outcome is not waited for).
 */
public record ProduceResponse(List<PartitionResult> partitions) {

    /**
     * @param recordErrors with INVALID_RECORD_SCHEMA, the records that were refused, by their position among the
     *                     entry's records (Kafka's KIP-467 {@code record_errors}); empty otherwise
     */
    public record PartitionResult(String topic, int partition, ErrorCode errorCode, String message, Long baseOffset,
                                  Long lastOffset, Long logAppendTime, Long logStartOffset,
                                  List<RecordError> recordErrors) {

        public PartitionResult {
            recordErrors = recordErrors == null ? List.of() : List.copyOf(recordErrors);
        }

        public PartitionResult(String topic, int partition, ErrorCode errorCode, String message, Long baseOffset,
                               Long lastOffset, Long logAppendTime, Long logStartOffset) {
            this(topic, partition, errorCode, message, baseOffset, lastOffset, logAppendTime, logStartOffset,
                    List.of());
        }
    }

    /** A record refused, by its position among its entry's records (from 0), and why. */
    public record RecordError(int index, String message) {
    }
}
