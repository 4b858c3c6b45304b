package io.sluice.coordinator.group;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.groupconfig.GroupConfigs;
import io.sluice.internal.group.CommittedOffset;
import io.sluice.internal.group.GroupDescription;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.GroupOwnership;
import io.sluice.internal.group.GroupState;
import io.sluice.internal.group.MemberDescription;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.OffsetResetResponse;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.streams.StreamsGroupDescription;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsStatus;
import io.sluice.internal.streams.StreamsTopology.InternalTopic;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Consumer groups for gateways: member heartbeats, offset commits and fetches, and group administration. Checks the
 * group id, counts a heartbeat as a sign of life, and hands every change to the {@link GroupManager}'s sequence,
 * where {@link GroupRules} decides it. A refused request changes nothing.
 */
@Service
class GroupService {

    private static final Logger LOG = LoggerFactory.getLogger(GroupService.class);

    private final GroupManager groups;
    private final ClassicGroups classic;
    private final MemberLiveness liveness;
    private final OwnershipHistory history;
    private final GroupSettings settings;
    private final Clock clock;
    private final ShareGroupIds shareGroups;
    private final PendingTransactionalOffsets pendingOffsets;
    private final GroupConfigs configs;
    private final InternalTopicCreator topicCreator;
    private final int internalTopicReplicationFactor;
    /** Internal topics being created now, so that the heartbeats of a group waiting for them create each once. */
    private final Set<String> creating = ConcurrentHashMap.newKeySet();
    /** Why the last creation of an internal topic failed, told to the group's members until one succeeds. */
    private final Map<String, String> creationFailures = new ConcurrentHashMap<>();

    GroupService(GroupManager groups, ClassicGroups classic, MemberLiveness liveness, OwnershipHistory history,
                 CoordinatorProperties properties, Clock clock, ShareGroupIds shareGroups,
                 PendingTransactionalOffsets pendingOffsets, InternalTopicCreator topicCreator, GroupConfigs configs) {
        this.shareGroups = shareGroups;
        this.topicCreator = topicCreator;
        this.configs = configs;
        this.internalTopicReplicationFactor = properties.streamsGroups().internalTopicReplicationFactor();
        this.pendingOffsets = pendingOffsets;
        this.groups = groups;
        this.classic = classic;
        this.liveness = liveness;
        this.history = history;
        this.settings = GroupSettings.of(properties.groups());
        this.clock = clock;
    }

    /** A consumer group member's heartbeat, under the group's {@code consumer.*} configs. */
    Mono<GroupHeartbeatResponse> heartbeat(String groupId, GroupHeartbeatRequest request) {
        return ready(groupId).then(Mono.defer(() -> notAShareGroup(groupId, request)))
                .then(Mono.defer(() -> configs.config(groupId))).flatMap(config -> {
                    GroupSettings limits = settings.forGroup(config);
                    if (Objects.equals(request.memberEpoch(), GroupHeartbeatRequest.JOIN)
                            && classic.hasMembers(groupId)) {
                        return upgradeAndJoin(groupId, request, limits);
                    }
                    if (request.memberId() != null && !request.memberId().isEmpty()) {
                        liveness.heartbeat(groupId, request.memberId());
                    }
                    return groups.submit(groupId, (group, view) -> GroupRules.heartbeat(group, groupId, request, view,
                            limits, () -> UUID.randomUUID().toString()));
                }).doOnNext(answer -> liveness.heartbeat(groupId, answer.memberId()));
    }

