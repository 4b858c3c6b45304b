package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TransactionAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TransactionDescription;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicDataCollection;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DescribeTransactions (kafka-transactions.sh describe, Admin#describeTransactions): each transactional id's state as
 * Kafka names it (Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort), producer id and
 * epoch, timeout, start time and partitions. An id the principal may not DESCRIBE is
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
@Component
class DescribeTransactionsApi implements KafkaApi {

    private static final Map<String, String> KAFKA_STATES = Map.of("EMPTY", "Empty", "ONGOING", "Ongoing",
            "PREPARE_COMMIT", "PrepareCommit", "PREPARE_ABORT", "PrepareAbort", "COMPLETE_COMMIT", "CompleteCommit",
            "COMPLETE_ABORT", "CompleteAbort");

    private final TransactionApi transactions;
    private final TransactionAccess access;

    DescribeTransactionsApi(TransactionApi transactions, TransactionAccess access) {
        this.transactions = transactions;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeTransactionsRequestData data = ((DescribeTransactionsRequest) request.body()).data();
        return Flux.fromIterable(data.transactionalIds())
                .concatMap(id -> !access.allowed(session, request, AclOperation.DESCRIBE, id)
                        ? Mono.just(failed(id, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED))
                        : transactions.describeTransaction(id).map(DescribeTransactionsApi::state)
                                .onErrorResume(e -> Mono.just(failed(id, Errors.forException(KafkaErrors.exception(e))))))
                .collectList()
                .map(states -> new DescribeTransactionsResponseData().setTransactionStates(states));
    }

    private static TransactionState failed(String id, Errors error) {
        return new TransactionState().setTransactionalId(id).setErrorCode(error.code()).setTransactionState("")
                .setProducerId(-1).setProducerEpoch((short) -1);
    }

    static String kafkaState(String state) {
        return KAFKA_STATES.getOrDefault(state, state);
    }

    private static TransactionState state(TransactionDescription txn) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : txn.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new java.util.ArrayList<>()).add(tp.partition());
        }
        TopicDataCollection topics = new TopicDataCollection();
        byTopic.forEach((topic, partitions) -> topics.add(new TopicData().setTopic(topic).setPartitions(partitions)));
        return new TransactionState().setTransactionalId(txn.transactionalId())
                .setTransactionState(kafkaState(txn.state())).setTransactionTimeoutMs(txn.timeoutMs())
                .setTransactionStartTimeMs(txn.startedAtMs()).setProducerId(txn.producerId())
                .setProducerEpoch(txn.producerEpoch()).setTopics(topics);
    }
}
