package io.sluice.internal.txn;

import io.sluice.internal.group.PartitionOffset;
import java.util.List;

/**
 * TxnOffsetCommit: offsets the group commits if, and when, the transaction commits.
 *
 * @param transactionVersion 2 for Kafka's transaction version 2 (KIP-890 part 2: the group joins the transaction
 *                           here, with no AddOffsetsToTxn before); 1, or absent, for version 1
 */
public record TxnOffsetCommitRequest(String transactionalId, long producerId, short producerEpoch, String groupId,
                                     List<PartitionOffset> offsets, Integer transactionVersion) {

    public TxnOffsetCommitRequest {
        offsets = offsets == null ? null : List.copyOf(offsets);
    }

    /** Transaction version 1. */
    public TxnOffsetCommitRequest(String transactionalId, long producerId, short producerEpoch, String groupId,
                                  List<PartitionOffset> offsets) {
        this(transactionalId, producerId, producerEpoch, groupId, offsets, null);
    }

    /** The transaction version the call is made under: 1 when absent. */
    public int version() {
        return transactionVersion == null ? 1 : transactionVersion;
    }
}
