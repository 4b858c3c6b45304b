package io.sluice.partition.kafka;

import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * ListGroups and ListTransactions at a node: empty. Kafka's Admin asks every broker for the groups and transactions it
 * coordinates and joins the answers; the gateways coordinate every group and transaction (FindCoordinator names them)
 * and answer for them, so a node, which coordinates none, adds nothing — forwarded, each node's answer would list
 * every group and transaction once more.
 */
final class DirectListings {

    private DirectListings() {
    }

    /** Whether this node answers requests of {@code api} itself. */
    static boolean handles(ApiKeys api) {
        return api == ApiKeys.LIST_GROUPS || api == ApiKeys.LIST_TRANSACTIONS;
    }

    static ApiMessage answer(ApiKeys api) {
        return api == ApiKeys.LIST_GROUPS ? new ListGroupsResponseData() : new ListTransactionsResponseData();
    }
}
