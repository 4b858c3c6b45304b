package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ConsumerGroupHeartbeat (KIP-848, {@code group.protocol=consumer}): a Kafka consumer's join, heartbeat and leave,
 * passed to the coordinator's groups as the gateway passes its HTTP members' — the same groups, the same
 * release-before-reassign rule and epochs, so a Kafka consumer and an SSE or polling member can share one group. Topic
 * ids in the request and the assignment are Sluice's topic ids; an owned partition of a topic no longer known is left
 * out. The server assignor is Sluice's uniform one: a request naming another ({@code group.remote.assignor}) is
 * UNSUPPORTED_ASSIGNOR. Joining or heartbeating needs READ on the group.
 *
 * <p>A join to a classic group of classic consumers makes it a consumer group (Kafka's online upgrade, done by the
 * coordinator); a join to a classic group it cannot take over (another protocol type, as Connect's) is
 * GROUP_ID_NOT_FOUND ("not a consumer group"), as Kafka's group coordinator answers when it may not convert the group;
 * the coordinator's own refusal, INCONSISTENT_GROUP_PROTOCOL, is what HTTP members get.
 */
@Component
class ConsumerGroupHeartbeatApi implements KafkaApi {

    /** The one server-side assignor, by the name Kafka's broker gives its own uniform assignor. */
    static final String ASSIGNOR = "uniform";

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final GroupAccess access;

    ConsumerGroupHeartbeatApi(CoordinatorApi coordinator, ClusterView cluster, GroupAccess access) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ConsumerGroupHeartbeatRequestData data = ((ConsumerGroupHeartbeatRequest) request.body()).data();
        if (!access.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED, "The principal may not READ the group"));
        }
        if (data.serverAssignor() != null && !data.serverAssignor().equals(ASSIGNOR)) {
            return Mono.just(failed(Errors.UNSUPPORTED_ASSIGNOR, "Sluice assigns with '" + ASSIGNOR + "', not '"
                    + data.serverAssignor() + "'"));
        }
        MetadataView view = cluster.current();
        GroupHeartbeatRequest heartbeat = new GroupHeartbeatRequest(data.memberId(), data.memberEpoch(),
                data.instanceId(), data.rebalanceTimeoutMs() < 0 ? null : data.rebalanceTimeoutMs(), null,
                data.subscribedTopicNames(), data.subscribedTopicRegex(), owned(view, data.topicPartitions()),
                request.clientId(), session.clientHost());
        return coordinator.groupHeartbeat(data.groupId(), heartbeat)
                .map(answer -> (ApiMessage) answer(answer))
                .onErrorResume(e -> ClassicGroupCalls.failed(e, (error, message) ->
                        error == Errors.INCONSISTENT_GROUP_PROTOCOL ? failed(Errors.GROUP_ID_NOT_FOUND, "Group "
                                + data.groupId() + " is not a consumer group: its members speak the classic protocol")
                                : failed(error, message)));
    }

    private static List<TopicPartitions> owned(MetadataView view,
                                               List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned) {
        if (owned == null) {
            return null;
        }
        List<TopicPartitions> named = new ArrayList<>(owned.size());
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : owned) {
            KafkaTopics.byId(view, topic.topicId())
                    .ifPresent(known -> named.add(new TopicPartitions(known.name(), topic.partitions())));
        }
        return named;
    }

    private ConsumerGroupHeartbeatResponseData answer(GroupHeartbeatResponse answer) {
        MetadataView view = cluster.current();
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> assigned = new ArrayList<>();
        for (TopicPartitions topic : answer.assignment()) {
            view.topic(topic.topic()).ifPresent(known -> assigned.add(
                    new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(TopicIds.of(known.id()))
                            .setPartitions(topic.partitions())));
        }
        return new ConsumerGroupHeartbeatResponseData()
                .setMemberId(answer.memberId())
                .setMemberEpoch(answer.memberEpoch())
                .setHeartbeatIntervalMs((int) Math.min(Integer.MAX_VALUE, answer.heartbeatIntervalMs()))
                .setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(assigned));
    }

    private static ConsumerGroupHeartbeatResponseData failed(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}
