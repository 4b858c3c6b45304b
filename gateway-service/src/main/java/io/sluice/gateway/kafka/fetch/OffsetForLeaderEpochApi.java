package io.sluice.gateway.kafka.fetch;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.acl.AclOperation;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.OffsetLookups;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * OffsetsForLeaderEpoch (KIP-320), answered by the rules every Kafka listener shares
 * ({@link OffsetLookups#epochEndOffsets}): each partition's leader, asked through the {@link PartitionReader}, says
 * where the epoch ends in its log, exactly as it answers a follower. A topic the principal may not DESCRIBE is
 * TOPIC_AUTHORIZATION_FAILED.
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
        return OffsetLookups.epochEndOffsets(((OffsetsForLeaderEpochRequest) request.body()).data(),
                        topic -> access.allowed(session, request, AclOperation.DESCRIBE, topic),
                        (tp, current, epoch) -> reader.epochEndOffset(tp, current, epoch)
                                .map(end -> new OffsetLookups.EpochEnd(end.errorCode(), end.leaderEpoch(),
                                        end.endOffset())))
                .map(ApiMessage.class::cast);
    }
}
