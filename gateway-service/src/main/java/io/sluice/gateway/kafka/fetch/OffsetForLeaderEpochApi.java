package io.sluice.gateway.kafka.fetch;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.acl.AclOperation;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.TopicPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * OffsetsForLeaderEpoch, which a consumer asks after a leader change to learn whether the log it read was truncated
 * (KIP-320): each partition's leader answers where the epoch ends in its log, fenced by the epoch the consumer
 * believes current, exactly as it answers a follower (the same question, asked through the {@link PartitionReader}).
 * A topic the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED.
 */
@Component
class OffsetForLeaderEpochApi implements KafkaApi {

    private final PartitionReader reader;
    private final TopicAccess access;

    OffsetForLeaderEpochApi(PartitionReader reader, TopicAccess access) {
        this.reader = reader;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        OffsetForLeaderEpochRequestData data = ((OffsetsForLeaderEpochRequest) request.body()).data();
        return Flux.fromIterable(data.topics())
                .concatMap(topic -> Flux.fromIterable(topic.partitions())
                        .flatMapSequential(partition -> !access.allowed(session, request, AclOperation.DESCRIBE,
                                topic.topic()) ? Mono.just(new EpochEndOffset().setPartition(partition.partition())
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setLeaderEpoch(-1)
                                        .setEndOffset(-1))
                                : reader.epochEndOffset(
                                        new TopicPartition(topic.topic(), partition.partition()),
                                        partition.currentLeaderEpoch(), partition.leaderEpoch())
                                .map(answer -> new EpochEndOffset().setPartition(partition.partition())
                                        .setErrorCode(KafkaErrors.ofRead(answer.errorCode()).code())
                                        .setLeaderEpoch(answer.leaderEpoch()).setEndOffset(answer.endOffset()))
                                .onErrorResume(e -> Mono.just(new EpochEndOffset().setPartition(partition.partition())
                                        .setErrorCode(e instanceof io.sluice.protocol.SluiceException failure
                                                ? KafkaErrors.ofRead(failure.errorCode()).code()
                                                : Errors.forException(KafkaErrors.exception(e)).code())
                                        .setLeaderEpoch(-1).setEndOffset(-1))))
                        .collectList()
                        .map(partitions -> new OffsetForLeaderTopicResult().setTopic(topic.topic())
                                .setPartitions(partitions)))
                .collectList()
                .map(topics -> {
                    OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResultCollection results =
                            new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResultCollection();
                    topics.forEach(results::add);
                    return new OffsetForLeaderEpochResponseData().setTopics(results);
                });
    }
}
