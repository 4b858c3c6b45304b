package io.sluice.coordinator.group;

import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.internal.classic.ClassicProtocol;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.classic.ClassicSyncResponse;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.MemberState;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Classic members of a consumer group: a Kafka consumer with {@code group.protocol=classic} (JoinGroup, SyncGroup,
 * Heartbeat) in a group whose other members speak the consumer protocol (KIP-848) or are HTTP members, as Kafka's group
 * coordinator keeps them. The coordinator assigns such a member like any other ({@link GroupRules}); the classic calls
 * are how it learns what the member owns and tells it what it gets:
 * <ul>
 *   <li>A join is the member's heartbeat with its subscription and the partitions its metadata says it still owns
 *       (none for an eager consumer, which gives everything up before it joins; the ones it keeps for a cooperative
 *       one). Every partition it does not name is released by the join, so the member's generation is its member
 *       epoch after {@link Reconciliation}: a partition still owned by another member is not given to it yet.</li>
 *   <li>A sync answers the partitions it owns at that generation; the coordinator chose them, so no member is the
 *       leader and the member's own assignor only receives them.</li>
 *   <li>A heartbeat changes nothing: it answers REBALANCE_IN_PROGRESS when the member should join again — it has
 *       partitions to give back, or partitions of its target are free for it to take — and ILLEGAL_GENERATION when
 *       it is not at its member epoch. A partition asked back stays the member's until a join leaves it out, or the
 *       member is removed after its rebalance timeout: never two owners.</li>
 * </ul>
 * Each method takes the group as stored and answers the group after it, or throws having changed nothing.
 */
final class ClassicMemberRules {

    private ClassicMemberRules() {
    }

