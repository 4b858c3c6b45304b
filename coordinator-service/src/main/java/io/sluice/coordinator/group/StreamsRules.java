package io.sluice.coordinator.group;

import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.GroupState;
import io.sluice.internal.group.MemberState;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.streams.StreamsGroupDescription;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsStatus;
import io.sluice.internal.streams.StreamsTopology;
import io.sluice.internal.streams.StreamsTopology.InternalTopic;
import io.sluice.internal.streams.StreamsTopologyDescription;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import io.sluice.internal.streams.TaskOffset;
import io.sluice.protocol.ErrorCode;
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
import java.util.stream.Collectors;

/**
 * The streams group state machine (KIP-1071), as pure decisions in the manner of {@link GroupRules}: each takes the
 * group as stored, the request and the cluster metadata, and answers the group after it and the caller's answer, or
 * throws the request's {@link ErrorCode} having changed nothing.
 *
 * <p>A streams group is a {@link ConsumerGroup} with a topology ({@link StreamsState}) whose members own tasks instead
 * of partitions; its offsets are committed and fetched as a consumer group's, by the member that owns the active task
 * reading the partition. The rules:
 * <ul>
 *   <li>The first member to join an empty group sets its topology; a member joining a group with members must bring the
 *       same topology at the same epoch (STREAMS_INVALID_TOPOLOGY_EPOCH otherwise, STREAMS_TOPOLOGY_FENCED for an older
 *       epoch). A group id with consumer members is not a streams group (INCONSISTENT_GROUP_PROTOCOL).</li>
 *   <li>The topology is set against the topics that exist ({@link StreamsConfiguration}); while topics are missing
 *       or wrongly partitioned no member gets a task, every answer says why, and the internal topics it lacks are
 *       handed to the caller to create.</li>
 *   <li>The group epoch moves, and every member's target is computed again ({@link StreamsAssignor}), when a member
 *       joins or is removed, or a topic of the topology appears, disappears or changes its partition count.</li>
 *   <li>Members reach their targets through {@link StreamsReconciliation}: an active task never has two owners, and an
 *       instance never holds a task twice. Epochs fence as for consumer members.</li>
 *   <li>A member asking the application to shut down has every member told so until the group is empty.</li>
 * </ul>
 */
final class StreamsRules {

    private StreamsRules() {
    }

    /** A heartbeat's answer, and the internal topics the group lacks (for the caller to create). */
    record Outcome(StreamsHeartbeatResponse response, List<InternalTopic> missingInternalTopics) {
    }

