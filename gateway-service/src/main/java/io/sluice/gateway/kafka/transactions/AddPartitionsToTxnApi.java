package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.kafka.TransactionAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TxnPartitionsRequest;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * AddPartitionsToTxn (the client versions, 0 to 3): the partitions join the producer's open transaction at the
 * transaction coordinator. Every partition gets the call's outcome: TRANSACTIONAL_ID_AUTHORIZATION_FAILED when the
 * principal may not WRITE the transactional id; otherwise a topic it may not WRITE is TOPIC_AUTHORIZATION_FAILED and
 * the others OPERATION_NOT_ATTEMPTED, as Kafka answers. Versions 0 to 3, the clients' (Kafka's producers send no
 * other); the broker-to-broker batched form (version 4 on, KIP-890's verification) is not offered: Sluice's leaders
 * ask the coordinator over its internal API instead.
 */
@Component
class AddPartitionsToTxnApi implements KafkaApi {

    private final TransactionApi transactions;
    private final TopicAccess access;
    private final TransactionAccess transactionAccess;

    AddPartitionsToTxnApi(TransactionApi transactions, TopicAccess access, TransactionAccess transactionAccess) {
        this.transactions = transactions;
        this.access = access;
        this.transactionAccess = transactionAccess;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public SupportedApis.Versions versions() {
        return new SupportedApis.Versions((short) 0, (short) 3);
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        AddPartitionsToTxnRequestData data = ((AddPartitionsToTxnRequest) request.body()).data();
        if (!transactionAccess.allowed(session, request, AclOperation.WRITE, data.v3AndBelowTransactionalId())) {
            return Mono.just(answer(data, topic -> Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        List<TopicPartition> partitions = new ArrayList<>();
        Set<String> denied = new HashSet<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : data.v3AndBelowTopics()) {
            if (!access.allowed(session, request, AclOperation.WRITE, topic.name())) {
                denied.add(topic.name()); // asked once per topic: each denial is one audit line
            }
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p)));
        }
        if (!denied.isEmpty()) {
            return Mono.just(answer(data, topic -> denied.contains(topic) ? Errors.TOPIC_AUTHORIZATION_FAILED
                    : Errors.OPERATION_NOT_ATTEMPTED));
        }
        return transactions.addPartitions(new TxnPartitionsRequest(data.v3AndBelowTransactionalId(),
                        data.v3AndBelowProducerId(), data.v3AndBelowProducerEpoch(), partitions))
                .then(Mono.fromSupplier(() -> answer(data, topic -> Errors.NONE)))
                .onErrorResume(e -> {
                    Errors error = Errors.forException(KafkaErrors.exception(e));
                    return Mono.just(answer(data, topic -> error));
                });
    }

    private static ApiMessage answer(AddPartitionsToTxnRequestData data, Function<String, Errors> errorOf) {
        AddPartitionsToTxnTopicResultCollection results = new AddPartitionsToTxnTopicResultCollection();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : data.v3AndBelowTopics()) {
            AddPartitionsToTxnTopicResult result = new AddPartitionsToTxnTopicResult().setName(topic.name());
            Errors error = errorOf.apply(topic.name());
            topic.partitions().forEach(p -> result.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                    .setPartitionIndex(p).setPartitionErrorCode(error.code())));
            results.add(result);
        }
        return new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(results);
    }
}
