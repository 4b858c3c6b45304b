package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TransactionAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TxnEndRequest;
import io.sluice.internal.txn.TxnProducer;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * EndTxn: commit or abort the producer's open transaction. Answered once the decision is stored; its markers are
 * written after, and until they are, the transactional id's next calls are CONCURRENT_TRANSACTIONS (which the client
 * retries). Version 5 is what Kafka's clients send under transaction version 2 (they send at most version 4 under
 * version 1): the coordinator moves the producer to its next epoch (or, at the last, a new producer id), answered
 * here; before version 5 the producer id and epoch stay. A transactional id the principal may not WRITE is
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
@Component
class EndTxnApi implements KafkaApi {

    private final TransactionApi transactions;
    private final TransactionAccess access;
    private final boolean transactionVersion2;

    EndTxnApi(TransactionApi transactions, TransactionAccess access, GatewayProperties properties) {
        this.transactions = transactions;
        this.access = access;
        this.transactionVersion2 = properties.kafka().transactionVersion2();
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.END_TXN;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        EndTxnRequestData data = ((EndTxnRequest) request.body()).data();
        if (!access.allowed(session, request, AclOperation.WRITE, data.transactionalId())) {
            return Mono.just(new EndTxnResponseData().setProducerId(-1).setProducerEpoch((short) -1)
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        }
        int version = transactionVersion2 && request.version() >= 5 ? 2 : 1;
        return transactions.endTxn(new TxnEndRequest(data.transactionalId(), data.producerId(), data.producerEpoch(),
                        data.committed(), version))
                .defaultIfEmpty(new TxnProducer(data.producerId(), data.producerEpoch()))
                .map(next -> (ApiMessage) new EndTxnResponseData().setProducerId(next.producerId())
                        .setProducerEpoch(next.producerEpoch()))
                .onErrorResume(e -> Mono.just(new EndTxnResponseData().setProducerId(-1).setProducerEpoch((short) -1)
                        .setErrorCode(Errors.forException(KafkaErrors.exception(e)).code())));
    }
}
