package io.sluice.internal.txn;

import java.util.List;

/**
 * A write into an HTTP transaction, before it is sent: the records it has for each partition, under a {@code callId}
 * of the writer's choosing. The coordinator adds the partitions to the transaction and answers each one's first
 * sequence ({@link TxnSequences}); the write stays pending, keeping the transaction from committing, until it is
 * confirmed ({@link TxnWriteConfirmation}).
 */
public record TxnWriteRequest(String transactionalId, long producerId, short producerEpoch, String callId,
                              List<PartitionRecords> partitions) {

    /** How many records the write has for one partition. */
    public record PartitionRecords(String topic, int partition, int records) {
    }

    public TxnWriteRequest {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
