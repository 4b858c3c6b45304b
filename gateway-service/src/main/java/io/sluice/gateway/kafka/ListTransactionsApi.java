package io.sluice.gateway.kafka;

import io.sluice.internal.txn.TransactionApi;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ListTransactions (kafka-transactions.sh list): the transactional ids, filtered by state and producer id as asked.
 * The coordinator is one service, so one broker's answer is the whole list. Only ids the principal may DESCRIBE are
 * listed, as Kafka lists.
 */
@Component
class ListTransactionsApi implements KafkaApi {

    private final TransactionApi transactions;
    private final TransactionAccess access;

    ListTransactionsApi(TransactionApi transactions, TransactionAccess access) {
        this.transactions = transactions;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ListTransactionsRequestData data = ((ListTransactionsRequest) request.body()).data();
        return transactions.transactions()
                .map(all -> (ApiMessage) new ListTransactionsResponseData().setTransactionStates(all.stream()
                        .filter(txn -> data.stateFilters().isEmpty() || data.stateFilters()
                                .contains(DescribeTransactionsApi.kafkaState(txn.state())))
                        .filter(txn -> data.producerIdFilters().isEmpty()
                                || data.producerIdFilters().contains(txn.producerId()))
                        .filter(txn -> access.describable(session, txn.transactionalId()))
                        .map(txn -> new TransactionState().setTransactionalId(txn.transactionalId())
                                .setProducerId(txn.producerId())
                                .setTransactionState(DescribeTransactionsApi.kafkaState(txn.state())))
                        .toList()))
                .onErrorResume(e -> Mono.just(new ListTransactionsResponseData()
                        .setErrorCode(Errors.forException(KafkaErrors.exception(e)).code())));
    }
}
