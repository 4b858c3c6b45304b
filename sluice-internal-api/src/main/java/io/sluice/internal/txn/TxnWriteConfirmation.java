package io.sluice.internal.txn;

/** Every record of the write {@code callId} was written: it no longer keeps its transaction from committing. */
public record TxnWriteConfirmation(String transactionalId, long producerId, short producerEpoch, String callId) {
}
