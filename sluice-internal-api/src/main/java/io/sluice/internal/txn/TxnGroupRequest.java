package io.sluice.internal.txn;

/** AddOffsetsToTxn: the open transaction will commit offsets of this consumer group. */
public record TxnGroupRequest(String transactionalId, long producerId, short producerEpoch, String groupId) {
}
