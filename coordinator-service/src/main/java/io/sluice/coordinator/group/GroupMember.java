package io.sluice.coordinator.group;

import io.sluice.internal.group.MemberState;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One member of a consumer group as the coordinator stores it. Immutable.
 *
 * <p>Ownership: the member owns {@code assigned} and {@code pendingRevocation} — the latter until it reports, in a
 * heartbeat's owned partitions, that it has let them go. {@code target} is where the assignor wants it; it reaches it
 * only through {@link Reconciliation}, which never hands it a partition another member still owns.
 *
 * @param memberEpoch         the epoch of its assignment, -2 while a static member is away ({@link MemberState#LEFT_STATIC})
 * @param previousMemberEpoch the epoch before the last change (a heartbeat whose answer was lost may still carry it);
 *                            for a static member away, the epoch it had when it left
 * @param resetPartitions     of {@code pendingRevocation}, those whose offsets a forced reset moved while the member
 *                            owned them: still its own (no one else gets them), but it may not commit them — its
 *                            positions are from before the reset — and it gets them back, to read from the reset
 *                            offsets, only once it has released them
 * @param clientId            the client id its client last sent, or null (an HTTP member, or stored before it was kept)
 * @param clientHost          the address its client last connected from ({@code /127.0.0.1}), or null
 * @param classicProtocols    for a member that speaks Kafka's classic protocol (JoinGroup, SyncGroup, Heartbeat), the
 *                            assignors it named in its last join, in its order of preference; null for a member of the
 *                            consumer protocol or an HTTP member
 * @param streams             for a member of a streams group (KIP-1071), its instance and tasks; null otherwise. Such a
 *                            member owns tasks, never partitions: its partition sets stay empty
 * @param sessionFromGroup    whether {@code sessionTimeoutMs} is the group's ({@code consumer.session.timeout.ms}, or
 *                            the coordinator's default) and follows it at each heartbeat: true for a member that named
 *                            none when it joined (every Kafka consumer); false for one that named its own (an HTTP
 *                            member that asked for one, a classic member), and for members stored before it was kept
 * @param assignedAt          for each partition the member owns, the member epoch it was given it at (KIP-1251): a
 *                            commit from an earlier epoch is taken for the partitions it has owned since then or
 *                            before. Absent for partitions owned before these epochs were kept
 */
record GroupMember(String memberId, String instanceId, int memberEpoch, int previousMemberEpoch, MemberState state,
                   List<String> subscribedTopicNames, String subscribedTopicRegex, int rebalanceTimeoutMs,
                   int sessionTimeoutMs, Set<TopicPartition> assigned, Set<TopicPartition> pendingRevocation,
                   Set<TopicPartition> target, Set<TopicPartition> resetPartitions, String clientId,
                   String clientHost, List<String> classicProtocols, StreamsMember streams, Boolean sessionFromGroup,
                   List<AssignedAt> assignedAt) {

    static final int LEFT_STATIC_EPOCH = -2;

    /** The member epoch at which the member was given a partition it owns (KIP-1251's assignment epoch). */
    record AssignedAt(TopicPartition partition, int epoch) {
    }

    GroupMember {
        subscribedTopicNames = List.copyOf(subscribedTopicNames);
        assigned = sorted(assigned);
        pendingRevocation = sorted(pendingRevocation);
        target = sorted(target);
        Set<TopicPartition> marked = new TreeSet<>(resetPartitions == null ? Set.of() : resetPartitions);
        marked.retainAll(pendingRevocation);
        resetPartitions = sorted(marked);
        classicProtocols = classicProtocols == null ? null : List.copyOf(classicProtocols);
        sessionFromGroup = Boolean.TRUE.equals(sessionFromGroup);
        Map<TopicPartition, Integer> epochs = new TreeMap<>();
        if (assignedAt != null) {
            for (AssignedAt at : assignedAt) {
                if (assigned.contains(at.partition()) || pendingRevocation.contains(at.partition())) {
                    epochs.put(at.partition(), at.epoch());
                }
            }
        }
        assignedAt = epochs.entrySet().stream().map(at -> new AssignedAt(at.getKey(), at.getValue())).toList();
    }

    /**
     * The epoch at which the member was given {@code tp}, which it owns; null if it does not own it, or owned it
     * before assignment epochs were kept (stored by an older coordinator).
     */
    Integer assignedAt(TopicPartition tp) {
        return assignedAtByPartition().get(tp);
    }

    /** {@link #assignedAt} as a map, for looking up many partitions. */
    Map<TopicPartition, Integer> assignedAtByPartition() {
        Map<TopicPartition, Integer> epochs = new HashMap<>();
        assignedAt.forEach(at -> epochs.put(at.partition(), at.epoch()));
        return epochs;
    }

    /** Whether the member speaks Kafka's classic protocol, in a consumer group the coordinator assigns. */
    boolean classic() {
        return classicProtocols != null;
    }

    GroupMember withClassicProtocols(List<String> protocols) {
        return new GroupMember(memberId, instanceId, memberEpoch, previousMemberEpoch, state, subscribedTopicNames,
                subscribedTopicRegex, rebalanceTimeoutMs, sessionTimeoutMs, assigned, pendingRevocation, target,
                resetPartitions, clientId, clientHost, protocols, streams, sessionFromGroup, assignedAt);
    }

    GroupMember withStreams(StreamsMember newStreams) {
        return new GroupMember(memberId, instanceId, memberEpoch, previousMemberEpoch, state, subscribedTopicNames,
                subscribedTopicRegex, rebalanceTimeoutMs, sessionTimeoutMs, assigned, pendingRevocation, target,
                resetPartitions, clientId, clientHost, classicProtocols, newStreams, sessionFromGroup, assignedAt);
    }

    /** Sets are kept sorted, so that equal members are stored as equal documents. */
    private static SortedSet<TopicPartition> sorted(Set<TopicPartition> partitions) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(partitions == null ? Set.of() : partitions));
    }

    /** Everything the member owns now: assigned, and asked back but not yet released. */
    SortedSet<TopicPartition> owned() {
        SortedSet<TopicPartition> owned = new TreeSet<>(assigned);
        owned.addAll(pendingRevocation);
        return owned;
    }

    boolean leftStatic() {
        return state == MemberState.LEFT_STATIC;
    }

    GroupMember withSubscription(List<String> names, String regex) {
        return new GroupMember(memberId, instanceId, memberEpoch, previousMemberEpoch, state, names, regex,
                rebalanceTimeoutMs, sessionTimeoutMs, assigned, pendingRevocation, target, resetPartitions, clientId,
                clientHost, classicProtocols, streams, sessionFromGroup, assignedAt);
    }

    /** New timeouts; {@code groupSession} says whether the session is the group's ({@link #sessionFromGroup}). */
    GroupMember withTimeouts(int rebalanceTimeout, int sessionTimeout, boolean groupSession) {
        return new GroupMember(memberId, instanceId, memberEpoch, previousMemberEpoch, state, subscribedTopicNames,
                subscribedTopicRegex, rebalanceTimeout, sessionTimeout, assigned, pendingRevocation, target,
                resetPartitions, clientId, clientHost, classicProtocols, streams, groupSession, assignedAt);
    }

    GroupMember withTarget(Set<TopicPartition> newTarget) {
        return new GroupMember(memberId, instanceId, memberEpoch, previousMemberEpoch, state, subscribedTopicNames,
                subscribedTopicRegex, rebalanceTimeoutMs, sessionTimeoutMs, assigned, pendingRevocation,
                new TreeSet<>(newTarget), resetPartitions, clientId, clientHost, classicProtocols, streams,
                sessionFromGroup, assignedAt);
    }

    /** A new ownership; the reset marks stay on the partitions still pending. */
    GroupMember withOwnership(int epoch, int previousEpoch, MemberState newState, Set<TopicPartition> newAssigned,
                              Set<TopicPartition> newPending) {
        // A partition kept (assigned still, or asked back and not yet released) keeps the epoch it was given at; one
        // given now, or given back after the member released it, is given at the new epoch.
        List<AssignedAt> epochs = new ArrayList<>(assignedAt);
        epochs.removeIf(at -> !assigned.contains(at.partition()) && !newPending.contains(at.partition()));
        newAssigned.stream().filter(tp -> !assigned.contains(tp)).forEach(tp -> epochs.add(new AssignedAt(tp, epoch)));
        return new GroupMember(memberId, instanceId, epoch, previousEpoch, newState, subscribedTopicNames,
                subscribedTopicRegex, rebalanceTimeoutMs, sessionTimeoutMs, new TreeSet<>(newAssigned),
                new TreeSet<>(newPending), target, resetPartitions, clientId, clientHost, classicProtocols, streams,
                sessionFromGroup, epochs);
    }

    /**
     * A forced reset moved the offsets of {@code reset}: those the member owns are asked back and marked
     * ({@link #resetPartitions}); it must release them before it reads them again, from the reset offsets.
     */
    GroupMember withReset(Set<TopicPartition> reset) {
        Set<TopicPartition> marked = new TreeSet<>(owned());
        marked.retainAll(reset);
        if (marked.isEmpty()) {
            return this;
        }
        Set<TopicPartition> kept = new TreeSet<>(assigned);
        kept.removeAll(marked);
        Set<TopicPartition> pending = new TreeSet<>(pendingRevocation);
        pending.addAll(marked);
        marked.addAll(resetPartitions);
        return new GroupMember(memberId, instanceId, memberEpoch, previousMemberEpoch,
                leftStatic() ? state : MemberState.UNREVOKED_PARTITIONS, subscribedTopicNames, subscribedTopicRegex,
                rebalanceTimeoutMs, sessionTimeoutMs, kept, pending, target, marked, clientId, clientHost,
                classicProtocols, streams, sessionFromGroup, assignedAt);
    }

    /** The member's client as it last said (a null keeps what was known). */
    GroupMember withClient(String newClientId, String newClientHost) {
        return new GroupMember(memberId, instanceId, memberEpoch, previousMemberEpoch, state, subscribedTopicNames,
                subscribedTopicRegex, rebalanceTimeoutMs, sessionTimeoutMs, assigned, pendingRevocation, target,
                resetPartitions, newClientId == null ? clientId : newClientId,
                newClientHost == null ? clientHost : newClientHost, classicProtocols, streams, sessionFromGroup, assignedAt);
    }

    /** A static member leaving for a restart: it keeps what it owns, at epoch -2, remembering its epoch. */
    GroupMember leavingStatically() {
        return new GroupMember(memberId, instanceId, LEFT_STATIC_EPOCH, memberEpoch, MemberState.LEFT_STATIC,
                subscribedTopicNames, subscribedTopicRegex, rebalanceTimeoutMs, sessionTimeoutMs, assigned,
                pendingRevocation, target, resetPartitions, clientId, clientHost, classicProtocols, streams,
                sessionFromGroup, assignedAt);
    }

    /** The static member back under a new member id, at the epoch it left with. */
    GroupMember returningAs(String newMemberId) {
        return new GroupMember(newMemberId, instanceId, previousMemberEpoch, previousMemberEpoch, MemberState.STABLE,
                subscribedTopicNames, subscribedTopicRegex, rebalanceTimeoutMs, sessionTimeoutMs, assigned,
                pendingRevocation, target, resetPartitions, clientId, clientHost, classicProtocols, streams,
                sessionFromGroup, assignedAt);
    }
}
