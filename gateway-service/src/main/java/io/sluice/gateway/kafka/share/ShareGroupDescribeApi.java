package io.sluice.gateway.kafka.share;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.groups.KafkaShareGroups;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ShareGroupDescribeRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ShareGroupDescribe (KIP-932, the admin client's {@code describeShareGroups}): each share group's members as the
 * coordinator knows them — Kafka share consumers, with their epochs, subscriptions, client ids and hosts and
 * assignments (topics by id and name). HTTP workers are not members and are not listed. A group with members is
 * {@code Stable} (share groups have no rebalance to wait for); one without members but with share-partitions stored
 * is {@code Empty}; an id with neither is GROUP_ID_NOT_FOUND, as Kafka answers: "not a share group" for a consumer
 * group's id, "not found" for any other. The assignor is named {@code simple}, as Kafka names its
 * share assignor, though Sluice's rule is its own. Needs DESCRIBE on each group (GROUP_AUTHORIZATION_FAILED for it).
 */
@Component
class ShareGroupDescribeApi implements KafkaApi {

    static final String ASSIGNOR = "simple";

    private final ShareGroupApi shares;
    private final ClusterView cluster;
    private final GroupAccess access;
    private final KafkaShareGroups shareGroups;
    private final CoordinatorApi coordinator;
    private final ClassicGroupApi classic;

    ShareGroupDescribeApi(ShareGroupApi shares, ClusterView cluster, GroupAccess access, KafkaShareGroups shareGroups,
                          CoordinatorApi coordinator, ClassicGroupApi classic) {
        this.shareGroups = shareGroups;
        this.coordinator = coordinator;
        this.classic = classic;
        this.shares = shares;
        this.cluster = cluster;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SHARE_GROUP_DESCRIBE;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ShareGroupDescribeRequestData data = ((ShareGroupDescribeRequest) request.body()).data();
        return Flux.fromIterable(data.groupIds())
                .concatMap(groupId -> {
                    if (!access.allowed(session, request, AclOperation.DESCRIBE, groupId)) {
                        return Mono.just(failed(groupId, Errors.GROUP_AUTHORIZATION_FAILED,
                                "The principal may not DESCRIBE the group"));
                    }
                    return shares.members(groupId).flatMap(members -> members.members().isEmpty()
                                    ? shareGroups.stored(groupId).flatMap(stored -> stored
                                            ? Mono.just(described(members)) : notFound(groupId))
                                    : Mono.just(described(members)))
                            .onErrorResume(e -> Mono.just(failed(groupId,
                                    Errors.forException(KafkaErrors.exception(e)), e.getMessage())));
                })
                .collectList()
                .map(groups -> new ShareGroupDescribeResponseData().setGroups(groups));
    }

    private ShareGroupDescribeResponseData.DescribedGroup described(ShareGroupMembers group) {
        MetadataView view = cluster.current();
        List<ShareGroupDescribeResponseData.Member> members = new ArrayList<>();
        for (ShareGroupMembers.Member member : group.members()) {
            List<ShareGroupDescribeResponseData.TopicPartitions> assigned = new ArrayList<>();
            for (TopicPartitions topic : member.assignment()) {
                view.topic(topic.topic()).ifPresent(known -> assigned.add(
                        new ShareGroupDescribeResponseData.TopicPartitions().setTopicId(TopicIds.of(known.id()))
                                .setTopicName(known.name()).setPartitions(topic.partitions())));
            }
            members.add(new ShareGroupDescribeResponseData.Member()
                    .setMemberId(member.memberId())
                    .setMemberEpoch(member.memberEpoch())
                    .setClientId(member.clientId() == null ? "" : member.clientId())
                    .setClientHost(member.clientHost() == null ? "" : member.clientHost())
                    .setSubscribedTopicNames(member.subscribedTopicNames())
                    .setAssignment(new ShareGroupDescribeResponseData.Assignment().setTopicPartitions(assigned)));
        }
        return new ShareGroupDescribeResponseData.DescribedGroup()
                .setGroupId(group.groupId())
                .setGroupState(members.isEmpty() ? "Empty" : "Stable")
                .setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.groupEpoch())
                .setAssignorName(ASSIGNOR)
                .setMembers(members);
    }

    /** A member-less id without share-partitions: a consumer group's ("not a share group"), or nobody's. */
    private Mono<ShareGroupDescribeResponseData.DescribedGroup> notFound(String groupId) {
        Mono<Boolean> consumerGroup = coordinator.describeGroup(groupId).thenReturn(true).onErrorReturn(false)
                .flatMap(found -> found ? Mono.just(true) : classic.describe(groupId)
                        .map(group -> !group.members().isEmpty()).onErrorReturn(false));
        return consumerGroup.map(found -> failed(groupId, Errors.GROUP_ID_NOT_FOUND, found
                ? "Group " + groupId + " is not a share group." : "Group " + groupId + " not found."));
    }

    private static ShareGroupDescribeResponseData.DescribedGroup failed(String groupId, Errors error, String message) {
        return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId).setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
