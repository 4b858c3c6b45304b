package io.sluice.coordinator.group;

import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.MemberState;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.OffsetResetResponse;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The consumer-group state machine (KIP-848), as pure decisions: each takes the group as stored (null if there is
 * none), the request and the cluster metadata, and answers the group after it and the caller's answer, or throws the
 * request's {@link ErrorCode} having changed nothing. {@link GroupManager} runs them one at a time and stores the result.
 *
 * <p>The rules:
 * <ul>
 *   <li>The group epoch is bumped, and every member's target recomputed ({@link UniformStickyAssignor}), whenever a
 *       member joins or is removed, a subscription changes, or a subscribed topic appears, disappears or grows.</li>
 *   <li>Each member reaches its target through {@link Reconciliation} at its own pace: revocations first, new
 *       partitions only once no one else owns them. A partition never has two owners.</li>
 *   <li>Member epochs fence: a heartbeat at an epoch the member is not at is FENCED_MEMBER_EPOCH (except the epoch just
 *       before, with owned partitions it still has: its last answer was lost); a commit at an older epoch is
 *       STALE_MEMBER_EPOCH unless the member has owned each of its partitions since that epoch or before (KIP-1251's
 *       assignment epochs; consumer-protocol members only), at a newer one FENCED_MEMBER_EPOCH, from a member the
 *       group does not have UNKNOWN_MEMBER.</li>
 *   <li>A static member leaving with epoch -2 keeps its partitions; back under the same {@code group_instance_id} it
 *       gets them again without a rebalance. Until then its instance id is taken (UNRELEASED_INSTANCE_ID).</li>
 *   <li>Offsets are committed by the member that owns the partition (at its current epoch, or one it has owned the
 *       partition since), or, in a group without
 *       members, without a member. A commit never moves an offset back; a reset does, and only in a group without
 *       members unless forced. A forced reset asks the owners of the reset partitions to give them back, refuses their
 *       commits of them, hands them back once released (so they read on from the reset offsets) and bumps the group
 *       epoch, which makes every cursor from before the reset stale.</li>
 * </ul>
 */
final class GroupRules {

    private GroupRules() {
    }

