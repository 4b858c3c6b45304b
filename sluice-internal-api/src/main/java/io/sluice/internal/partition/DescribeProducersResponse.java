package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * Per partition: the producers its leader's producer state holds, by producer id, or an error code (NOT_LEADER when
 * the node does not lead it, UNKNOWN_TOPIC_OR_PARTITION when it holds no replica of it) with its message.
 */
public record DescribeProducersResponse(List<Partition> partitions) {

    public record Partition(String topic, int partition, ErrorCode errorCode, String message,
                            List<Producer> producers) {
    }

    /**
     * One producer, as Kafka's DescribeProducers answers it.
     *
     * @param lastSequence          the last sequence of its last batch kept here, or -1
     * @param lastTimestamp         that batch's max timestamp, or -1
     * @param coordinatorEpoch      the epoch of the transaction coordinator whose marker it last got here, or -1
     * @param currentTxnStartOffset the first offset of its open transaction here, or -1 without one
     */
    public record Producer(long producerId, int producerEpoch, int lastSequence, long lastTimestamp,
                           int coordinatorEpoch, long currentTxnStartOffset) {
    }
}
