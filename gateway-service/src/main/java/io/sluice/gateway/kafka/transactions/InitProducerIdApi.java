package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TransactionAccess;
import io.sluice.gateway.routing.ProducerIds;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TxnInitRequest;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * InitProducerId. For idempotent producers: a producer id no one else has (the coordinator hands them out in blocks),
 * at epoch 0; a producer that asks again with its old id and epoch (KIP-360, after it lost track of its sequences)
 * gets a new id, as Kafka gives a producer without a transactional id, and the partitions' producer state keeps the
 * old one until it expires. With a transactional id: the transaction coordinator's producer id and next epoch for it
 * (which fences older instances and aborts their open transaction: the caller retries on CONCURRENT_TRANSACTIONS);
 * a transactional id the principal may not WRITE is TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
@Component
class InitProducerIdApi implements KafkaApi {

    private final ProducerIds producerIds;
    private final TransactionApi transactions;
    private final TransactionAccess access;

    InitProducerIdApi(ProducerIds producerIds, TransactionApi transactions, TransactionAccess access) {
        this.producerIds = producerIds;
        this.transactions = transactions;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        InitProducerIdRequestData data = ((InitProducerIdRequest) request.body()).data();
        if (data.transactionalId() != null) {
            if (!access.allowed(session, request, AclOperation.WRITE, data.transactionalId())) {
                return Mono.just(new InitProducerIdResponseData()
                        .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                        .setProducerId(-1).setProducerEpoch((short) -1));
            }
            return transactions.initProducerId(new TxnInitRequest(data.transactionalId(), data.transactionTimeoutMs(),
                            data.producerId(), data.producerEpoch()))
                    .map(producer -> (ApiMessage) new InitProducerIdResponseData().setProducerId(producer.producerId())
                            .setProducerEpoch(producer.producerEpoch()))
                    .onErrorResume(e -> Mono.just(new InitProducerIdResponseData()
                            .setErrorCode(Errors.forException(KafkaErrors.exception(e)).code())
                            .setProducerId(-1).setProducerEpoch((short) -1)));
        }
        return producerIds.forClient().map(id -> new InitProducerIdResponseData().setProducerId(id)
                .setProducerEpoch((short) 0));
    }
}
