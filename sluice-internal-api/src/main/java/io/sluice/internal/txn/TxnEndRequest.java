package io.sluice.internal.txn;

/**
 * EndTxn: commit (true) or abort the producer's open transaction; answered with the producer id and epoch its next
 * transaction writes with.
 *
 * @param transactionVersion 2 for Kafka's transaction version 2 (KIP-890 part 2: the epoch moves at every EndTxn);
 *                           1, or absent, for version 1 (it stays)
 */
public record TxnEndRequest(String transactionalId, long producerId, short producerEpoch, boolean commit,
                            Integer transactionVersion) {

    /** Transaction version 1. */
    public TxnEndRequest(String transactionalId, long producerId, short producerEpoch, boolean commit) {
        this(transactionalId, producerId, producerEpoch, commit, null);
    }

    /** The transaction version the call is made under: 1 when absent. */
    public int version() {
        return transactionVersion == null ? 1 : transactionVersion;
    }
}
