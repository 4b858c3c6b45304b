package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.AuthorizedOperations;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupDescription;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.group.MemberDescription;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ConsumerGroupDescribe: a group as the coordinator holds it — its epochs, the uniform assignor, each member's epoch,
 * subscription, assignment and target assignment — whatever protocol its members came by (Kafka consumers, SSE or
 * polling members over HTTP). A Kafka member's client id and host are the ones its heartbeats came with, as Kafka
 * shows them; an HTTP member's are empty.
 * A group that does not exist is GROUP_ID_NOT_FOUND (a share group's id too: "not a consumer group", as Kafka says),
 * one the principal may not DESCRIBE GROUP_AUTHORIZATION_FAILED.
 * Asked for them, a described group carries the operations the principal may perform on it
 * ({@link AuthorizedOperations}).
 */
@Component
class ConsumerGroupDescribeApi implements KafkaApi {

    /** Kafka's member types (ConsumerGroupDescribe v1); an HTTP member is one of the consumer protocol to Kafka. */
    private static final byte CLASSIC_MEMBER = 0;
    private static final byte CONSUMER_MEMBER = 1;

    private final CoordinatorApi coordinator;
    private final ClassicGroupApi classic;
    private final ClusterView cluster;
    private final GroupAccess access;
    private final KafkaShareGroups shareGroups;
    private final AuthorizedOperations operations;

    ConsumerGroupDescribeApi(CoordinatorApi coordinator, ClassicGroupApi classic, ClusterView cluster,
                             GroupAccess access, KafkaShareGroups shareGroups, AuthorizedOperations operations) {
        this.operations = operations;
        this.shareGroups = shareGroups;
        this.coordinator = coordinator;
        this.classic = classic;
        this.cluster = cluster;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ConsumerGroupDescribeRequestData data = ((ConsumerGroupDescribeRequest) request.body()).data();
        return Flux.fromIterable(data.groupIds())
                .concatMap(group -> describe(group, data, request, session))
                .collectList()
                .map(groups -> new ConsumerGroupDescribeResponseData().setGroups(groups));
    }

    private Mono<DescribedGroup> describe(String group, ConsumerGroupDescribeRequestData data, KafkaRequest request,
                                          KafkaSession session) {
        DescribedGroup described = new DescribedGroup().setGroupId(group);
        if (!access.allowed(session, request, AclOperation.DESCRIBE, group)) {
            return Mono.just(described.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.describeGroup(group)
                .flatMap(description -> GroupListing.STREAMS.equals(description.type())
                        ? Mono.error(ErrorCode.UNKNOWN_GROUP.exception("Group " + group + " is a streams group: "
                                + "StreamsGroupDescribe describes it"))
                        : description.members().isEmpty() ? classicOrNot(group).thenReturn(description)
                        : Mono.just(description))
                .map(description -> described(described, description).setAuthorizedOperations(operations.of(
                        data.includeAuthorizedOperations(), session, ResourceType.GROUP, group)))
                .onErrorResume(e -> {
                    var error = KafkaErrors.exception(e);
                    Errors code = Errors.forException(error);
                    described.setErrorCode(code.code()).setErrorMessage(error.getMessage());
                    return code != Errors.GROUP_ID_NOT_FOUND ? Mono.just(described)
                            : shareGroups.isShareGroup(group).onErrorReturn(false).map(share -> share
                                    ? described.setErrorMessage("Group " + group + " is not a consumer group.")
                                    : described);
                });
    }

    /** GROUP_ID_NOT_FOUND for a classic group with members, as Kafka answers for a group of the other protocol. */
    private Mono<Void> classicOrNot(String group) {
        return classic.describe(group).onErrorResume(e -> Mono.empty()).flatMap(found -> found.members().isEmpty()
                ? Mono.empty() : Mono.error(ErrorCode.UNKNOWN_GROUP.exception("Group " + group + " is a classic "
                        + "group: DescribeGroups describes it"))).then();
    }

    private DescribedGroup described(DescribedGroup described, GroupDescription description) {
        MetadataView view = cluster.current();
        return described.setGroupState(KafkaGroups.state(description.state()))
                .setGroupEpoch(description.groupEpoch())
                .setAssignmentEpoch(description.assignmentEpoch())
                .setAssignorName(ConsumerGroupHeartbeatApi.ASSIGNOR)
                .setMembers(description.members().stream().map(member -> member(view, member)).toList());
    }

    private static ConsumerGroupDescribeResponseData.Member member(MetadataView view, MemberDescription member) {
        return new ConsumerGroupDescribeResponseData.Member()
                .setMemberId(member.memberId())
                .setInstanceId(member.groupInstanceId())
                .setMemberEpoch(member.memberEpoch())
                .setMemberType(member.classic() ? CLASSIC_MEMBER : CONSUMER_MEMBER)
                .setClientId(member.clientId() == null ? "" : member.clientId())
                .setClientHost(member.clientHost() == null ? "" : member.clientHost())
                .setSubscribedTopicNames(member.subscribedTopicNames() == null ? List.of()
                        : member.subscribedTopicNames())
                .setSubscribedTopicRegex(member.subscribedTopicRegex())
                .setAssignment(assignment(view, member.assignment()))
                .setTargetAssignment(assignment(view, member.targetAssignment()));
    }

    private static ConsumerGroupDescribeResponseData.Assignment assignment(MetadataView view,
                                                                           List<TopicPartitions> partitions) {
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(partitions == null ? List.of()
                : partitions.stream().map(topic -> new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicName(topic.topic())
                        .setTopicId(view.topic(topic.topic()).map(known -> TopicIds.of(known.id()))
                                .orElse(Uuid.ZERO_UUID))
                        .setPartitions(topic.partitions())).toList());
    }
}
