package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TransactionAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TxnGroupRequest;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * AddOffsetsToTxn: the producer's open transaction will commit offsets of the group (sent next with TxnOffsetCommit).
 * A transactional id the principal may not WRITE is TRANSACTIONAL_ID_AUTHORIZATION_FAILED, a group it may not READ
 * GROUP_AUTHORIZATION_FAILED.
 */
@Component
class AddOffsetsToTxnApi implements KafkaApi {

    private final TransactionApi transactions;
    private final GroupAccess access;
    private final TransactionAccess transactionAccess;

    AddOffsetsToTxnApi(TransactionApi transactions, GroupAccess access, TransactionAccess transactionAccess) {
        this.transactions = transactions;
        this.access = access;
        this.transactionAccess = transactionAccess;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        AddOffsetsToTxnRequestData data = ((AddOffsetsToTxnRequest) request.body()).data();
        if (!transactionAccess.allowed(session, request, AclOperation.WRITE, data.transactionalId())) {
            return Mono.just(new AddOffsetsToTxnResponseData().setErrorCode(
                    Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        }
        if (!access.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(new AddOffsetsToTxnResponseData().setErrorCode(
                    Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return transactions.addOffsets(new TxnGroupRequest(data.transactionalId(), data.producerId(),
                        data.producerEpoch(), data.groupId()))
                .then(Mono.fromSupplier(() -> (ApiMessage) new AddOffsetsToTxnResponseData()))
                .onErrorResume(e -> Mono.just(new AddOffsetsToTxnResponseData()
                        .setErrorCode(Errors.forException(KafkaErrors.exception(e)).code())));
    }
}
