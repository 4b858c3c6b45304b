package io.sluice.gateway.kafka.share;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.groups.ClassicGroupCalls;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ShareGroupHeartbeatRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ShareGroupHeartbeat (KIP-932, {@code group.protocol} of a {@code KafkaShareConsumer}): a share consumer's join,
 * heartbeat and leave, passed to the coordinator's share group membership, which assigns the group's partitions (a
 * partition to several members when they outnumber its partitions) and releases a departing member's records. The
 * assignment names topics by Sluice's topic ids; a topic not known to this gateway's metadata is left out until it is.
 * Needs READ on the group, as the HTTP share routes do.
 */
@Component
class ShareGroupHeartbeatApi implements KafkaApi {

    private final ShareGroupApi shares;
    private final ClusterView cluster;
    private final GroupAccess access;

    ShareGroupHeartbeatApi(ShareGroupApi shares, ClusterView cluster, GroupAccess access) {
        this.shares = shares;
        this.cluster = cluster;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SHARE_GROUP_HEARTBEAT;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ShareGroupHeartbeatRequestData data = ((ShareGroupHeartbeatRequest) request.body()).data();
        if (!access.allowed(session, request, AclOperation.READ, data.groupId())) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED, "The principal may not READ the group"));
        }
        ShareHeartbeatRequest heartbeat = new ShareHeartbeatRequest(data.groupId(), data.memberId(),
                data.memberEpoch(), data.subscribedTopicNames(), request.clientId(), session.clientHost());
        return shares.heartbeat(heartbeat)
                .map(answer -> (ApiMessage) answer(answer))
                .onErrorResume(e -> ClassicGroupCalls.failed(e, ShareGroupHeartbeatApi::failed));
    }

    private ShareGroupHeartbeatResponseData answer(ShareHeartbeatResponse answer) {
        MetadataView view = cluster.current();
        ShareGroupHeartbeatResponseData response = new ShareGroupHeartbeatResponseData()
                .setMemberId(answer.memberId())
                .setMemberEpoch(answer.memberEpoch())
                .setHeartbeatIntervalMs((int) Math.min(Integer.MAX_VALUE, answer.heartbeatIntervalMs()));
        if (answer.memberEpoch() < 0) {
            return response;
        }
        List<ShareGroupHeartbeatResponseData.TopicPartitions> assigned = new ArrayList<>();
        for (TopicPartitions topic : answer.assignment()) {
            view.topic(topic.topic()).ifPresent(known -> assigned.add(
                    new ShareGroupHeartbeatResponseData.TopicPartitions().setTopicId(TopicIds.of(known.id()))
                            .setPartitions(topic.partitions())));
        }
        return response.setAssignment(new ShareGroupHeartbeatResponseData.Assignment().setTopicPartitions(assigned));
    }

    private static ShareGroupHeartbeatResponseData failed(Errors error, String message) {
        return new ShareGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}
