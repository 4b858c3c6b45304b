package io.sluice.internal.txn;

/**
 * InitProducerId for a transactional id: its transaction timeout, and the producer id and epoch the caller holds
 * (-1 and -1 for a new producer instance; else KIP-360's request after it lost track of its epoch).
 */
public record TxnInitRequest(String transactionalId, int timeoutMs, long producerId, short producerEpoch) {
}
