package io.sluice.coordinator.group;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.classic.ClassicSyncResponse;
import io.sluice.internal.group.GroupIds;
import io.sluice.protocol.ErrorCode;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Where a call of Kafka's classic group protocol goes. A group id with classic members, or with no members at all, is
 * a classic group ({@link ClassicGroups}: the rebalance barrier, a leader that assigns). A group id whose members speak
 * the consumer protocol or are HTTP members is a consumer group, and a classic consumer joins it as a member the
 * coordinator assigns ({@link ClassicMemberRules}), in the group sequence like every other change of it. Kafka's group
 * coordinator admits classic members to consumer groups the same way (its online migration).
 */
@Component
class ClassicMembers {

    private final ClassicGroups classic;
    private final GroupManager groups;
    private final MemberLiveness liveness;
    private final GroupSettings settings;
    private final ShareGroupIds shareGroups;

    ClassicMembers(ClassicGroups classic, GroupManager groups, MemberLiveness liveness,
                   CoordinatorProperties properties, ShareGroupIds shareGroups) {
        this.shareGroups = shareGroups;
        this.classic = classic;
        this.groups = groups;
        this.liveness = liveness;
        this.settings = GroupSettings.of(properties.groups());
    }

    Mono<ClassicJoinResponse> join(String groupId, ClassicJoinRequest request) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            if (!inConsumerGroup(groupId, request.memberId(), true)) {
                return notAShareGroup(groupId).then(classic.join(groupId, request));
            }
            String newMemberId = (request.clientId() == null || request.clientId().isEmpty() ? "member"
                    : request.clientId()) + "-" + UUID.randomUUID();
            return groups.submit(groupId, (group, view) -> ClassicMemberRules.join(group, groupId, request, view,
                            settings, newMemberId))
                    .doOnNext(joined -> {
                        if (!joined.memberIdRequired()) {
                            liveness.heartbeat(groupId, joined.memberId());
                        }
                    });
        });
    }

    /**
     * A classic join to an id no group of Sluice's consumer groups has yet is refused with INCONSISTENT_GROUP_PROTOCOL
     * when a share group has it, as Kafka answers a classic JoinGroup for a share group's id.
     */
    private Mono<Void> notAShareGroup(String groupId) {
        if (classic.hasMembers(groupId) || groups.hasGroup(groupId)) {
            return Mono.empty();
        }
        return shareGroups.isShareGroup(groupId).flatMap(share -> share
                ? Mono.error(ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " is a share group:"
                        + " a classic member cannot join it"))
                : Mono.empty());
    }

    Mono<ClassicSyncResponse> sync(String groupId, ClassicSyncRequest request) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            if (!inConsumerGroup(groupId, request.memberId(), false)) {
                return classic.sync(groupId, request);
            }
            liveness.heartbeat(groupId, request.memberId());
            return groups.submit(groupId, (group, view) -> ClassicMemberRules.sync(group, groupId, request));
        });
    }

    void heartbeat(String groupId, ClassicHeartbeatRequest request) {
        GroupIds.validate(groupId);
        if (!inConsumerGroup(groupId, request.memberId(), false)) {
            classic.heartbeat(groupId, request);
            return;
        }
        ready();
        liveness.heartbeat(groupId, request.memberId());
        ClassicMemberRules.heartbeat(groups.group(groupId).orElse(null), groupId, request);
    }

    Mono<Void> leave(String groupId, ClassicLeaveRequest request) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            if (classic.hasMembers(groupId) || groups.group(groupId).map(g -> g.members().isEmpty()).orElse(true)) {
                classic.leave(groupId, request);
                return Mono.empty();
            }
            return groups.submit(groupId, (group, view) -> ClassicMemberRules.leave(group, groupId, request, view));
        });
    }

    /**
     * Whether a classic call for {@code memberId} is for a consumer group: the group id has no classic members, and
     * the member is a classic member of the stored group or — for a join — the stored group has members.
     */
    private boolean inConsumerGroup(String groupId, String memberId, boolean joining) {
        if (classic.isMember(groupId, memberId) || classic.hasMembers(groupId)) {
            return false;
        }
        ConsumerGroup group = groups.group(groupId).orElse(null);
        return ClassicMemberRules.isMember(group, memberId)
                || joining && group != null && !group.members().isEmpty();
    }

    private void ready() {
        if (!groups.isReady()) {
            throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one");
        }
    }
}
