package io.sluice.coordinator.share;

import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The members of share groups (KIP-932's ShareGroupHeartbeat): who is in each group, what it subscribes to, the
 * group's epoch and its assignment ({@link ShareAssignor}).
 *
 * <p>Rules, per group:
 * <ul>
 *   <li>Epoch 0 joins: the member (its own id, or a new one when blank; a member that joins again starts over) needs
 *       a subscription. Epoch -1 leaves (a member not in the group leaves too, quietly). Any other epoch must be the
 *       member's current one: a member the group does not have is UNKNOWN_MEMBER, another epoch
 *       FENCED_MEMBER_EPOCH; either way it joins again with epoch 0.</li>
 *   <li>A join, a leave, an expiry, a changed subscription or a changed partition count of a subscribed topic bumps
 *       the group epoch and assigns the partitions again at once. Share groups revoke nothing (several members may
 *       take one partition's records, one lock at a time), so a member moves to the group epoch, with the new
 *       assignment, at its next heartbeat: the assignment epoch is always the group epoch.</li>
 *   <li>A member not heard from for its group's session timeout ({@code share.session.timeout.ms}, as it held at the
 *       member's last heartbeat) is expired by {@link #expire}; each answer tells the member the group's heartbeat
 *       interval ({@code share.heartbeat.interval.ms}).</li>
 * </ul>
 * A member that leaves, expires or joins again under its id is a departure: the caller releases the records it holds
 * ({@link ShareGroupService#releaseHeldBy}), so they are delivered again now rather than when their locks expire.
 *
 * <p>Kept in memory only, on the active coordinator, as classic groups are: membership is soft state that the members
 * rebuild by themselves. After a failover the new coordinator knows no member; each one's next heartbeat is
 * UNKNOWN_MEMBER and it joins again (kafka-clients' share consumer does so on its own), and the records its earlier
 * incarnation held come back when their locks expire (the group's lock duration, 30 s by default). Storing members would only
 * shorten that wait, for one fenced write per heartbeat. The share-partitions (what was delivered and acknowledged)
 * are stored, fenced, in Redis.
 *
 * <p>Not thread-safe, no Spring, no clock: the caller serializes calls and passes the time.
 */
final class ShareMembers {

    private final Map<String, Group> groups = new HashMap<>();

    /** A member leaving the group by leave, expiry or a new join under its id: its held records are to be released. */
    record Departure(String groupId, String memberId) {
    }

    /**
     * The group's member timeouts as they hold at a heartbeat.
     *
     * @param sessionTimeoutMs    how long the member is kept without its next heartbeat
     * @param heartbeatIntervalMs how often the member is told to heartbeat
     */
    record Timeouts(long sessionTimeoutMs, long heartbeatIntervalMs) {
    }

    /** A heartbeat's answer and the departures it caused. */
    record Outcome(ShareHeartbeatResponse response, List<Departure> departures) {
    }

    /** One member of a group, as described. */
    record Member(String memberId, int memberEpoch, Set<String> subscribedTopics, long deadlineMs, String clientId,
                  String clientHost) {

        Member touched(int epoch, long deadline) {
            return new Member(memberId, epoch, subscribedTopics, deadline, clientId, clientHost);
        }
    }

    private static final class Group {
        int epoch;
        final Map<String, Member> members = new TreeMap<>();
        Map<String, SortedMap<String, List<Integer>>> assignment = Map.of();
        Map<String, Integer> counts = Map.of();
    }

    /**
     * Applies one heartbeat at {@code nowMs} under the group's {@code timeouts}; {@code partitionCounts} gives a
     * topic's partition count (null: not a known topic). Refused, nothing changed: INVALID_REQUEST for a malformed
     * heartbeat, UNKNOWN_MEMBER, FENCED_MEMBER_EPOCH as above.
     */
    Outcome heartbeat(ShareHeartbeatRequest request, Function<String, Integer> partitionCounts, long nowMs,
                      Timeouts timeouts) {
        Objects.requireNonNull(request, "request");
        GroupIds.validate(request.groupId());
        int epoch = request.memberEpoch();
        if (epoch < ShareHeartbeatRequest.LEAVE) {
            throw ErrorCode.INVALID_REQUEST.exception("A member epoch is -1 (leave), 0 (join) or the member's"
                    + " current epoch, not " + epoch);
        }
        if (request.subscribedTopicNames() != null
                && request.subscribedTopicNames().stream().anyMatch(t -> t == null || t.isBlank())) {
            throw ErrorCode.INVALID_REQUEST.exception("Subscribed topic names must not be blank");
        }
        String memberId = request.memberId();
        boolean blankId = memberId == null || memberId.isBlank();
        if (epoch == ShareHeartbeatRequest.LEAVE) {
            return leave(request.groupId(), blankId ? "" : memberId, timeouts);
        }
        if (epoch == ShareHeartbeatRequest.JOIN) {
            if (request.subscribedTopicNames() == null || request.subscribedTopicNames().isEmpty()) {
                throw ErrorCode.INVALID_REQUEST.exception("A member joins with a subscription: subscribed topic names"
                        + " must name at least one topic");
            }
            return join(request, blankId ? UUID.randomUUID().toString() : memberId, partitionCounts, nowMs,
                    timeouts);
        }
        Group group = groups.get(request.groupId());
        Member member = group == null || blankId ? null : group.members.get(memberId);
        if (member == null) {
            throw ErrorCode.UNKNOWN_MEMBER.exception("Member " + memberId + " is not in share group "
                    + request.groupId() + ": it joins again with epoch 0");
        }
        if (member.memberEpoch() != epoch) {
            throw ErrorCode.FENCED_MEMBER_EPOCH.exception("Member " + memberId + " of share group " + request.groupId()
                    + " is at epoch " + member.memberEpoch() + ", not " + epoch + ": it joins again with epoch 0");
        }
        boolean resubscribed = request.subscribedTopicNames() != null
                && !member.subscribedTopics().equals(new LinkedHashSet<>(request.subscribedTopicNames()));
        if (resubscribed) {
            member = new Member(memberId, epoch, Set.copyOf(request.subscribedTopicNames()), member.deadlineMs(),
                    member.clientId(), member.clientHost());
            group.members.put(memberId, member);
            group.epoch++;
        }
        maybeReassign(group, partitionCounts, resubscribed);
        Member now = member.touched(group.epoch, nowMs + timeouts.sessionTimeoutMs());
        group.members.put(memberId, now);
        return new Outcome(answer(group, now, timeouts), List.of());
    }

    private Outcome join(ShareHeartbeatRequest request, String memberId, Function<String, Integer> partitionCounts,
                         long nowMs, Timeouts timeouts) {
        Group group = groups.computeIfAbsent(request.groupId(), id -> new Group());
        List<Departure> departures = group.members.containsKey(memberId)
                ? List.of(new Departure(request.groupId(), memberId)) : List.of();
        group.epoch++;
        Member member = new Member(memberId, group.epoch, Set.copyOf(request.subscribedTopicNames()),
                nowMs + timeouts.sessionTimeoutMs(), request.clientId(), request.clientHost());
        group.members.put(memberId, member);
        maybeReassign(group, partitionCounts, true);
        return new Outcome(answer(group, member, timeouts), departures);
    }

    private Outcome leave(String groupId, String memberId, Timeouts timeouts) {
        Group group = groups.get(groupId);
        List<Departure> departures = List.of();
        if (group != null && group.members.remove(memberId) != null) {
            departures = List.of(new Departure(groupId, memberId));
            group.epoch++;
            reassign(group, group.counts::get);
            if (group.members.isEmpty()) {
                groups.remove(groupId);
            }
        }
        return new Outcome(new ShareHeartbeatResponse(memberId, ShareHeartbeatRequest.LEAVE,
                timeouts.heartbeatIntervalMs(), List.of()), departures);
    }

    /** Removes every member whose session ended at or before {@code nowMs}; returns them. */
    List<Departure> expire(long nowMs) {
        List<Departure> departures = new ArrayList<>();
        for (Iterator<Map.Entry<String, Group>> it = groups.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Group> entry = it.next();
            Group group = entry.getValue();
            boolean removed = group.members.values().removeIf(member -> {
                boolean over = member.deadlineMs() <= nowMs;
                if (over) {
                    departures.add(new Departure(entry.getKey(), member.memberId()));
                }
                return over;
            });
            if (removed) {
                group.epoch++;
                reassign(group, group.counts::get);
            }
            if (group.members.isEmpty()) {
                it.remove();
            }
        }
        return departures;
    }

    /** Forgets every group (the coordinator stepped down). */
    void clear() {
        groups.clear();
    }

    /** The group's members by id, empty when it has none. */
    List<Member> members(String groupId) {
        Group group = groups.get(groupId);
        return group == null ? List.of() : List.copyOf(group.members.values());
    }

    /** The group's members, epochs, subscriptions and assignments, for describing it. */
    ShareGroupMembers describe(String groupId) {
        List<ShareGroupMembers.Member> described = new ArrayList<>();
        for (Member member : members(groupId)) {
            List<TopicPartitions> assigned = new ArrayList<>();
            assignment(groupId, member.memberId()).forEach((topic, partitions) ->
                    assigned.add(new TopicPartitions(topic, partitions)));
            described.add(new ShareGroupMembers.Member(member.memberId(), member.memberEpoch(), member.clientId(),
                    member.clientHost(), member.subscribedTopics().stream().sorted().toList(), assigned));
        }
        return new ShareGroupMembers(groupId, groupEpoch(groupId), described);
    }

    /** The group's epoch, 0 when it has no member. */
    int groupEpoch(String groupId) {
        Group group = groups.get(groupId);
        return group == null ? 0 : group.epoch;
    }

    /** The ids of the groups with at least one member, in id order (a group is dropped with its last member). */
    List<String> groupIds() {
        return groups.keySet().stream().sorted().toList();
    }

    /** The member's partitions by topic, empty when it is not a member. */
    SortedMap<String, List<Integer>> assignment(String groupId, String memberId) {
        Group group = groups.get(groupId);
        SortedMap<String, List<Integer>> assigned = group == null ? null : group.assignment.get(memberId);
        return assigned == null ? new TreeMap<>() : assigned;
    }

    /** Assigns again when the partition counts of the subscribed topics changed (or {@code always}). */
    private static void maybeReassign(Group group, Function<String, Integer> partitionCounts, boolean always) {
        Map<String, Integer> counts = counts(group, partitionCounts);
        if (!always && counts.equals(group.counts)) {
            return;
        }
        if (!always) {
            group.epoch++;
        }
        reassign(group, counts::get);
    }

    private static void reassign(Group group, Function<String, Integer> partitionCounts) {
        Map<String, Integer> counts = counts(group, partitionCounts);
        Map<String, Set<String>> subscriptions = new TreeMap<>();
        group.members.forEach((id, member) -> subscriptions.put(id, member.subscribedTopics()));
        group.counts = counts;
        group.assignment = ShareAssignor.assign(subscriptions, counts);
    }

    private static Map<String, Integer> counts(Group group, Function<String, Integer> partitionCounts) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Member member : group.members.values()) {
            for (String topic : member.subscribedTopics()) {
                Integer count = partitionCounts.apply(topic);
                if (count != null) {
                    counts.put(topic, count);
                }
            }
        }
        return counts;
    }

    private static ShareHeartbeatResponse answer(Group group, Member member, Timeouts timeouts) {
        List<TopicPartitions> assigned = new ArrayList<>();
        group.assignment.getOrDefault(member.memberId(), new TreeMap<>())
                .forEach((topic, partitions) -> assigned.add(new TopicPartitions(topic, partitions)));
        return new ShareHeartbeatResponse(member.memberId(), member.memberEpoch(), timeouts.heartbeatIntervalMs(),
                assigned);
    }
}
