package io.sluice.internal.txn;

/** EndTxn: commit (true) or abort the producer's open transaction. */
public record TxnEndRequest(String transactionalId, long producerId, short producerEpoch, boolean commit) {
}
