package io.sluice.gateway.kafka.fetch;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.OffsetLookups;
import io.sluice.protocol.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ListOffsets, answered by the rules every Kafka listener shares ({@link OffsetLookups#listOffsets}): each partition
 * asked of its leader through the {@link PartitionReader}, fenced by the leader epochs of the gateway's metadata. A
 * topic the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED.
 */
@Component
class ListOffsetsApi implements KafkaApi {

    private final ClusterView cluster;
    private final PartitionReader reader;
    private final TopicAccess access;

    ListOffsetsApi(ClusterView cluster, PartitionReader reader, TopicAccess access) {
        this.cluster = cluster;
        this.reader = reader;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ListOffsetsRequestData data = ((ListOffsetsRequest) request.body()).data();
        MetadataView view = cluster.current();
        return OffsetLookups.listOffsets(data, topic -> access.allowed(session, request, AclOperation.DESCRIBE, topic),
                        (topic, partition) -> view.partition(new TopicPartition(topic, partition))
                                .map(PartitionState::leaderEpoch).orElse(null),
                        (tp, timestamp, readCommitted) -> reader.listOffset(tp, timestamp, readCommitted)
                                .map(found -> new OffsetLookups.Found(found.offset(), found.timestamp())))
                .map(ApiMessage.class::cast);
    }
}
