package io.sluice.gateway.kafka;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TxnEndRequest;
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
 * retries). The producer id and epoch are answered unchanged (transaction version 1: no epoch bump per transaction).
 * A transactional id the principal may not WRITE is TRANSACTIONAL_ID_AUTHORIZATION_FAILED.
 */
@Component
class EndTxnApi implements KafkaApi {

    private final TransactionApi transactions;
    private final TransactionAccess access;

    EndTxnApi(TransactionApi transactions, TransactionAccess access) {
        this.transactions = transactions;
        this.access = access;
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
        return transactions.endTxn(new TxnEndRequest(data.transactionalId(), data.producerId(), data.producerEpoch(),
                        data.committed()))
                .then(Mono.fromSupplier(() -> (ApiMessage) new EndTxnResponseData().setProducerId(data.producerId())
                        .setProducerEpoch(data.producerEpoch())))
                .onErrorResume(e -> Mono.just(new EndTxnResponseData().setProducerId(-1).setProducerEpoch((short) -1)
                        .setErrorCode(Errors.forException(KafkaErrors.exception(e)).code())));
    }
}
