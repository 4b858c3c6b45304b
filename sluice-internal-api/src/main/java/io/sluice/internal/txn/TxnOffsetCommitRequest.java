package io.sluice.internal.txn;

import io.sluice.internal.group.PartitionOffset;
import java.util.List;

/**
 * TxnOffsetCommit: offsets the group commits if, and when, the transaction commits.
 *
 * @param transactionVersion 2 for Kafka's transaction version 2 (KIP-890 part 2: the group joins the transaction
 *                           here, with no AddOffsetsToTxn before); 1, or absent, for version 1
 * @param memberId           the group member the producer reads as (KIP-447: its consumer's {@code groupMetadata()}),
 *                           or null or empty for none
 * @param generation         that member's generation (classic) or member epoch (consumer and streams groups), or
 *                           null or -1 for none
 * @param groupInstanceId    that member's static instance id, or null
 */
public record TxnOffsetCommitRequest(String transactionalId, long producerId, short producerEpoch, String groupId,
                                     List<PartitionOffset> offsets, Integer transactionVersion, String memberId,
                                     Integer generation, String groupInstanceId) {

    public TxnOffsetCommitRequest {
        offsets = offsets == null ? null : List.copyOf(offsets);
    }

    /** Transaction version 1, no member named. */
    public TxnOffsetCommitRequest(String transactionalId, long producerId, short producerEpoch, String groupId,
                                  List<PartitionOffset> offsets) {
        this(transactionalId, producerId, producerEpoch, groupId, offsets, null, null, null, null);
    }

    /** Whether the producer named no group member: nothing fences the commit (Kafka's clients before KIP-447). */
    public boolean anonymous() {
        return (memberId == null || memberId.isEmpty()) && (generation == null || generation < 0);
    }

    /** The transaction version the call is made under: 1 when absent. */
    public int version() {
        return transactionVersion == null ? 1 : transactionVersion;
    }
}
