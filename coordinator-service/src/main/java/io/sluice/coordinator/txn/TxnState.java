package io.sluice.coordinator.txn;

/**
 * Where a transactional id's transaction stands (Kafka's TransactionState, without its internal fencing states):
 * no transaction yet ({@code EMPTY}), records being written ({@code ONGOING}), decided and its markers being written
 * ({@code PREPARE_*}: stored before the first marker, so a coordinator taking over finishes it), and done
 * ({@code COMPLETE_*}).
 */
enum TxnState {
    EMPTY,
    ONGOING,
    PREPARE_COMMIT,
    PREPARE_ABORT,
    COMPLETE_COMMIT,
    COMPLETE_ABORT;

    boolean preparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** Whether a new transaction may begin: none is open or being completed. */
    boolean idle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
