package io.sluice.internal.txn;

/** Which transactional id to describe. */
public record TxnDescribeRequest(String transactionalId) {
}
