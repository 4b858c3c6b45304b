package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TxnOffsetCommitRequest;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SupportedApis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * TxnOffsetCommit: a group's offsets that become its committed offsets when, and only if, the producer's transaction
 * commits (kept with the transaction by the coordinator until then). A group the principal may not READ is
 * GROUP_AUTHORIZATION_FAILED. Every partition gets the call's outcome. Version 5 is what Kafka's clients send under
 * transaction version 2, with no AddOffsetsToTxn before: the group joins the transaction here (asked again while the
 * producer's last transaction is being completed, {@link WhileCompleting}). From version 3 the request names the
 * group member the producer reads as, its generation or member epoch and its instance id (KIP-447): the coordinator
 * refuses the commit of a member the group no longer has (UNKNOWN_MEMBER_ID), of another generation or epoch
 * (ILLEGAL_GENERATION) or replaced under its instance id (FENCED_INSTANCE_ID), on which Kafka's producer aborts the
 * transaction — so a zombie that lost its partitions or tasks cannot commit output with their offsets. Versions 0
 * to 5:
 * version 6 names topics by id only (KIP-1319) and is not offered until topics are read by id here.
 */
@Component
class TxnOffsetCommitApi implements KafkaApi {

    private final TransactionApi transactions;
    private final GroupAccess access;
    private final boolean transactionVersion2;
    private final Duration addRetryTime;

    TxnOffsetCommitApi(TransactionApi transactions, GroupAccess access, GatewayProperties properties) {
        this.transactions = transactions;
        this.access = access;
        this.transactionVersion2 = properties.kafka().transactionVersion2();
        this.addRetryTime = properties.kafka().addPartitionsRetryTime();
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public SupportedApis.Versions versions() {
        return new SupportedApis.Versions((short) 0, (short) 5);
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        TxnOffsetCommitRequestData data = ((org.apache.kafka.common.requests.TxnOffsetCommitRequest) request.body()).data();
        if (!access.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(answer(data, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        List<PartitionOffset> offsets = new ArrayList<>();
        data.topics().forEach(topic -> topic.partitions().forEach(p -> offsets.add(new PartitionOffset(topic.name(),
                p.partitionIndex(), p.committedOffset(),
                p.committedLeaderEpoch() < 0 ? null : p.committedLeaderEpoch(), p.committedMetadata()))));
        int version = transactionVersion2 && request.version() >= 5 ? 2 : 1;
        // From version 3 the producer names the member it reads as (KIP-447), which fences a zombie's commit.
        TxnOffsetCommitRequest commit = new TxnOffsetCommitRequest(data.transactionalId(), data.producerId(),
                data.producerEpoch(), data.groupId(), offsets, version, data.memberId(),
                data.generationIdOrMemberEpoch(), data.groupInstanceId());
        // Under version 2 the group joins here, possibly before the producer's last transaction is complete.
        return (version == 2 ? WhileCompleting.retried(() -> transactions.commitOffsets(commit), addRetryTime)
                        : transactions.commitOffsets(commit))
                .then(Mono.fromSupplier(() -> answer(data, Errors.NONE)))
                .onErrorResume(e -> Mono.just(answer(data, Errors.forException(KafkaErrors.exception(e)))));
    }

    private static ApiMessage answer(TxnOffsetCommitRequestData data, Errors error) {
        List<TxnOffsetCommitResponseTopic> topics = new ArrayList<>();
        data.topics().forEach(topic -> {
            List<TxnOffsetCommitResponsePartition> partitions = new ArrayList<>();
            topic.partitions().forEach(p -> partitions.add(new TxnOffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code())));
            topics.add(new TxnOffsetCommitResponseTopic().setName(topic.name()).setPartitions(partitions));
        });
        return new TxnOffsetCommitResponseData().setTopics(topics);
    }
}