    static GroupDecision<Outcome> heartbeat(ConsumerGroup existing, String groupId, StreamsHeartbeatRequest request,
                                            MetadataView view, StreamsSettings settings, GroupSettings limits) {
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (memberId.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("member_id is required: a streams member chooses its own");
        }
        if (request.memberEpoch() == null) {
            throw ErrorCode.INVALID_REQUEST.exception("member_epoch is required: 0 to join, -1 to leave");
        }
        int epoch = request.memberEpoch();
        if (epoch < StreamsHeartbeatRequest.STATIC_LEAVE) {
            throw ErrorCode.INVALID_REQUEST.exception("member_epoch must be >= -2, was " + epoch);
        }
        Tasks owned = Tasks.fromRequest(request.activeTasks(), request.standbyTasks(), request.warmupTasks());
        List<TaskOffset> offsets = checkedOffsets(request.taskOffsets(), "task_offsets");
        checkedOffsets(request.taskEndOffsets(), "task_end_offsets");
        Integer rebalanceTimeout = request.rebalanceTimeoutMs();
        if (rebalanceTimeout != null && (rebalanceTimeout < 1 || rebalanceTimeout > limits.maxRebalanceTimeoutMs())) {
            throw ErrorCode.INVALID_REQUEST.exception("rebalance_timeout_ms must be between 1 and "
                    + limits.maxRebalanceTimeoutMs() + ", was " + rebalanceTimeout);
        }
        if (request.instanceId() != null && !GroupIds.isValid(request.instanceId())) {
            throw ErrorCode.INVALID_REQUEST.exception("An instance_id is 1 to " + GroupIds.MAX_LENGTH
                    + " of [a-zA-Z0-9._-], was '" + request.instanceId() + "'");
        }
        if (existing != null && !existing.isStreams() && !existing.members().isEmpty()) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " is a consumer group with "
                    + existing.members().size() + " members, not a streams group");
        }
        ConsumerGroup group = existing == null ? ConsumerGroup.empty(groupId) : existing;

        if (epoch == StreamsHeartbeatRequest.LEAVE || epoch == StreamsHeartbeatRequest.STATIC_LEAVE) {
            GroupMember member = requireMember(existing, groupId, memberId);
            Outcome answer = new Outcome(new StreamsHeartbeatResponse(memberId, epoch, settings.heartbeatEveryMs(),
                    settings.taskOffsetIntervalMs(), settings.acceptableRecoveryLag(), List.of(), List.of(),
                    List.of(), List.of(), group.groupEpoch(), List.of(), false), List.of());
            if (epoch == StreamsHeartbeatRequest.LEAVE) {
                return new GroupDecision<>(rebalance(group.withoutMember(memberId), view, settings), true, answer);
            }
            return GroupDecision.of(GroupRules.leftStatically(group, member), answer);
        }

        GroupMember member;
        boolean membershipChanged = false;
        if (epoch == StreamsHeartbeatRequest.JOIN) {
            StreamsTopology topology = request.topology();
            if (topology == null || request.processId() == null || request.processId().isEmpty()) {
                throw ErrorCode.INVALID_REQUEST.exception("A streams member joins with its topology and process_id");
            }
            StreamsConfiguration.validate(topology);
            group = adoptTopology(group, topology);
            StreamsMember fresh = new StreamsMember(request.processId(), request.rackId(), request.userEndpoint(),
                    request.clientTags(), topology.epoch(), Tasks.NONE, Tasks.NONE, Tasks.NONE, List.of());
            GroupRules.Joining joining = GroupRules.joining(group, groupId, memberId, request.instanceId());
            group = joining.group();
            if (joining.member() != null && joining.previous().memberId().equals(memberId)) {
                // A rejoin (a join retried after a lost answer, or the member was fenced): it holds nothing now.
                StreamsMember before = joining.previous().streams();
                member = joining.member().withStreams(fresh.withTarget(before.target()));
                membershipChanged = !Objects.equals(before.processId(), request.processId());
            } else if (joining.member() != null) {
                member = joining.member();
            } else {
                member = new GroupMember(memberId, request.instanceId(), 0, 0, MemberState.STABLE, List.of(), null,
                        limits.defaultRebalanceTimeoutMs(), settings.sessionTimeoutMs(), Set.of(), Set.of(),
                        Set.of(), Set.of(), null, null, null, fresh, true, null);
                membershipChanged = true;
            }
            owned = Tasks.NONE;
        } else {
            member = requireMember(existing, groupId, memberId);
            fence(groupId, member, epoch, owned);
        }

        StreamsMember streams = member.streams().withInstance(request.processId(), request.rackId(),
                request.userEndpoint(), request.clientTags());
        if (offsets != null) {
            streams = streams.withTaskOffsets(offsets);
        }
        member = member.withStreams(streams)
                .withTimeouts(rebalanceTimeout != null ? rebalanceTimeout : member.rebalanceTimeoutMs(),
                        settings.sessionTimeoutMs(), true)
                .withClient(request.clientId(), request.clientHost());
        group = group.withMember(member);
        if (request.shutdownApplication() && group.streams().shutdownRequestedBy() == null) {
            group = group.withStreams(group.streams().withShutdownRequestedBy(memberId));
        }

        StreamsConfiguration configuration = StreamsConfiguration.configure(group.streams().topology(), view);
        boolean rebalanced = membershipChanged || !configuration.topics().equals(group.subscribedTopics());
        if (rebalanced) {
            group = rebalance(group, view, settings);
        }
        GroupMember reconciled = StreamsReconciliation.reconcile(group, group.members().get(memberId), owned);
        group = group.withMember(reconciled);
        return new GroupDecision<>(group, rebalanced, new Outcome(answer(group, reconciled, configuration, settings),
                configuration.missing()));
    }

    /** A heartbeat's task offsets, each task once with its offset; null when it sent none (unchanged). */
    private static List<TaskOffset> checkedOffsets(List<TaskOffset> offsets, String field) {
        if (offsets == null) {
            return null;
        }
        Set<TaskId> seen = new TreeSet<>();
        for (TaskOffset offset : offsets) {
            if (offset == null || offset.subtopologyId() == null || offset.partition() == null
                    || offset.offset() == null) {
                throw ErrorCode.INVALID_REQUEST.exception(field + " entries need a subtopology_id, a partition and an"
                        + " offset");
            }
            TaskId task = new TaskId(offset.subtopologyId(), offset.partition());
            if (offset.partition() < 0 || !seen.add(task)) {
                throw ErrorCode.INVALID_REQUEST.exception(field + " names task " + task
                        + (offset.partition() < 0 ? ", a negative partition" : " twice"));
            }
        }
        return offsets;
    }

    /**
     * The group with {@code topology}: an empty group (or a new one) takes it; a group with members keeps its own,
     * which the joining member's must equal.
     */
    private static ConsumerGroup adoptTopology(ConsumerGroup group, StreamsTopology topology) {
        if (!group.isStreams() || group.members().isEmpty()) {
            // The description of the same topology is kept for the members that come back with it.
            StreamsTopologyDescription kept = group.isStreams() && group.streams().topology().equals(topology)
                    ? group.streams().description() : null;
            return group.withStreams(new StreamsState(topology, null, kept));
        }
        StreamsTopology current = group.streams().topology();
        if (topology.epoch() < current.epoch()) {
            throw ErrorCode.STREAMS_TOPOLOGY_FENCED.exception("Group " + group.groupId() + " runs topology epoch "
                    + current.epoch() + "; the member's is " + topology.epoch());
        }
        if (topology.epoch() != current.epoch()) {
            throw ErrorCode.STREAMS_INVALID_TOPOLOGY_EPOCH.exception("Group " + group.groupId() + " runs topology "
                    + "epoch " + current.epoch() + " and has members; a new topology epoch starts once they have all "
                    + "left");
        }
        if (!topology.equals(current)) {
            throw ErrorCode.STREAMS_INVALID_TOPOLOGY_EPOCH.exception("Group " + group.groupId() + " runs another "
                    + "topology at epoch " + current.epoch() + "; a changed topology needs a new topology epoch");
        }
        return group;
    }

    private static void fence(String groupId, GroupMember member, int epoch, Tasks owned) {
        if (member.leftStatic()) {
            throw ErrorCode.FENCED_MEMBER_EPOCH.exception("Member " + member.memberId() + " of group " + groupId
                    + " left as a static member; rejoin with member_epoch 0");
        }
        if (epoch == member.memberEpoch()) {
            return;
        }
        // The answer that moved the member on may have been lost: its previous epoch is fine if it holds no more than
        // it is assigned now.
        boolean lostAnswer = epoch == member.previousMemberEpoch() && owned != null
                && owned.minus(member.streams().assigned()).isEmpty();
        if (!lostAnswer) {
            throw ErrorCode.FENCED_MEMBER_EPOCH.exception("Member " + member.memberId() + " of group " + groupId
                    + " is at epoch " + member.memberEpoch() + ", not " + epoch + "; rejoin with member_epoch 0");
        }
    }

    /**
     * Stores a member's description of the group's topology (KIP-1331). UNKNOWN_GROUP for a group id that is no
     * streams group, UNKNOWN_MEMBER for a member not in it, INVALID_REQUEST for a description of another topology
     * epoch (the member's view is stale: it rejoins). The last description of the current epoch is kept.
     */
    static GroupDecision<Void> describeTopology(ConsumerGroup group, String groupId,
                                                StreamsTopologyDescriptionUpdate update) {
        if (update == null || update.description() == null) {
            throw ErrorCode.INVALID_REQUEST.exception("A topology description update needs its description");
        }
        if (group == null || !group.isStreams()) {
            throw ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " is not a streams group");
        }
        requireMember(group, groupId, update.memberId());
        int epoch = group.streams().topology().epoch();
        if (update.description().topologyEpoch() != epoch) {
            throw ErrorCode.INVALID_REQUEST.exception("Group " + groupId + " runs topology epoch " + epoch
                    + "; the description is of epoch " + update.description().topologyEpoch());
        }
        return GroupDecision.of(group.withStreams(group.streams().withDescription(update.description())), null);
    }

    private static GroupMember requireMember(ConsumerGroup group, String groupId, String memberId) {
        GroupMember member = group == null ? null : group.members().get(memberId);
        if (member == null || member.streams() == null) {
            throw ErrorCode.UNKNOWN_MEMBER.exception("Member " + memberId + " is not in streams group " + groupId
                    + "; join with member_epoch 0");
        }
        return member;
    }

    /**
     * A new group epoch: the topology set against the topics now, every member's target computed from its previous one
     * (none while the group is not ready), and tasks that no longer exist taken from their owners. An empty group
     * forgets a shutdown request.
     */
    static ConsumerGroup rebalance(ConsumerGroup group, MetadataView view, StreamsSettings settings) {
        if (group.members().isEmpty() && group.streams().shutdownRequestedBy() != null) {
            group = group.withStreams(group.streams().withShutdownRequestedBy(null));
        }
        StreamsConfiguration configuration = StreamsConfiguration.configure(group.streams().topology(), view);
        SortedSet<TaskId> tasks = configuration.ready() ? configuration.allTasks() : new TreeSet<>();
        List<StreamsAssignor.Member> input = group.members().values().stream()
                .map(m -> new StreamsAssignor.Member(m.memberId(), m.streams().processId(), m.streams().target(),
                        m.streams().offsets()))
                .toList();
        Set<String> stateful = group.streams().topology().subtopologies().stream()
                .filter(subtopology -> !subtopology.stateChangelogTopics().isEmpty())
                .map(StreamsTopology.Subtopology::id).collect(Collectors.toSet());
        SortedMap<String, Tasks> targets = StreamsAssignor.assign(input, tasks, stateful,
                settings.standbyReplicas());
        SortedMap<String, GroupMember> members = new TreeMap<>();
        for (GroupMember member : group.members().values()) {
            StreamsMember streams = member.streams();
            if (configuration.ready()) {
                streams = streams.withOwnership(existing(streams.assigned(), tasks),
                        existing(streams.pendingRevocation(), tasks));
            }
            members.put(member.memberId(), member.withStreams(streams.withTarget(targets.get(member.memberId()))));
        }
        return group.withAssignment(group.groupEpoch() + 1, configuration.topics(), members);
    }

    private static Tasks existing(Tasks held, Set<TaskId> tasks) {
        return new Tasks(kept(held.active(), tasks), kept(held.standby(), tasks), kept(held.warmup(), tasks));
    }

    private static Set<TaskId> kept(Set<TaskId> held, Set<TaskId> tasks) {
        Set<TaskId> kept = new TreeSet<>(held);
        kept.retainAll(tasks);
        return kept;
    }

    /** Whether the group's topics changed since its last assignment: the sweep then rebalances it. */
    static boolean topicsChanged(ConsumerGroup group, MetadataView view) {
        return !StreamsConfiguration.configure(group.streams().topology(), view).topics()
                .equals(group.subscribedTopics());
    }

    /** The partitions a member may commit offsets for: those its active tasks read, now pending revocation included. */
    static SortedSet<TopicPartition> committable(ConsumerGroup group, GroupMember member, MetadataView view) {
        StreamsConfiguration configuration = StreamsConfiguration.configure(group.streams().topology(), view);
        return configuration.partitions(member.streams().owned().active(), configuration.partitionCounts());
    }

    /** Every source topic of the group's topology that exists: the topics whose offsets its members commit. */
    static Set<String> sourceTopics(ConsumerGroup group, MetadataView view) {
        Set<String> topics = new TreeSet<>();
        StreamsConfiguration.configure(group.streams().topology(), view).sources().values().forEach(topics::addAll);
        return topics;
    }

    private static StreamsHeartbeatResponse answer(ConsumerGroup group, GroupMember member,
                                                   StreamsConfiguration configuration, StreamsSettings settings) {
        List<StreamsStatus> statuses = new ArrayList<>(configuration.statuses());
        if (member.streams().topologyEpoch() < group.streams().topology().epoch()) {
            statuses.add(new StreamsStatus(StreamsStatus.Code.STALE_TOPOLOGY, "The member's topology epoch "
                    + member.streams().topologyEpoch() + " is older than the group's, "
                    + group.streams().topology().epoch()));
        }
        if (group.streams().shutdownRequestedBy() != null) {
            statuses.add(new StreamsStatus(StreamsStatus.Code.SHUTDOWN_APPLICATION, "Member "
                    + group.streams().shutdownRequestedBy() + " asked the application to shut down"));
        }
        Tasks assigned = member.streams().assigned();
        return new StreamsHeartbeatResponse(member.memberId(), member.memberEpoch(), settings.heartbeatEveryMs(),
                settings.taskOffsetIntervalMs(), settings.acceptableRecoveryLag(), statuses,
                Tasks.list(assigned.active()), Tasks.list(assigned.standby()), Tasks.list(assigned.warmup()),
                group.groupEpoch(), endpoints(group, configuration), group.streams().currentDescription() == null);
    }

    /** For interactive queries: each member with an endpoint, and the partitions its tasks read. */
    private static List<StreamsHeartbeatResponse.EndpointPartitions> endpoints(ConsumerGroup group,
                                                                             StreamsConfiguration configuration) {
        Map<String, Integer> counts = configuration.partitionCounts();
        List<StreamsHeartbeatResponse.EndpointPartitions> endpoints = new ArrayList<>();
        for (GroupMember member : group.members().values()) {
            StreamsMember streams = member.streams();
            if (streams.userEndpoint() == null) {
                continue;
            }
            Set<TaskId> standby = new TreeSet<>(streams.assigned().standby());
            standby.addAll(streams.assigned().warmup());
            endpoints.add(new StreamsHeartbeatResponse.EndpointPartitions(streams.userEndpoint(),
                    GroupRules.topicPartitions(configuration.partitions(streams.assigned().active(), counts)),
                    GroupRules.topicPartitions(configuration.partitions(standby, counts))));
        }
        return endpoints;
    }

    /** A streams group's state: NOT_READY while it has members and its topology's topics are not ready. */
    static GroupState state(ConsumerGroup group, MetadataView view) {
        return state(group, StreamsConfiguration.configure(group.streams().topology(), view));
    }

    private static GroupState state(ConsumerGroup group, StreamsConfiguration configuration) {
        return !group.members().isEmpty() && !configuration.ready() ? GroupState.NOT_READY : group.state();
    }

    /** The group as StreamsGroupDescribe shows it. */
    static StreamsGroupDescription describe(ConsumerGroup group, MetadataView view) {
        StreamsConfiguration configuration = StreamsConfiguration.configure(group.streams().topology(), view);
        String state = switch (state(group, configuration)) {
            case EMPTY -> "Empty";
            case NOT_READY -> "NotReady";
            case RECONCILING -> "Reconciling";
            case STABLE -> "Stable";
        };
        List<StreamsGroupDescription.ConfiguredSubtopology> subtopologies = null;
        if (configuration.ready()) {
            subtopologies = new ArrayList<>();
            for (StreamsTopology.Subtopology subtopology : group.streams().topology().subtopologies()) {
                Set<String> repartition = new TreeSet<>();
                subtopology.repartitionSourceTopics().forEach(topic -> repartition.add(topic.name()));
                subtopologies.add(new StreamsGroupDescription.ConfiguredSubtopology(subtopology.id(),
                        configuration.sources().get(subtopology.id()).stream()
                                .filter(topic -> !repartition.contains(topic)).toList(),
                        subtopology.repartitionSinkTopics(),
                        subtopology.stateChangelogTopics().stream()
                                .map(topic -> configuration.internal().get(topic.name())).toList(),
                        subtopology.repartitionSourceTopics().stream()
                                .map(topic -> configuration.internal().get(topic.name())).toList()));
            }
        }
        List<StreamsGroupDescription.Member> members = group.members().values().stream().map(member -> {
            StreamsMember streams = member.streams();
            return new StreamsGroupDescription.Member(member.memberId(), member.memberEpoch(), member.instanceId(),
                    streams.rackId(), member.clientId(), member.clientHost(), streams.topologyEpoch(),
                    streams.processId(), streams.userEndpoint(), streams.clientTags(), assignment(streams.assigned()),
                    assignment(streams.target()));
        }).toList();
        return new StreamsGroupDescription(group.groupId(), state, group.groupEpoch(), group.assignmentEpoch(),
                group.streams().topology().epoch(), subtopologies, members, group.streams().currentDescription());
    }

    private static StreamsGroupDescription.Assignment assignment(Tasks tasks) {
        return new StreamsGroupDescription.Assignment(Tasks.list(tasks.active()), Tasks.list(tasks.standby()),
                Tasks.list(tasks.warmup()));
    }
}
