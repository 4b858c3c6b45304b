package io.sluice.log;

/**
 * One producer as a partition's producer state has it, in the terms of Kafka's DescribeProducers (what
 * {@code kafka-transactions describe-producers} and {@code find-hanging} show, and what {@code abort} needs).
 *
 * @param producerId            the producer id
 * @param producerEpoch         the epoch it last wrote in
 * @param lastSequence          the last sequence of its last batch here, or -1 when none is kept
 * @param lastTimestamp         the max timestamp of its last batch here, or -1 when none is kept
 * @param coordinatorEpoch      the epoch of the transaction coordinator whose marker it last got here, or -1
 * @param currentTxnStartOffset the first offset of its open transaction here, or -1 without one
 */
public record ProducerDescription(long producerId, short producerEpoch, int lastSequence, long lastTimestamp,
                                  int coordinatorEpoch, long currentTxnStartOffset) {
}
