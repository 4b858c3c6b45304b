package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.group.member.Commits;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * OffsetCommit: a group's offsets committed through the same {@link Commits} as HTTP commits — the same checks (a known
 * partition, not beyond its log end) and the coordinator's all-or-nothing commit, fenced by the member's id and epoch
 * ({@code generation_id_or_member_epoch}). A commit without a member (id empty, epoch -1) is what tools send to set a
 * group's offsets ({@code kafka-consumer-groups --reset-offsets --execute}): it is the HTTP API's offset reset, to the
 * offsets given, backwards included, refused with NON_EMPTY_GROUP while the group has members. The partitions the request may commit go in one commit: if it is refused,
 * each of them carries the refusal's error. A partition of a topic unknown, or one the principal may not READ, is
 * refused alone (UNKNOWN_TOPIC_OR_PARTITION / UNKNOWN_TOPIC_ID, TOPIC_AUTHORIZATION_FAILED); the group needs READ.
 */
@Component
class OffsetCommitApi implements KafkaApi {

    private final Commits commits;
    private final ClusterView cluster;
    private final TopicAccess topics;
    private final GroupAccess groups;

    OffsetCommitApi(Commits commits, ClusterView cluster, TopicAccess topics, GroupAccess groups) {
        this.commits = commits;
        this.cluster = cluster;
        this.topics = topics;
        this.groups = groups;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        OffsetCommitRequestData data =
                ((org.apache.kafka.common.requests.OffsetCommitRequest) request.body()).data();
        boolean byId = request.version() >= 10;
        boolean groupAllowed = groups.allowed(session, request, AclOperation.READ, data.groupId());
        MetadataView view = cluster.current();
        List<OffsetCommitResponseTopic> answers = new ArrayList<>();
        List<PartitionOffset> offsets = new ArrayList<>();
        // The answers waiting for the commit's outcome.
        List<OffsetCommitResponsePartition> pending = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : data.topics()) {
            Optional<TopicMetadata> known = byId ? KafkaTopics.byId(view, topic.topicId()) : view.topic(topic.name());
            OffsetCommitResponseTopic answer = byId ? new OffsetCommitResponseTopic().setTopicId(topic.topicId())
                    : new OffsetCommitResponseTopic().setName(topic.name());
            Errors refusal = !groupAllowed ? Errors.GROUP_AUTHORIZATION_FAILED
                    : !topics.allowed(session, request, AclOperation.READ,
                            known.map(TopicMetadata::name).orElse(String.valueOf(topic.name())))
                            ? Errors.TOPIC_AUTHORIZATION_FAILED
                    : known.isEmpty() ? (byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION)
                    : Errors.NONE;
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                OffsetCommitResponsePartition result = new OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex());
                answer.partitions().add(result);
                Errors error = refusal == Errors.NONE && (partition.partitionIndex() < 0
                        || partition.partitionIndex() >= known.get().partitions().size())
                        ? Errors.UNKNOWN_TOPIC_OR_PARTITION : refusal;
                if (error != Errors.NONE) {
                    result.setErrorCode(error.code());
                    continue;
                }
                offsets.add(new PartitionOffset(known.get().name(), partition.partitionIndex(),
                        partition.committedOffset(),
                        partition.committedLeaderEpoch() < 0 ? null : partition.committedLeaderEpoch(),
                        partition.committedMetadata()));
                pending.add(result);
            }
            answers.add(answer);
        }
        OffsetCommitResponseData response = new OffsetCommitResponseData().setTopics(answers);
        if (offsets.isEmpty()) {
            return Mono.just(response);
        }
        String memberId = data.memberId() == null ? "" : data.memberId();
        Mono<?> done = memberId.isEmpty() && data.generationIdOrMemberEpoch() < 0
                ? commits.reset(data.groupId(), offsets)
                : commits.commit(data.groupId(), new OffsetCommitRequest(memberId, data.generationIdOrMemberEpoch(),
                        offsets));
        return done.then(Mono.<ApiMessage>just(response))
                .onErrorResume(e -> {
                    short code = Errors.forException(KafkaErrors.exception(e)).code();
                    pending.forEach(result -> result.setErrorCode(code));
                    return Mono.just(response);
                });
    }
}
