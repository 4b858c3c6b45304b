package io.sluice.gateway.kafka.share;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.share.admin.ShareGroupAdmin;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteShareGroupOffsetsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * DeleteShareGroupOffsets (KIP-932; the admin client's {@code deleteShareGroupOffsets}, {@code kafka-share-groups
 * --delete-offsets}): the group forgets its share-partitions of the topics named, and starts in them afresh
 * ({@code share-groups.auto-offset-reset}) when it next takes records. Refused as a whole, changing nothing and
 * answered at the top: GROUP_ID_NOT_FOUND for a group with no share-partition (a delete makes no group),
 * NON_EMPTY_GROUP while it has members or a record of those topics is acquired. A topic that does not exist is
 * UNKNOWN_TOPIC_OR_PARTITION for itself only, as at Kafka; one the group has no share-partition of is no error.
 *
 * <p>Needs DELETE on the group (GROUP_AUTHORIZATION_FAILED) and READ on each topic (TOPIC_AUTHORIZATION_FAILED).
 */
@Component
class DeleteShareGroupOffsetsApi implements KafkaApi {

    private final ShareGroupAdmin admin;
    private final ClusterView cluster;
    private final GroupAccess groupAccess;
    private final TopicAccess topicAccess;

    DeleteShareGroupOffsetsApi(ShareGroupAdmin admin, ClusterView cluster, GroupAccess groupAccess,
                               TopicAccess topicAccess) {
        this.admin = admin;
        this.cluster = cluster;
        this.groupAccess = groupAccess;
        this.topicAccess = topicAccess;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DELETE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DeleteShareGroupOffsetsRequestData data = ((DeleteShareGroupOffsetsRequest) request.body()).data();
        DeleteShareGroupOffsetsResponseData response = new DeleteShareGroupOffsetsResponseData();
        if (!groupAccess.allowed(session, request, AclOperation.DELETE, data.groupId())) {
            return Mono.just(response.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message()));
        }
        MetadataView view = cluster.current();
        Map<String, DeleteShareGroupOffsetsResponseTopic> answers = new LinkedHashMap<>();
        List<String> deletable = new ArrayList<>();
        for (var topic : data.topics()) {
            String name = topic.topicName();
            if (answers.containsKey(name)) {
                continue;
            }
            var known = view.topic(name);
            var answer = new DeleteShareGroupOffsetsResponseTopic().setTopicName(name)
                    .setTopicId(known.map(t -> TopicIds.of(t.id())).orElse(Uuid.ZERO_UUID));
            answers.put(name, answer);
            Errors error = !topicAccess.allowed(session, request, AclOperation.READ, name)
                    ? Errors.TOPIC_AUTHORIZATION_FAILED
                    : known.isEmpty() ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NONE;
            if (error != Errors.NONE) {
                answer.setErrorCode(error.code()).setErrorMessage(error.message());
            } else {
                deletable.add(name);
            }
        }
        response.setResponses(new ArrayList<>(answers.values()));
        if (deletable.isEmpty()) {
            return Mono.just(response);
        }
        return admin.deleteStartOffsets(data.groupId(), deletable)
                .<ApiMessage>thenReturn(response)
                .onErrorResume(e -> {
                    var error = KafkaErrors.exception(e);
                    return Mono.just(new DeleteShareGroupOffsetsResponseData()
                            .setErrorCode(Errors.forException(error).code()).setErrorMessage(error.getMessage()));
                });
    }
}
