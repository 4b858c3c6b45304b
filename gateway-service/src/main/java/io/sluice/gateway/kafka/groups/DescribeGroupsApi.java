package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.kafka.AuthorizedOperations;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.kafka.KafkaRequest;
import java.util.List;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DescribeGroups (the classic protocol's describe): a classic group's state, protocol and members with their metadata
 * and assignments. A group that is not a classic one with members is described as Kafka describes a group it does not
 * know — state {@code Dead}, no members — which sends Kafka's admin client on to ConsumerGroupDescribe for KIP-848
 * groups. From v6 on, a share group's id is GROUP_ID_NOT_FOUND ("not a classic group"), as Kafka answers it; before
 * v6 it is {@code Dead} too, as at Kafka. Needs DESCRIBE on the group. Asked for them (v3+), a described group
 * carries the operations the principal may perform on it ({@link AuthorizedOperations}).
 */
@Component
class DescribeGroupsApi implements KafkaApi {

    private final ClassicGroupApi coordinator;
    private final GroupAccess access;
    private final KafkaShareGroups shareGroups;
    private final AuthorizedOperations operations;

    DescribeGroupsApi(ClassicGroupApi coordinator, GroupAccess access, KafkaShareGroups shareGroups,
                      AuthorizedOperations operations) {
        this.operations = operations;
        this.shareGroups = shareGroups;
        this.coordinator = coordinator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeGroupsRequestData data = ((DescribeGroupsRequest) request.body()).data();
        return Flux.fromIterable(data.groups())
                .concatMap(group -> describe(group, request, session))
                .doOnNext(described -> {
                    if (described.errorCode() == Errors.NONE.code()) {
                        described.setAuthorizedOperations(operations.of(data.includeAuthorizedOperations(), session,
                                ResourceType.GROUP, described.groupId()));
                    }
                })
                .collectList()
                .map(groups -> new DescribeGroupsResponseData().setGroups(groups));
    }

    private Mono<DescribedGroup> describe(String group, KafkaRequest request, KafkaSession session) {
        if (!access.allowed(session, request, AclOperation.DESCRIBE, group)) {
            return Mono.just(new DescribedGroup().setGroupId(group)
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.describe(group)
                .map(DescribeGroupsApi::described)
                .onErrorResume(e -> ClassicGroupCalls.failed(e, (error, message) -> error == Errors.GROUP_ID_NOT_FOUND
                        ? dead(group) : new DescribedGroup().setGroupId(group).setErrorCode(error.code())))
                .flatMap(described -> "Dead".equals(described.groupState()) && request.version() >= 6
                        ? shareGroups.isShareGroup(group).onErrorReturn(false).map(share -> share
                                ? new DescribedGroup().setGroupId(group).setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                                        .setErrorMessage("Group " + group + " is not a classic group.")
                                : described)
                        : Mono.just(described));
    }

    private static DescribedGroup described(ClassicGroupDescription group) {
        return new DescribedGroup()
                .setGroupId(group.groupId())
                .setGroupState(group.state())
                .setProtocolType(group.protocolType())
                .setProtocolData(group.protocolName())
                .setMembers(group.members().stream().map(m -> new DescribeGroupsResponseData.DescribedGroupMember()
                        .setMemberId(m.memberId()).setGroupInstanceId(m.groupInstanceId())
                        .setClientId(m.clientId() == null ? "" : m.clientId())
                        .setClientHost(m.clientHost() == null ? "" : m.clientHost())
                        .setMemberMetadata(m.metadata()).setMemberAssignment(m.assignment())).toList());
    }

    private static DescribedGroup dead(String group) {
        return new DescribedGroup().setGroupId(group).setGroupState("Dead").setProtocolType("").setProtocolData("")
                .setMembers(List.of());
    }
}
