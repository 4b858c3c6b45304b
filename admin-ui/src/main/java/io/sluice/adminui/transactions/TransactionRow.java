package io.sluice.adminui.transactions;

import io.sluice.adminui.gateway.GatewayViews.TransactionalId;

/**
 * One row of the transactions page: the transactional id as listed, how long its open transaction has run ("—" when
 * none is open), its partitions as Kafka's tools name them, and whether a transaction is open or completing (it then
 * holds back read_committed readers of those partitions).
 */
record TransactionRow(TransactionalId id, String age, String partitions, boolean open) {
}
