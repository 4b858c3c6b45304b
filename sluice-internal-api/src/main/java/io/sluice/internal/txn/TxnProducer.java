package io.sluice.internal.txn;

/** The producer id and epoch a transactional producer writes with. */
public record TxnProducer(long producerId, short producerEpoch) {
}
