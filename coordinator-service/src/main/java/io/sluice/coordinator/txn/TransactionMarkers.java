package io.sluice.coordinator.txn;

import reactor.core.publisher.Mono;

/**
 * Writes a decided transaction's markers (commit or abort, its producer id and epoch, its coordinator epoch) to every
 * partition it names, at each partition's leader, and completes once every one is written and replicated; fails if
 * any is not (the transaction manager tries again). A marker written twice is harmless: the second finds no open
 * transaction of the producer at the partition.
 */
interface TransactionMarkers {

    Mono<Void> write(Transaction txn);
}
