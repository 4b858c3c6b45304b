package io.sluice.coordinator.group;

import io.sluice.internal.group.GroupState;
import io.sluice.internal.group.MemberState;
import io.sluice.protocol.TopicPartition;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A consumer group: its epochs, members and committed offsets. Immutable; every change is a new value decided by
 * {@link GroupRules} and stored by {@link GroupStore} before anyone sees it.
 *
 * <p>Invariants: a partition is owned ({@link GroupMember#owned()}) by at most one member; the group epoch is at least
 * the assignment epoch, and no member's epoch is above the assignment epoch.
 *
 * @param groupEpoch       bumped on every change of membership, subscriptions, or subscribed topics' partitions
 * @param assignmentEpoch  the group epoch the members' targets were computed at
 * @param subscribedTopics the topics the members subscribe to that exist, as of the last assignment; of a streams
 *                         group, every topic of its topology that exists (sources and internal topics)
 * @param streams          of a streams group (KIP-1071), its topology; null for a consumer group
 */
record ConsumerGroup(String groupId, int groupEpoch, int assignmentEpoch, SortedMap<String, SubscribedTopic> subscribedTopics,
                     SortedMap<String, GroupMember> members, SortedMap<TopicPartition, StoredOffset> offsets,
                     StreamsState streams) {

    ConsumerGroup {
        subscribedTopics = Collections.unmodifiableSortedMap(new TreeMap<>(subscribedTopics));
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
        offsets = Collections.unmodifiableSortedMap(new TreeMap<>(offsets));
    }

    static ConsumerGroup empty(String groupId) {
        return new ConsumerGroup(groupId, 0, 0, new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), null);
    }

    GroupState state() {
        if (members.isEmpty()) {
            return GroupState.EMPTY;
        }
        boolean settled = members.values().stream().allMatch(m -> m.state() == MemberState.STABLE
                && m.memberEpoch() == assignmentEpoch);
        return settled ? GroupState.STABLE : GroupState.RECONCILING;
    }

    GroupMember memberByInstance(String instanceId) {
        return members.values().stream().filter(m -> instanceId.equals(m.instanceId())).findFirst().orElse(null);
    }

    ConsumerGroup withMember(GroupMember member) {
        SortedMap<String, GroupMember> changed = new TreeMap<>(members);
        changed.put(member.memberId(), member);
        return new ConsumerGroup(groupId, groupEpoch, assignmentEpoch, subscribedTopics, changed, offsets, streams);
    }

    ConsumerGroup withoutMember(String memberId) {
        SortedMap<String, GroupMember> changed = new TreeMap<>(members);
        changed.remove(memberId);
        return new ConsumerGroup(groupId, groupEpoch, assignmentEpoch, subscribedTopics, changed, offsets, streams);
    }

    ConsumerGroup withMembers(SortedMap<String, GroupMember> changed) {
        return new ConsumerGroup(groupId, groupEpoch, assignmentEpoch, subscribedTopics, changed, offsets, streams);
    }

    /** The group as a streams group with {@code state}, or as a consumer group when null. */
    ConsumerGroup withStreams(StreamsState state) {
        return new ConsumerGroup(groupId, groupEpoch, assignmentEpoch, subscribedTopics, members, offsets, state);
    }

    boolean isStreams() {
        return streams != null;
    }

    ConsumerGroup withOffsets(SortedMap<TopicPartition, StoredOffset> changed) {
        return new ConsumerGroup(groupId, groupEpoch, assignmentEpoch, subscribedTopics, members, changed, streams);
    }

    ConsumerGroup withAssignment(int epoch, SortedMap<String, SubscribedTopic> topics,
                                 SortedMap<String, GroupMember> assignedMembers) {
        return new ConsumerGroup(groupId, epoch, epoch, topics, assignedMembers, offsets, streams);
    }

    /** The group's stored document: everything but the offsets, which are stored one by one. */
    GroupDocument document() {
        return new GroupDocument(groupId, groupEpoch, assignmentEpoch, subscribedTopics,
                members.values().stream().toList(), streams);
    }

    /** What {@link GroupStore} keeps per group, apart from its offsets. */
    record GroupDocument(String groupId, int groupEpoch, int assignmentEpoch, Map<String, SubscribedTopic> subscribedTopics,
                         java.util.List<GroupMember> members, StreamsState streams) {

        ConsumerGroup toGroup(Map<TopicPartition, StoredOffset> offsets) {
            SortedMap<String, GroupMember> byId = new TreeMap<>();
            members.forEach(m -> byId.put(m.memberId(), m));
            return new ConsumerGroup(groupId, groupEpoch, assignmentEpoch, new TreeMap<>(subscribedTopics), byId,
                    new TreeMap<>(offsets), streams);
        }
    }
}
