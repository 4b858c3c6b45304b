package io.sluice.internal.txn;

import io.sluice.protocol.TopicPartition;
import java.util.List;

/** AddPartitionsToTxn: partitions the producer's open transaction writes to. */
public record TxnPartitionsRequest(String transactionalId, long producerId, short producerEpoch,
                                   List<TopicPartition> partitions) {

    public TxnPartitionsRequest {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