    /**
     * A streams group member's heartbeat ({@link StreamsRules#heartbeat}). A group id whose members speak the classic
     * protocol is not a streams group (INCONSISTENT_GROUP_PROTOCOL), nor is a share group's (UNKNOWN_GROUP). Internal
     * topics the group lacks are created once the change is stored; until they exist its members are told they are
     * missing (and why their creation failed, if it did). Runs under the group's {@code streams.*} configs.
     */
    Mono<StreamsHeartbeatResponse> streamsHeartbeat(String groupId, StreamsHeartbeatRequest request) {
        boolean joining = Objects.equals(request.memberEpoch(), StreamsHeartbeatRequest.JOIN);
        return ready(groupId).then(Mono.defer(() -> joining ? notAShareGroup(groupId) : Mono.empty()))
                .then(Mono.defer(() -> configs.config(groupId))).flatMap(config -> {
                    if (classic.hasMembers(groupId)) {
                        throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " has members of "
                                + "Kafka's classic group protocol, not a streams group");
                    }
                    if (request.memberId() != null && !request.memberId().isEmpty() && !joining) {
                        liveness.heartbeat(groupId, request.memberId());
                    }
                    return groups.submit(groupId, (group, view) -> StreamsRules.heartbeat(group, groupId, request,
                            view, StreamsSettings.of(config), settings));
                })
                .doOnNext(outcome -> {
                    liveness.heartbeat(groupId, outcome.response().memberId());
                    createInternalTopics(groupId, outcome.missingInternalTopics());
                })
                .map(outcome -> withCreationFailures(outcome.response()));
    }

    private void createInternalTopics(String groupId, List<InternalTopic> missing) {
        long live = groups.metadata().metadata().nodes().stream().filter(n -> n.status() == NodeStatus.ALIVE).count();
        for (InternalTopic topic : missing) {
            if (!creating.add(topic.name())) {
                continue;
            }
            int replicationFactor = topic.replicationFactor() > 0 ? topic.replicationFactor()
                    : (int) Math.max(1, Math.min(internalTopicReplicationFactor, live));
            LOG.info("Creating streams group {}'s internal topic '{}' ({} partitions, replication factor {})", groupId,
                    topic.name(), topic.partitions(), replicationFactor);
            topicCreator.create(topic.name(), topic.partitions(), replicationFactor, topic.configs())
                    .onErrorResume(e -> e instanceof SluiceException s
                            && s.errorCode() == ErrorCode.TOPIC_ALREADY_EXISTS, e -> Mono.empty())
                    .doFinally(signal -> creating.remove(topic.name()))
                    .subscribe(done -> { }, error -> {
                        LOG.warn("Could not create streams group {}'s internal topic '{}': {}", groupId, topic.name(),
                                error.toString());
                        creationFailures.put(topic.name(), error.getMessage());
                    }, () -> creationFailures.remove(topic.name()));
        }
    }

    private StreamsHeartbeatResponse withCreationFailures(StreamsHeartbeatResponse response) {
        if (creationFailures.isEmpty()) {
            return response;
        }
        List<StreamsStatus> statuses = response.statuses().stream().map(status -> {
            if (status.code() != StreamsStatus.Code.MISSING_INTERNAL_TOPICS) {
                return status;
            }
            StringBuilder detail = new StringBuilder(status.detail());
            creationFailures.forEach((topic, failure) -> {
                if (status.detail().contains(topic)) {
                    detail.append(" Creating ").append(topic).append(" failed: ").append(failure);
                }
            });
            return new StreamsStatus(status.code(), detail.toString());
        }).toList();
        return response.withStatuses(statuses);
    }

    /** Stores a member's description of the group's topology ({@link StreamsRules#describeTopology}). */
    Mono<Void> describeStreamsTopology(String groupId, StreamsTopologyDescriptionUpdate update) {
        return ready(groupId).then(Mono.defer(() -> groups.submit(groupId,
                (group, view) -> StreamsRules.describeTopology(group, groupId, update))));
    }

    Mono<StreamsGroupDescription> describeStreams(String groupId) {
        return ready(groupId).then(Mono.fromSupplier(() -> {
            ConsumerGroup group = groups.group(groupId).orElseThrow(() ->
                    ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " does not exist"));
            if (!group.isStreams()) {
                throw ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " is not a streams group");
            }
            return StreamsRules.describe(group, groups.metadata());
        }));
    }

    /**
     * A join to a group id that no consumer group has yet is refused with UNKNOWN_GROUP (Kafka's GROUP_ID_NOT_FOUND)
     * when a share group has it: one namespace of group ids, as Kafka's ConsumerGroupHeartbeat answers.
     */
    private Mono<Void> notAShareGroup(String groupId, GroupHeartbeatRequest request) {
        return Objects.equals(request.memberEpoch(), GroupHeartbeatRequest.JOIN) ? notAShareGroup(groupId)
                : Mono.empty();
    }

    /**
     * The same for a commit without a member, which makes a group under a new id (Kafka's "simple" commit: its
     * OffsetCommit to a share group's id is GROUP_ID_NOT_FOUND too).
     */
    private Mono<Void> notAShareGroup(String groupId) {
        if (groups.hasGroup(groupId) || classic.hasMembers(groupId)) {
            return Mono.empty();
        }
        return shareGroups.isShareGroup(groupId).flatMap(share -> share
                ? Mono.error(ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " is not a consumer group: it is"
                        + " a share group"))
                : Mono.empty());
    }

    /**
     * A member of the consumer protocol, or an HTTP member, joining a classic group: the group becomes a consumer
     * group with its classic members in it ({@link ClassicMemberRules#upgrade}), as Kafka's group coordinator upgrades
     * a classic group online, and the joining member is one more member of it. A classic group in the middle of a
     * rebalance is taken over once it settles (COORDINATOR_NOT_AVAILABLE, retriable, meanwhile); one that is not a
     * consumer group, or whose subscriptions or assignments the coordinator could not read, cannot be
     * (INCONSISTENT_GROUP_PROTOCOL).
     */
    private Mono<GroupHeartbeatResponse> upgradeAndJoin(String groupId, GroupHeartbeatRequest request,
                                                        GroupSettings limits) {
        ClassicGroups.Upgrade upgrade = classic.upgrade(groupId).orElseThrow(() ->
                ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " has members of Kafka's "
                        + "classic group protocol that a consumer group cannot take over (not protocol type "
                        + "'consumer', or assignments the coordinator cannot read)"));
        if (!upgrade.settled()) {
            throw ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("Classic group " + groupId + " is rebalancing: join "
                    + "again once it has settled, and it becomes a consumer group");
        }
        return groups.submit(groupId, (group, view) -> {
            ConsumerGroup upgraded = ClassicMemberRules.upgrade(group, groupId, upgrade, view);
            GroupDecision<GroupHeartbeatResponse> joined = GroupRules.heartbeat(upgraded, groupId, request, view,
                    limits, () -> UUID.randomUUID().toString());
            if (!classic.handOver(groupId, upgrade.generation())) {
                throw ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("Classic group " + groupId + " moved on while "
                        + "a consumer group took it over: join again");
            }
            return new GroupDecision<>(joined.after(), true, joined.result());
        }).doOnNext(answer -> liveness.heartbeat(groupId, answer.memberId()));
    }

    Mono<GroupOffsets> commit(String groupId, OffsetCommitRequest request) {
        if (request.memberId() != null && !request.memberId().isEmpty() && request.memberEpoch() != null
                && classic.isMember(groupId, request.memberId())) {
            return ready(groupId).then(classic.commit(groupId, request.memberId(), request.memberEpoch(),
                    request.offsets()));
        }
        boolean memberless = request.memberId() == null || request.memberId().isEmpty();
        return ready(groupId)
                .then(Mono.defer(() -> memberless ? notAShareGroup(groupId) : Mono.empty()))
                .then(Mono.defer(() -> groups.submit(groupId, (group, view) -> {
                    if (memberless) {
                        withoutClassicMembers(groupId);
                    }
                    return GroupRules.commit(group, groupId, request, view, settings, clock.millis());
                })));
    }

    /**
     * The group's committed offsets and the partitions whose offsets a transaction holds pending. The pending ones are
     * read first: a transaction commits its offsets to the group before it stops being pending, so an offset missing
     * from the pending set read here is already in the committed offsets read after it. Refused until the transactional
     * ids are loaded too, as the pending offsets would be unknown.
     */
    Mono<GroupOffsets> committedOffsets(String groupId) {
        return ready(groupId).then(Mono.fromSupplier(() -> {
            if (!pendingOffsets.isReady()) {
                throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is still loading transactions");
            }
            Set<TopicPartition> pending = pendingOffsets.pending(groupId);
            return new GroupOffsets(groupId, groups.group(groupId)
                    .map(group -> group.offsets().values().stream().map(StoredOffset::toCommitted).toList())
                    .orElse(List.of()), List.copyOf(pending));
        }));
    }

    Mono<List<GroupListing>> list() {
        return ready(null).then(Mono.fromSupplier(() -> groups.groups().stream()
                .map(group -> new GroupListing(group.groupId(), state(group), group.groupEpoch(),
                        group.members().size(), type(group)))
                .toList()));
    }

    Mono<GroupDescription> describe(String groupId) {
        return ready(groupId).then(Mono.fromSupplier(() -> describe(groups.group(groupId).orElseThrow(() ->
                ErrorCode.UNKNOWN_GROUP.exception("Group " + groupId + " does not exist")))));
    }

    Mono<Void> delete(String groupId) {
        return ready(groupId).then(groups.submit(groupId, (group, view) -> {
            classic.forget(groupId);
            return GroupRules.delete(group, groupId);
        }));
    }

    /**
     * The offsets of {@code partitions} of a topic, of all of them when null; refused while a live member subscribes
     * to the topic, of the consumer protocol or HTTP ({@link GroupRules#deleteTopicOffsets}) or of the classic one
     * ({@link ClassicGroups#checkOffsetsDeletable}), both decided in the command that deletes. A classic group that
     * has committed nothing has nothing to delete.
     */
    Mono<Void> deleteTopicOffsets(String groupId, String topic, List<Integer> partitions) {
        return ready(groupId).then(groups.submit(groupId, (group, view) ->
                classic.checkOffsetsDeletable(groupId, topic) && group == null ? GroupDecision.<Void>of(null, null)
                        : GroupRules.deleteTopicOffsets(group, groupId, topic, partitions, view)));
    }

    Mono<List<GroupOwnership>> ownershipHistory(String groupId) {
        return ready(groupId).then(Mono.fromSupplier(() -> history.of(groupId)));
    }

    Mono<OffsetResetResponse> reset(String groupId, OffsetResetRequest request) {
        return ready(groupId).then(groups.submit(groupId, (group, view) -> {
            withoutClassicMembers(groupId);
            return GroupRules.reset(group, groupId, request, view, settings, clock.millis());
        }));
    }

    /**
     * NON_EMPTY_GROUP while the group has members of the classic protocol, which commit with their generation:
     * offsets without a member are for groups without members, whichever protocol. A forced reset is refused too:
     * nothing makes a classic member read from the reset offsets, and its next commit would undo the reset. Called in
     * the command that changes the offsets, so no classic member joins between the check and the change.
     */
    private void withoutClassicMembers(String groupId) {
        if (classic.hasMembers(groupId)) {
            throw ErrorCode.NON_EMPTY_GROUP.exception("Group " + groupId + " has members of Kafka's classic "
                    + "group protocol");
        }
    }

    /** Fails when the group id is not one, or this coordinator does not serve groups (standby, still loading). */
    private Mono<Void> ready(String groupIdOrNull) {
        return Mono.fromRunnable(() -> {
            if (groupIdOrNull != null) {
                GroupIds.validate(groupIdOrNull);
            }
            if (!groups.isReady()) {
                throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one");
            }
        });
    }

    private GroupDescription describe(ConsumerGroup group) {
        List<MemberDescription> members = group.members().values().stream()
                .map(m -> new MemberDescription(m.memberId(), m.instanceId(), m.memberEpoch(), m.state(),
                        m.subscribedTopicNames(), m.subscribedTopicRegex(), GroupRules.topicPartitions(m.assigned()),
                        GroupRules.topicPartitions(m.pendingRevocation()), GroupRules.topicPartitions(m.target()),
                        m.rebalanceTimeoutMs(), m.sessionTimeoutMs(), m.clientId(), m.clientHost(), m.classic()))
                .toList();
        List<CommittedOffset> offsets = group.offsets().values().stream().map(StoredOffset::toCommitted).toList();
        return new GroupDescription(group.groupId(), state(group), group.groupEpoch(), group.assignmentEpoch(),
                members, offsets, type(group));
    }

    /** A streams group's state depends on its topics as well as its members ({@link StreamsRules#state}). */
    private GroupState state(ConsumerGroup group) {
        return group.isStreams() ? StreamsRules.state(group, groups.metadata()) : group.state();
    }

    private static String type(ConsumerGroup group) {
        return group.isStreams() ? GroupListing.STREAMS : GroupListing.CONSUMER;
    }
}
