package io.sluice.gateway.kafka.share;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.share.admin.ShareGroupAdmin;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import io.sluice.protocol.TopicPartition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterShareGroupOffsetsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * AlterShareGroupOffsets (KIP-932; the admin client's {@code alterShareGroupOffsets}, {@code kafka-share-groups
 * --reset-offsets --execute}): the start offsets of some share-partitions set at once, as the HTTP reset to explicit
 * offsets does ({@link ShareGroupAdmin#setStartOffsets}); a share group that does not exist yet is made with them, as
 * at Kafka. Refused as a whole, changing nothing: NON_EMPTY_GROUP while the group has members (or a record is
 * acquired), GROUP_ID_NOT_FOUND for a consumer group's id, OFFSET_OUT_OF_RANGE for an offset outside its log — the
 * error on every partition and at the top. A topic or partition that does not exist is UNKNOWN_TOPIC_OR_PARTITION
 * for itself only, as at Kafka.
 *
 * <p>Needs READ on the group (GROUP_AUTHORIZATION_FAILED) and on each topic (TOPIC_AUTHORIZATION_FAILED for its
 * partitions).
 */
@Component
class AlterShareGroupOffsetsApi implements KafkaApi {

    private final ShareGroupAdmin admin;
    private final ClusterView cluster;
    private final GroupAccess groupAccess;
    private final TopicAccess topicAccess;

    AlterShareGroupOffsetsApi(ShareGroupAdmin admin, ClusterView cluster, GroupAccess groupAccess,
                              TopicAccess topicAccess) {
        this.admin = admin;
        this.cluster = cluster;
        this.groupAccess = groupAccess;
        this.topicAccess = topicAccess;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.ALTER_SHARE_GROUP_OFFSETS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        AlterShareGroupOffsetsRequestData data = ((AlterShareGroupOffsetsRequest) request.body()).data();
        String group = data.groupId();
        AlterShareGroupOffsetsResponseData response = new AlterShareGroupOffsetsResponseData();
        if (!groupAccess.allowed(session, request, AclOperation.READ, group)) {
            return Mono.just(refuseAll(data, response, Errors.GROUP_AUTHORIZATION_FAILED,
                    Errors.GROUP_AUTHORIZATION_FAILED.message()));
        }
        MetadataView view = cluster.current();
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        Map<TopicPartition, AlterShareGroupOffsetsResponsePartition> valid = new LinkedHashMap<>();
        for (AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic topic : data.topics()) {
            Optional<TopicMetadata> known = view.topic(topic.topicName());
            var answer = new AlterShareGroupOffsetsResponseTopic().setTopicName(topic.topicName())
                    .setTopicId(known.map(t -> TopicIds.of(t.id())).orElse(Uuid.ZERO_UUID));
            response.responses().add(answer);
            boolean allowed = topicAccess.allowed(session, request, AclOperation.READ, topic.topicName());
            for (var partition : topic.partitions()) {
                var result = new AlterShareGroupOffsetsResponsePartition()
                        .setPartitionIndex(partition.partitionIndex());
                answer.partitions().add(result);
                Errors error = !allowed ? Errors.TOPIC_AUTHORIZATION_FAILED
                        : known.isEmpty() || partition.partitionIndex() < 0
                        || partition.partitionIndex() >= known.get().partitions().size()
                        ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NONE;
                if (error != Errors.NONE) {
                    result.setErrorCode(error.code()).setErrorMessage(error.message());
                } else {
                    TopicPartition tp = new TopicPartition(topic.topicName(), partition.partitionIndex());
                    offsets.put(tp, partition.startOffset());
                    valid.put(tp, result);
                }
            }
        }
        if (offsets.isEmpty()) {
            return Mono.just(response);
        }
        return admin.setStartOffsets(group, offsets)
                .<ApiMessage>thenReturn(response)
                .onErrorResume(e -> {
                    var error = KafkaErrors.exception(e);
                    Errors code = Errors.forException(error);
                    valid.values().forEach(result -> result.setErrorCode(code.code())
                            .setErrorMessage(error.getMessage()));
                    return Mono.just(response.setErrorCode(code.code()).setErrorMessage(error.getMessage()));
                });
    }

    private static AlterShareGroupOffsetsResponseData refuseAll(AlterShareGroupOffsetsRequestData data,
                                                              AlterShareGroupOffsetsResponseData response,
                                                              Errors error, String message) {
        for (var topic : data.topics()) {
            var answer = new AlterShareGroupOffsetsResponseTopic().setTopicName(topic.topicName());
            topic.partitions().forEach(p -> answer.partitions().add(new AlterShareGroupOffsetsResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(error.code()).setErrorMessage(message)));
            response.responses().add(answer);
        }
        return response.setErrorCode(error.code()).setErrorMessage(message);
    }
}