    static GroupDecision<ClassicJoinResponse> join(ConsumerGroup existing, String groupId, ClassicJoinRequest request,
                                                   MetadataView view, GroupSettings settings, String newMemberId) {
        if (existing != null && existing.isStreams() && !existing.members().isEmpty()) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " is a streams group: a classic "
                    + "member cannot join it");
        }
        ClassicProtocol preferred = request.protocols().isEmpty() ? null : request.protocols().getFirst();
        if (!ClassicGroupDescription.CONSUMER_PROTOCOL_TYPE.equals(request.protocolType()) || preferred == null
                || preferred.topics() == null) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " is a consumer group: a "
                    + "classic member joins it only with protocol type 'consumer' and a subscription Kafka's consumer "
                    + "protocol encodes, was '" + request.protocolType() + "'");
        }
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (memberId.isEmpty() && request.groupInstanceId() == null && request.requireKnownMemberId()) {
            return GroupDecision.of(existing, new ClassicJoinResponse(true, -1, null, null, null, newMemberId,
                    List.of()));
        }
        ConsumerGroup group = existing == null ? ConsumerGroup.empty(groupId) : existing;
        GroupMember byInstance = request.groupInstanceId() == null ? null
                : group.memberByInstance(request.groupInstanceId());
        if (memberId.isEmpty()) {
            memberId = newMemberId;
            if (byInstance != null && byInstance.classic() && !byInstance.leftStatic()) {
                // A static member's new incarnation: the old one is replaced and keeps nothing of its own.
                group = group.withMember(byInstance.leavingStatically());
            }
        }
        GroupMember member = group.members().get(memberId);
        if (member != null && !member.classic()) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Member " + memberId + " of group " + groupId
                    + " speaks the consumer protocol");
        }
        Set<TopicPartition> owned = partitions(preferred.ownedPartitions());
        int epoch = GroupHeartbeatRequest.JOIN;
        if (member != null && !member.leftStatic()) {
            if (!Objects.equals(member.instanceId(), request.groupInstanceId())) {
                throw ErrorCode.FENCED_INSTANCE_ID.exception("Member " + memberId + " holds instance id "
                        + member.instanceId());
            }
            // What the join does not name, the member has given up.
            Set<TopicPartition> assigned = new TreeSet<>(member.assigned());
            assigned.retainAll(owned);
            Set<TopicPartition> pending = new TreeSet<>(member.pendingRevocation());
            pending.retainAll(owned);
            group = group.withMember(member.withOwnership(member.memberEpoch(), member.previousMemberEpoch(),
                    member.state(), assigned, pending));
            epoch = member.memberEpoch();
        }
        GroupHeartbeatRequest heartbeat = new GroupHeartbeatRequest(memberId, epoch, request.groupInstanceId(),
                request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs(),
                request.sessionTimeoutMs(), preferred.topics(), null, GroupRules.topicPartitions(owned),
                request.clientId(), request.clientHost());
        GroupDecision<GroupHeartbeatResponse> joined = GroupRules.heartbeat(group, groupId, heartbeat, view,
                settings, () -> newMemberId);
        GroupMember after = joined.after().members().get(joined.result().memberId())
                .withClassicProtocols(request.protocols().stream().map(ClassicProtocol::name).toList());
        return new GroupDecision<>(joined.after().withMember(after), joined.rebalanced(),
                new ClassicJoinResponse(false, after.memberEpoch(), request.protocolType(), preferred.name(), "",
                        after.memberId(), List.of()));
    }

    static GroupDecision<ClassicSyncResponse> sync(ConsumerGroup group, String groupId, ClassicSyncRequest request) {
        GroupMember member = member(group, groupId, request.memberId(), request.groupInstanceId());
        checkGeneration(groupId, member, request.generationId());
        String protocolName = request.protocolName() != null ? request.protocolName()
                : member.classicProtocols().getFirst();
        return GroupDecision.of(group, new ClassicSyncResponse(ClassicGroupDescription.CONSUMER_PROTOCOL_TYPE,
                protocolName, new byte[0], GroupRules.topicPartitions(member.assigned())));
    }

    static void heartbeat(ConsumerGroup group, String groupId, ClassicHeartbeatRequest request) {
        GroupMember member = member(group, groupId, request.memberId(), request.groupInstanceId());
        checkGeneration(groupId, member, request.generationId());
        if (shouldRejoin(group, member)) {
            throw ErrorCode.REBALANCE_IN_PROGRESS.exception("Member " + member.memberId() + " of group " + groupId
                    + " has partitions to give back or to take: join again");
        }
    }

    static GroupDecision<Void> leave(ConsumerGroup existing, String groupId, ClassicLeaveRequest request,
                                     MetadataView view) {
        ConsumerGroup group = existing;
        for (ClassicLeaveRequest.Leaving leaving : request.members()) {
            GroupMember member = leaving.memberId() == null || leaving.memberId().isEmpty()
                    ? byInstance(group, groupId, leaving.groupInstanceId())
                    : member(group, groupId, leaving.memberId(), leaving.groupInstanceId());
            group = group.withoutMember(member.memberId());
        }
        return new GroupDecision<>(GroupRules.rebalance(group, view), true, null);
    }

    /**
     * The consumer group that takes over a stable classic group (Kafka's online upgrade, when a member of the consumer
     * protocol or an HTTP member joins it): every classic member at its generation, owning what the leader gave it,
     * with that as its target, so the next rebalance moves as little as it can. The stored group's committed offsets
     * stay. Refused if the stored group has members of its own, or two classic members were given the same partition.
     */
    static ConsumerGroup upgrade(ConsumerGroup existing, String groupId, ClassicGroups.Upgrade upgrade,
                                 MetadataView view) {
        if (existing != null && !existing.members().isEmpty()) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " has members of both "
                    + "protocols; it cannot take its classic group over");
        }
        SortedMap<String, GroupMember> members = new TreeMap<>();
        Set<TopicPartition> given = new TreeSet<>();
        for (ClassicGroups.UpgradedMember classic : upgrade.members()) {
            Set<TopicPartition> partitions = partitions(classic.partitions());
            for (TopicPartition tp : partitions) {
                if (!given.add(tp)) {
                    throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("The leader of classic group " + groupId
                            + " gave " + tp + " to two members; it cannot be taken over");
                }
            }
            members.put(classic.memberId(), new GroupMember(classic.memberId(), classic.instanceId(),
                    upgrade.generation(), upgrade.generation(), MemberState.STABLE,
                    classic.topics().stream().distinct().sorted().toList(), null, classic.rebalanceTimeoutMs(),
                    classic.sessionTimeoutMs(), partitions, Set.of(), partitions, Set.of(), classic.clientId(),
                    classic.clientHost(), classic.protocolNames(), null, false, null));
        }
        ConsumerGroup group = (existing == null ? ConsumerGroup.empty(groupId) : existing).withMembers(members);
        return group.withAssignment(Math.max(upgrade.generation(), group.groupEpoch()),
                GroupRules.subscribedTopics(group, view), members);
    }

    /** Whether {@code memberId} is a classic member of the stored group. */
    static boolean isMember(ConsumerGroup group, String memberId) {
        GroupMember member = group == null || memberId == null ? null : group.members().get(memberId);
        return member != null && member.classic();
    }

    /**
     * Whether the member should join again: it owns partitions its target no longer has, or a partition of its target
     * that no one owns is free for it to take.
     */
    static boolean shouldRejoin(ConsumerGroup group, GroupMember member) {
        if (!member.pendingRevocation().isEmpty() || !member.target().containsAll(member.assigned())) {
            return true;
        }
        Set<TopicPartition> ownedByOthers = new TreeSet<>();
        group.members().values().stream().filter(other -> !other.memberId().equals(member.memberId()))
                .forEach(other -> ownedByOthers.addAll(other.owned()));
        return member.target().stream().anyMatch(tp -> !member.assigned().contains(tp) && !ownedByOthers.contains(tp));
    }

    private static GroupMember member(ConsumerGroup group, String groupId, String memberId, String instanceId) {
        GroupMember member = group == null || memberId == null ? null : group.members().get(memberId);
        if (member == null || !member.classic() || member.leftStatic()) {
            throw ErrorCode.UNKNOWN_MEMBER.exception("Member " + memberId + " is not a classic member of group "
                    + groupId + ": join with no member id");
        }
        if (instanceId != null && !instanceId.equals(member.instanceId())) {
            throw ErrorCode.FENCED_INSTANCE_ID.exception("Member " + memberId + " holds instance id "
                    + member.instanceId());
        }
        return member;
    }

    private static GroupMember byInstance(ConsumerGroup group, String groupId, String instanceId) {
        GroupMember member = instanceId == null ? null : group.memberByInstance(instanceId);
        if (member == null || !member.classic()) {
            throw ErrorCode.UNKNOWN_MEMBER.exception("No classic member of group " + groupId + " has instance id "
                    + instanceId);
        }
        return member;
    }

    private static void checkGeneration(String groupId, GroupMember member, int generation) {
        if (generation != member.memberEpoch()) {
            throw ErrorCode.ILLEGAL_GENERATION.exception("Member " + member.memberId() + " of group " + groupId
                    + " is at generation " + member.memberEpoch() + ", not " + generation + ": join again");
        }
    }

    private static Set<TopicPartition> partitions(List<TopicPartitions> list) {
        Set<TopicPartition> partitions = new TreeSet<>();
        if (list != null) {
            for (TopicPartitions entry : list) {
                if (entry == null || entry.topic() == null || entry.partitions() == null) {
                    throw ErrorCode.INVALID_REQUEST.exception("Owned partitions need a topic and partitions");
                }
                entry.partitions().forEach(p -> partitions.add(new TopicPartition(entry.topic(), p)));
            }
        }
        return partitions;
    }
}