    static GroupDecision<GroupHeartbeatResponse> heartbeat(ConsumerGroup existing, String groupId,
                                                           GroupHeartbeatRequest request, MetadataView view,
                                                           GroupSettings settings, Supplier<String> newMemberId) {
        if (request.memberEpoch() == null) {
            throw ErrorCode.INVALID_REQUEST.exception("member_epoch is required: 0 to join, -1 to leave");
        }
        int epoch = request.memberEpoch();
        if (epoch < GroupHeartbeatRequest.STATIC_LEAVE) {
            throw ErrorCode.INVALID_REQUEST.exception("member_epoch must be >= -2, was " + epoch);
        }
        Set<TopicPartition> owned = partitions(request.ownedPartitions(), "owned_partitions");
        validateSubscription(request);
        validateTimeouts(request, settings);
        if (request.groupInstanceId() != null && !GroupIds.isValid(request.groupInstanceId())) {
            throw ErrorCode.INVALID_REQUEST.exception("A group_instance_id is 1 to " + GroupIds.MAX_LENGTH
                    + " of [a-zA-Z0-9._-] (not '.' or '..'), was '" + request.groupInstanceId() + "'");
        }
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (existing != null && existing.isStreams() && !existing.members().isEmpty()) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " is a streams group with "
                    + existing.members().size() + " members, not a consumer group");
        }
        // An empty streams group (offsets only) becomes a consumer group again when a consumer joins it.
        ConsumerGroup group = existing == null ? ConsumerGroup.empty(groupId)
                : existing.isStreams() ? existing.withStreams(null) : existing;

        if (epoch == GroupHeartbeatRequest.LEAVE || epoch == GroupHeartbeatRequest.STATIC_LEAVE) {
            GroupMember member = requireMember(existing, memberId);
            GroupHeartbeatResponse answer = new GroupHeartbeatResponse(memberId, epoch,
                    settings.heartbeatIntervalMs(member), List.of());
            if (epoch == GroupHeartbeatRequest.LEAVE) {
                return new GroupDecision<>(rebalance(group.withoutMember(memberId), view), true, answer);
            }
            return GroupDecision.of(leftStatically(group, member), answer);
        }

        GroupMember member;
        boolean membershipChanged = false;
        if (epoch == GroupHeartbeatRequest.JOIN) {
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw ErrorCode.INVALID_REQUEST.exception("A member joins with subscribed_topic_names or "
                        + "subscribed_topic_regex");
            }
            String id = memberId.isEmpty() ? newMemberId.get() : memberId;
            Joining joining = joining(group, groupId, id, request.groupInstanceId());
            group = joining.group();
            if (joining.member() != null) {
                member = joining.member();
            } else {
                member = new GroupMember(id, request.groupInstanceId(), 0, 0, MemberState.STABLE, List.of(), null,
                        settings.defaultRebalanceTimeoutMs(), settings.defaultSessionTimeoutMs(), Set.of(), Set.of(),
                        Set.of(), Set.of(), null, null, null, null, request.sessionTimeoutMs() == null, null);
                membershipChanged = true;
            }
            owned = Set.of();
        } else {
            member = requireMember(existing, memberId);
            fence(groupId, member, epoch, owned);
        }

        List<String> names = request.subscribedTopicNames() == null ? member.subscribedTopicNames()
                : request.subscribedTopicNames().stream().distinct().sorted().toList();
        String regex = request.subscribedTopicRegex() == null ? member.subscribedTopicRegex()
                : request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
        boolean subscriptionChanged = !names.equals(member.subscribedTopicNames())
                || !Objects.equals(regex, member.subscribedTopicRegex());
        // A session named in the request is the member's own from then on; one that follows the group takes the
        // group's consumer.session.timeout.ms as it is now (settings carry the group's configs).
        boolean groupSession = request.sessionTimeoutMs() == null && member.sessionFromGroup();
        member = member.withSubscription(names, regex).withTimeouts(
                request.rebalanceTimeoutMs() != null ? request.rebalanceTimeoutMs() : member.rebalanceTimeoutMs(),
                request.sessionTimeoutMs() != null ? request.sessionTimeoutMs()
                        : groupSession ? settings.defaultSessionTimeoutMs() : member.sessionTimeoutMs(), groupSession)
                .withClient(request.clientId(), request.clientHost());
        group = group.withMember(member);

        boolean rebalanced = membershipChanged || subscriptionChanged
                || !subscribedTopics(group, view).equals(group.subscribedTopics());
        if (rebalanced) {
            group = rebalance(group, view);
        }
        GroupMember reconciled = Reconciliation.reconcile(group, group.members().get(member.memberId()), owned);
        group = group.withMember(reconciled);
        return new GroupDecision<>(group, rebalanced, new GroupHeartbeatResponse(reconciled.memberId(),
                reconciled.memberEpoch(), settings.heartbeatIntervalMs(reconciled), topicPartitions(reconciled.assigned())));
    }

    /**
     * The group after {@code member} left with epoch -2 for a restart: it keeps what it owns, at epoch -2, until its
     * session ends or it is back under its instance id. Only a static member may (INVALID_REQUEST).
     */
    static ConsumerGroup leftStatically(ConsumerGroup group, GroupMember member) {
        if (member.instanceId() == null) {
            throw ErrorCode.INVALID_REQUEST.exception("Only a static member (one with an instance id) leaves with "
                    + "member_epoch -2; leave with -1");
        }
        return member.leftStatic() ? group : group.withMember(member.leavingStatically());
    }

    /**
     * Who joins as {@code memberId} with {@code instanceId} (null for a dynamic member), and the group without the id
     * it replaces: a static member back under a new id (the one that left with epoch -2 under the instance id, with
     * what it owned and its epoch), a member of the group joining again (owning nothing now: its join was retried
     * after a lost answer, or it restarted or was fenced), or none for a new member. Refused while a live member holds
     * the instance id (UNRELEASED_INSTANCE_ID), or when the two ids name different members (INVALID_REQUEST).
     */
    static Joining joining(ConsumerGroup group, String groupId, String memberId, String instanceId) {
        GroupMember byInstance = instanceId == null ? null : group.memberByInstance(instanceId);
        GroupMember byId = group.members().get(memberId);
        if (byInstance != null && !byInstance.memberId().equals(memberId)) {
            if (!byInstance.leftStatic()) {
                throw ErrorCode.UNRELEASED_INSTANCE_ID.exception("Instance id '" + instanceId + "' is held by live "
                        + "member " + byInstance.memberId() + " of group " + groupId);
            }
            if (byId != null) {
                throw ErrorCode.INVALID_REQUEST.exception("member_id " + memberId + " is another member's");
            }
            return new Joining(group.withoutMember(byInstance.memberId()), byInstance.returningAs(memberId),
                    byInstance);
        }
        if (byId != null) {
            if (!Objects.equals(byId.instanceId(), instanceId)) {
                throw ErrorCode.INVALID_REQUEST.exception("member_id " + memberId + " is a member with instance id "
                        + byId.instanceId());
            }
            return new Joining(group, byId.withOwnership(byId.memberEpoch(), byId.previousMemberEpoch(),
                    MemberState.STABLE, Set.of(), Set.of()), byId);
        }
        return new Joining(group, null, null);
    }

    /**
     * A join's member: {@code member} as it joins (null for a new one), {@code previous} as the group had it (the
     * static member it returns as, or the member joining again), and the group without the id it replaces.
     */
    record Joining(ConsumerGroup group, GroupMember member, GroupMember previous) {
    }

    private static void fence(String groupId, GroupMember member, int epoch, Set<TopicPartition> owned) {
        if (member.leftStatic()) {
            throw ErrorCode.FENCED_MEMBER_EPOCH.exception("Member " + member.memberId() + " of group " + groupId
                    + " left as a static member; rejoin with member_epoch 0");
        }
        if (epoch == member.memberEpoch()) {
            return;
        }
        // The answer that moved the member on may have been lost: its previous epoch is fine if it owns no more than
        // it is assigned now.
        boolean lostAnswer = epoch == member.previousMemberEpoch() && owned != null
                && member.assigned().containsAll(owned);
        if (!lostAnswer) {
            throw ErrorCode.FENCED_MEMBER_EPOCH.exception("Member " + member.memberId() + " of group " + groupId
                    + " is at epoch " + member.memberEpoch() + ", not " + epoch + "; rejoin with member_epoch 0");
        }
    }

    static GroupDecision<GroupOffsets> commit(ConsumerGroup existing, String groupId, OffsetCommitRequest request,
                                              MetadataView view, GroupSettings settings, long nowMs) {
        List<PartitionOffset> offsets = validOffsets(request.offsets(), view, settings);
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (memberId.isEmpty()) {
            if (request.memberEpoch() != null && request.memberEpoch() >= 0) {
                throw ErrorCode.INVALID_REQUEST.exception("A commit without a member_id has member_epoch -1 or none");
            }
            if (existing != null && !existing.members().isEmpty()) {
                throw ErrorCode.UNKNOWN_MEMBER.exception("Group " + groupId + " has members: offsets are committed "
                        + "by the member that owns the partition, with its member_id and member_epoch");
            }
        } else {
            if (existing == null) {
                throw ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " does not exist");
            }
            GroupMember member = requireMember(existing, memberId);
            if (request.memberEpoch() == null) {
                throw ErrorCode.INVALID_REQUEST.exception("member_epoch is required with a member_id");
            }
            int epoch = request.memberEpoch();
            if (member.leftStatic() || epoch > member.memberEpoch()) {
                throw commitRefused(member, ErrorCode.FENCED_MEMBER_EPOCH, "Member " + memberId + " of group "
                        + groupId + " is not at epoch " + epoch + "; rejoin with member_epoch 0");
            }
            // KIP-1251: a consumer-protocol member's commit from an earlier epoch is taken for partitions it has
            // owned since that epoch or before (its heartbeat may have moved it on while the commit was on its way);
            // classic and streams members commit at their current epoch (generation) only.
            boolean earlier = epoch < member.memberEpoch();
            if (earlier && (member.classic() || member.streams() != null)) {
                throw commitRefused(member, ErrorCode.STALE_MEMBER_EPOCH, "Member " + memberId + " of group "
                        + groupId + " is at epoch " + member.memberEpoch() + ", the commit is from epoch " + epoch);
            }
            SortedSet<TopicPartition> ownedNow = member.streams() == null ? member.owned()
                    : StreamsRules.committable(existing, member, view);
            Map<TopicPartition, Integer> assignedAt = earlier ? member.assignedAtByPartition() : Map.of();
            for (PartitionOffset offset : offsets) {
                TopicPartition tp = new TopicPartition(offset.topic(), offset.partition());
                if (earlier && assignedAt.getOrDefault(tp, Integer.MAX_VALUE) > epoch) {
                    throw commitRefused(member, ErrorCode.STALE_MEMBER_EPOCH, "Member " + memberId + " of group "
                            + groupId + " is at epoch " + member.memberEpoch() + " and was not given " + tp
                            + " by epoch " + epoch + ", the commit's");
                }
                if (!ownedNow.contains(tp)) {
                    throw commitRefused(member, ErrorCode.STALE_MEMBER_EPOCH, "Member " + memberId + " of group "
                            + groupId + " does not own " + tp + " at epoch " + epoch
                            + "; heartbeat for its assignment");
                }
                if (member.resetPartitions().contains(tp)) {
                    throw commitRefused(member, ErrorCode.STALE_MEMBER_EPOCH, "The offsets of " + tp + " in group "
                            + groupId + " were reset while member " + memberId + " read it; heartbeat to read it again "
                            + "from the reset offset");
                }
            }
        }
        ConsumerGroup group = existing == null ? ConsumerGroup.empty(groupId) : existing;
        SortedMap<TopicPartition, StoredOffset> stored = new TreeMap<>(group.offsets());
        List<StoredOffset> committed = new ArrayList<>();
        for (PartitionOffset offset : offsets) {
            TopicPartition tp = new TopicPartition(offset.topic(), offset.partition());
            String topicId = view.topic(tp.topic()).orElseThrow().id();
            StoredOffset current = stored.get(tp);
            if (current != null && Objects.equals(current.topicId(), topicId) && offset.offset() < current.offset()) {
                throw ErrorCode.INVALID_COMMIT_OFFSET.exception("Offset " + offset.offset() + " for " + tp
                        + " is behind group " + groupId + "'s committed offset " + current.offset()
                        + "; only an offset reset moves it back");
            }
            StoredOffset next = stored(tp, topicId, offset, nowMs);
            stored.put(tp, next);
            committed.add(next);
        }
        return GroupDecision.of(group.withOffsets(stored),
                new GroupOffsets(groupId, committed.stream().map(StoredOffset::toCommitted).toList()));
    }

    static GroupDecision<OffsetResetResponse> reset(ConsumerGroup existing, String groupId, OffsetResetRequest request,
                                                    MetadataView view, GroupSettings settings, long nowMs) {
        List<PartitionOffset> offsets = validOffsets(request.offsets(), view, settings);
        ConsumerGroup group = existing == null ? ConsumerGroup.empty(groupId) : existing;
        if (!group.members().isEmpty() && !request.force()) {
            throw ErrorCode.NON_EMPTY_GROUP.exception("Group " + groupId + " has " + group.members().size()
                    + " members; stop them first, or reset with force");
        }
        if (!group.members().isEmpty() && group.isStreams() && !request.dryRun()) {
            throw ErrorCode.NON_EMPTY_GROUP.exception("Group " + groupId + " is a streams group with "
                    + group.members().size() + " members; stop the application first (a forced reset cannot move "
                    + "its tasks' state with the offsets)");
        }
        SortedMap<TopicPartition, StoredOffset> stored = new TreeMap<>(group.offsets());
        List<OffsetResetResponse.OffsetChange> changes = new ArrayList<>();
        for (PartitionOffset offset : offsets) {
            TopicPartition tp = new TopicPartition(offset.topic(), offset.partition());
            String topicId = view.topic(tp.topic()).orElseThrow().id();
            StoredOffset current = stored.get(tp);
            Long before = current != null && Objects.equals(current.topicId(), topicId) ? current.offset() : null;
            changes.add(new OffsetResetResponse.OffsetChange(tp.topic(), tp.partition(), before, offset.offset()));
            stored.put(tp, stored(tp, topicId, offset, nowMs));
        }
        OffsetResetResponse answer = new OffsetResetResponse(groupId, request.dryRun(), changes);
        if (request.dryRun()) {
            return GroupDecision.of(existing, answer);
        }
        if (group.members().isEmpty()) {
            return GroupDecision.of(group.withOffsets(stored), answer);
        }
        // Forced under live members: their positions in the reset partitions are from before the reset. Each owner is
        // asked to give those back (and may not commit them) and gets them again, from the reset offsets, once it has;
        // the group epoch moves so that every cursor from before the reset is stale.
        Set<TopicPartition> reset = new TreeSet<>();
        offsets.forEach(offset -> reset.add(new TopicPartition(offset.topic(), offset.partition())));
        SortedMap<String, GroupMember> members = new TreeMap<>();
        group.members().forEach((id, member) -> members.put(id, member.withReset(reset)));
        return new GroupDecision<>(rebalance(group.withOffsets(stored).withMembers(members), view), true, answer);
    }

    /**
     * Offsets a committed transaction kept for the group (Kafka's TxnOffsetCommit, made visible by the commit): stored
     * whatever the members, as the commit decided them; offsets of topics deleted since are dropped.
     */
    static GroupDecision<Void> commitTransactional(ConsumerGroup existing, String groupId,
                                                   List<PartitionOffset> offsets, MetadataView view, long nowMs) {
        ConsumerGroup group = existing == null ? ConsumerGroup.empty(groupId) : existing;
        SortedMap<TopicPartition, StoredOffset> stored = new TreeMap<>(group.offsets());
        for (PartitionOffset offset : offsets) {
            TopicPartition tp = new TopicPartition(offset.topic(), offset.partition());
            view.topic(tp.topic()).ifPresent(topic -> stored.put(tp, stored(tp, topic.id(), offset, nowMs)));
        }
        return GroupDecision.of(group.withOffsets(stored), null);
    }

    static GroupDecision<Void> delete(ConsumerGroup existing, String groupId) {
        if (existing == null) {
            throw ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " does not exist");
        }
        if (!existing.members().isEmpty()) {
            throw ErrorCode.NON_EMPTY_GROUP.exception("Group " + groupId + " has " + existing.members().size()
                    + " members; it can be deleted once they have left or timed out");
        }
        return GroupDecision.of(null, null);
    }

    /** Deletes the offsets of {@code partitions} of {@code topic} (all of them when null) unless a member reads it. */
    static GroupDecision<Void> deleteTopicOffsets(ConsumerGroup existing, String groupId, String topic,
                                                  List<Integer> partitions, MetadataView view) {
        TopicNames.validate(topic);
        if (existing == null) {
            throw ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " does not exist");
        }
        if (existing.isStreams() && !existing.members().isEmpty()
                && StreamsRules.sourceTopics(existing, view).contains(topic)) {
            throw ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC.exception("Streams group " + groupId + " reads topic " + topic
                    + " while it has members; its offsets can be deleted once the application stopped");
        }
        for (GroupMember member : existing.members().values()) {
            if (member.subscribedTopicNames().contains(topic) || topicsOf(member, view).contains(topic)) {
                throw ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC.exception("Member " + member.memberId() + " of group "
                        + groupId + " subscribes to topic " + topic + "; its offsets can be deleted once no member does");
            }
        }
        SortedMap<TopicPartition, StoredOffset> kept = new TreeMap<>(existing.offsets());
        kept.keySet().removeIf(tp -> tp.topic().equals(topic)
                && (partitions == null || partitions.contains(tp.partition())));
        return GroupDecision.of(existing.withOffsets(kept), null);
    }

    /**
     * Housekeeping: removes {@code removedMembers} (silent past their session, or slow to release past their rebalance
     * timeout), drops offsets of topics that no longer exist, and rebalances if the members or their topics changed.
     */
    static GroupDecision<Void> sweep(ConsumerGroup group, Set<String> removedMembers, MetadataView view,
                                     StreamsSettings streams) {
        ConsumerGroup after = group;
        for (String memberId : removedMembers) {
            after = after.withoutMember(memberId);
        }
        SortedMap<TopicPartition, StoredOffset> offsets = new TreeMap<>(after.offsets());
        offsets.values().removeIf(offset -> view.topic(offset.topic())
                .map(topic -> !Objects.equals(topic.id(), offset.topicId())).orElse(true));
        after = after.withOffsets(offsets);
        if (after.isStreams()) {
            boolean rebalance = after.members().size() != group.members().size()
                    || StreamsRules.topicsChanged(after, view);
            return new GroupDecision<>(rebalance ? StreamsRules.rebalance(after, view, streams) : after, rebalance,
                    null);
        }
        boolean rebalance = after.members().size() != group.members().size()
                || !subscribedTopics(after, view).equals(after.subscribedTopics());
        return new GroupDecision<>(rebalance ? rebalance(after, view) : after, rebalance, null);
    }

    /**
     * A new group epoch: the subscribed topics as they are now, each member's target recomputed from its previous one,
     * and partitions of topics that are gone (deleted, or re-created under a new id) taken from their owners — no one
     * can own what does not exist.
     */
    static ConsumerGroup rebalance(ConsumerGroup group, MetadataView view) {
        SortedMap<String, SubscribedTopic> topics = subscribedTopics(group, view);
        Map<String, Integer> counts = new TreeMap<>();
        topics.forEach((name, topic) -> counts.put(name, topic.partitions()));
        List<UniformStickyAssignor.Member> input = group.members().values().stream()
                .map(m -> new UniformStickyAssignor.Member(m.memberId(), topicsOf(m, view), m.target()))
                .toList();
        Map<String, SortedSet<TopicPartition>> targets = UniformStickyAssignor.assign(input, counts);
        SortedMap<String, GroupMember> members = new TreeMap<>();
        for (GroupMember member : group.members().values()) {
            Set<TopicPartition> assigned = existing(member.assigned(), group, view);
            Set<TopicPartition> pending = existing(member.pendingRevocation(), group, view);
            members.put(member.memberId(), member.withOwnership(member.memberEpoch(), member.previousMemberEpoch(),
                    member.state(), assigned, pending).withTarget(targets.get(member.memberId())));
        }
        return group.withAssignment(group.groupEpoch() + 1, topics, members);
    }

    private static Set<TopicPartition> existing(Set<TopicPartition> partitions, ConsumerGroup group, MetadataView view) {
        Set<TopicPartition> kept = new TreeSet<>();
        for (TopicPartition tp : partitions) {
            TopicMetadata topic = view.topic(tp.topic()).orElse(null);
            SubscribedTopic known = group.subscribedTopics().get(tp.topic());
            if (topic != null && tp.partition() < topic.partitions().size()
                    && (known == null || Objects.equals(known.id(), topic.id()))) {
                kept.add(tp);
            }
        }
        return kept;
    }

    /** Every existing topic some member subscribes to, with its id and partition count now. */
    static SortedMap<String, SubscribedTopic> subscribedTopics(ConsumerGroup group, MetadataView view) {
        SortedMap<String, SubscribedTopic> topics = new TreeMap<>();
        for (GroupMember member : group.members().values()) {
            for (String name : topicsOf(member, view)) {
                TopicMetadata topic = view.topic(name).orElseThrow();
                topics.put(name, new SubscribedTopic(topic.id(), topic.partitions().size()));
            }
        }
        return topics;
    }

    /** The existing topics a member's subscription names or its regex matches. */
    static Set<String> topicsOf(GroupMember member, MetadataView view) {
        Set<String> topics = new TreeSet<>();
        member.subscribedTopicNames().stream().filter(name -> view.topic(name).isPresent()).forEach(topics::add);
        if (member.subscribedTopicRegex() != null) {
            Pattern pattern = Pattern.compile(member.subscribedTopicRegex());
            view.metadata().topics().stream().map(TopicMetadata::name)
                    .filter(name -> pattern.matcher(name).matches())
                    .forEach(topics::add);
        }
        return topics;
    }

    private static GroupMember requireMember(ConsumerGroup group, String memberId) {
        if (memberId.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("member_id is required");
        }
        GroupMember member = group == null ? null : group.members().get(memberId);
        if (member == null) {
            throw ErrorCode.UNKNOWN_MEMBER.exception("Member " + memberId + " is not in group "
                    + (group == null ? "(none)" : group.groupId()) + "; join with member_epoch 0");
        }
        return member;
    }

    private static void validateSubscription(GroupHeartbeatRequest request) {
        if (request.subscribedTopicNames() != null) {
            for (String name : request.subscribedTopicNames()) {
                if (name == null) {
                    throw ErrorCode.INVALID_TOPIC_NAME.exception("subscribed_topic_names contains null");
                }
                TopicNames.validate(name);
            }
        }
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
            try {
                Pattern.compile(request.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                throw ErrorCode.INVALID_REQUEST.exception("subscribed_topic_regex is not a regular expression: "
                        + e.getDescription());
            }
        }
    }

    private static void validateTimeouts(GroupHeartbeatRequest request, GroupSettings settings) {
        Integer session = request.sessionTimeoutMs();
        if (session != null && (session < settings.minSessionTimeoutMs() || session > settings.maxSessionTimeoutMs())) {
            throw ErrorCode.INVALID_REQUEST.exception("session_timeout_ms must be between "
                    + settings.minSessionTimeoutMs() + " and " + settings.maxSessionTimeoutMs() + ", was " + session);
        }
        Integer rebalance = request.rebalanceTimeoutMs();
        if (rebalance != null && (rebalance < 1 || rebalance > settings.maxRebalanceTimeoutMs())) {
            throw ErrorCode.INVALID_REQUEST.exception("rebalance_timeout_ms must be between 1 and "
                    + settings.maxRebalanceTimeoutMs() + ", was " + rebalance);
        }
    }

    /** The offsets of a commit or reset, checked in full against the request's shape and the topics that exist. */
    private static List<PartitionOffset> validOffsets(List<PartitionOffset> offsets, MetadataView view,
                                                      GroupSettings settings) {
        return OffsetChecks.valid(offsets, view, settings.maxMetadataLength());
    }

    /**
     * A member's commit refused with {@code code}; a classic member commits with its generation and is told
     * ILLEGAL_GENERATION instead, on which a classic consumer joins again.
     */
    private static SluiceException commitRefused(GroupMember member, ErrorCode code, String message) {
        return member.classic() ? ErrorCode.ILLEGAL_GENERATION.exception(message + " (a classic member joins again)")
                : code.exception(message);
    }

    private static StoredOffset stored(TopicPartition tp, String topicId, PartitionOffset offset, long nowMs) {
        Integer leaderEpoch = offset.leaderEpoch() == null || offset.leaderEpoch() < 0 ? null : offset.leaderEpoch();
        return new StoredOffset(tp.topic(), tp.partition(), topicId, offset.offset(), leaderEpoch, offset.metadata(),
                nowMs);
    }

    private static Set<TopicPartition> partitions(List<TopicPartitions> list, String field) {
        if (list == null) {
            return null;
        }
        Set<TopicPartition> partitions = new TreeSet<>();
        for (TopicPartitions entry : list) {
            if (entry == null || entry.topic() == null || entry.partitions() == null) {
                throw ErrorCode.INVALID_REQUEST.exception(field + " entries need a topic and partitions");
            }
            for (Integer partition : entry.partitions()) {
                if (partition == null || partition < 0) {
                    throw ErrorCode.INVALID_REQUEST.exception(field + " has partition " + partition + " of "
                            + entry.topic());
                }
                partitions.add(new TopicPartition(entry.topic(), partition));
            }
        }
        return partitions;
    }

    /** Partitions as the API lists them: by topic, ascending. */
    static List<TopicPartitions> topicPartitions(Set<TopicPartition> partitions) {
        SortedMap<String, List<Integer>> byTopic = new TreeMap<>();
        new TreeSet<>(partitions).forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(tp.partition()));
        return byTopic.entrySet().stream().map(e -> new TopicPartitions(e.getKey(), e.getValue())).toList();
    }
}
