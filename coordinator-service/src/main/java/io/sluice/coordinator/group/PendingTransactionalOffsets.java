package io.sluice.coordinator.group;

import io.sluice.protocol.TopicPartition;
import java.util.Set;

/**
 * Offsets that transactions hold for groups and have not committed yet (Kafka's TxnOffsetCommit before the markers
 * are written): a group's committed offset of such a partition may be about to move, so a reader that asks for stable
 * offsets (KIP-447's {@code require_stable}) must wait. Implemented by the transaction coordinator, which the group
 * package cannot see; a transaction's offsets count as pending from its TxnOffsetCommit until it is complete, so at
 * every moment either they are pending or the group's committed offsets already hold them.
 */
public interface PendingTransactionalOffsets {

    /** Whether the pending offsets are known: the transactional ids are loaded on the active coordinator. */
    boolean isReady();

    /** The partitions for which an open or completing transaction holds an offset of {@code groupId}. */
    Set<TopicPartition> pending(String groupId);
}
