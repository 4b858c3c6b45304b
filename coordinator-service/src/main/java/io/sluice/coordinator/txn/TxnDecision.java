package io.sluice.coordinator.txn;

import io.sluice.protocol.SluiceException;

/**
 * What a transaction command decided: the transactional id's state after it (the same value when nothing changes),
 * and the caller's answer once that is stored — a value, or an error that is answered even though the change is kept
 * (an InitProducerId that fences an open transaction aborts it and answers CONCURRENT_TRANSACTIONS).
 */
record TxnDecision<T>(Transaction after, T result, SluiceException failure) {

    static <T> TxnDecision<T> of(Transaction after, T result) {
        return new TxnDecision<>(after, result, null);
    }

    static <T> TxnDecision<T> failing(Transaction after, SluiceException failure) {
        return new TxnDecision<>(after, null, failure);
    }

    /** Whether markers are to be written for the state after: it is decided and not yet complete. */
    boolean markersDue() {
        return after != null && after.state().preparing();
    }
}
