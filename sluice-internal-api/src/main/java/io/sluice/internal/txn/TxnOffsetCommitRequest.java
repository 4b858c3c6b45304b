package io.sluice.internal.txn;

import io.sluice.internal.group.PartitionOffset;
import java.util.List;

/** TxnOffsetCommit: offsets the group commits if, and when, the transaction commits. */
public record TxnOffsetCommitRequest(String transactionalId, long producerId, short producerEpoch, String groupId,
                                     List<PartitionOffset> offsets) {

    public TxnOffsetCommitRequest {
        offsets = offsets == null ? null : List.copyOf(offsets);
    }
}
