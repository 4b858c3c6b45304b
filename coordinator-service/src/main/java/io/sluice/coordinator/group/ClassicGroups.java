package io.sluice.coordinator.group;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.internal.classic.ClassicAssignment;
import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.internal.classic.ClassicMember;
import io.sluice.internal.classic.ClassicProtocol;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.classic.ClassicSyncResponse;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Kafka's classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), which Kafka Connect, Kafka Streams,
 * librdkafka and consumers with {@code group.protocol=classic} speak: the rebalance barrier, generations, leaders that
 * assign with opaque protocols the coordinator never reads, KIP-394 member ids and KIP-345 static members.
 *
 * <p><b>The rebalance.</b> A join (a new member, a member rejoining, changed metadata) moves the group to
 * PreparingRebalance: heartbeats answer REBALANCE_IN_PROGRESS so every member rejoins, and the join completes when all
 * known members have, or at the longest rebalance timeout, when the ones that did not are removed. A group that was
 * empty waits {@code initial-rebalance-delay} for more members first (Kafka's {@code group.initial.rebalance.delay.ms}).
 * Completing bumps the generation, picks the protocol every member supports that most members prefer, keeps the leader
 * if it rejoined, and answers every join — the leader's with all members' metadata. In CompletingRebalance the
 * leader's SyncGroup carries each member's assignment; every member's SyncGroup is answered with its own once it has
 * come. A member silent past its session timeout is removed, which rebalances the rest.
 *
 * <p><b>Where it lives.</b> In the active coordinator's memory, like members' heartbeats: a coordinator that takes
 * over knows no classic group, so their members' next calls answer UNKNOWN_MEMBER and they rejoin (a rebalance, with
 * their committed offsets kept). Committed offsets are the coordinator's stored group offsets, the ones KIP-848 and
 * HTTP groups commit, written through the offset reset (a classic member may commit an offset below its last one).
 * A group id whose members speak the consumer protocol, or are HTTP members, is a consumer group: a classic consumer
 * joins it as a member the coordinator assigns ({@link ClassicMembers}), and a join that reaches this class anyway (the
 * group gained such members meanwhile) is refused with INCONSISTENT_GROUP_PROTOCOL.
 *
 * <p>Thread-safe: every state change holds this object's monitor; waiting callers are answered after it is released.
 */
@Component
public class ClassicGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroups.class);

    enum State {
        EMPTY("Empty"), PREPARING_REBALANCE("PreparingRebalance"), COMPLETING_REBALANCE("CompletingRebalance"),
        STABLE("Stable");

        final String kafkaName;

        State(String kafkaName) {
            this.kafkaName = kafkaName;
        }
    }

    private static final class Member {
        final String memberId;
        final String instanceId;
        String clientId;
        String clientHost;
        String protocolType;
        List<ClassicProtocol> protocols;
        int sessionTimeoutMs;
        int rebalanceTimeoutMs;
        byte[] assignment = new byte[0];
        List<TopicPartitions> partitions;
        long lastSeenNanos;
        MonoSink<ClassicJoinResponse> joining;
        MonoSink<ClassicSyncResponse> syncing;

        Member(String memberId, String instanceId) {
            this.memberId = memberId;
            this.instanceId = instanceId;
        }
    }

    private static final class Group {
        final String groupId;
        State state = State.EMPTY;
        int generation;
        String protocolType;
        String protocolName;
        String leader;
        final Map<String, Member> members = new LinkedHashMap<>();
        final Map<String, Long> pending = new HashMap<>();
        Disposable deadline;
        long joinDeadlineNanos;
        boolean initialDelay;

        Group(String groupId) {
            this.groupId = groupId;
        }
    }

    /** What classic groups need of the stored (KIP-848) groups: readiness, their members, and their offsets. */
    interface StoredGroups {

        /** Whether this coordinator serves groups now (active, loaded). */
        boolean ready();

        /** Whether the stored group has members (of the consumer protocol, or HTTP members). */
        boolean hasMembers(String groupId);

        /** Sets the group's offsets as given (the offset reset), answering the offsets now stored for them. */
        Mono<GroupOffsets> place(String groupId, List<PartitionOffset> offsets);
    }

    private final Map<String, Group> groups = new TreeMap<>();
    private final StoredGroups stored;
    private final GroupSettings settings;
    private final Duration initialDelay;
    private final Scheduler timers;
    private final LongSupplier nanoClock;

    @Autowired
    ClassicGroups(GroupManager manager, CoordinatorProperties properties, Clock clock) {
        this(stored(manager, GroupSettings.of(properties.groups()), clock), GroupSettings.of(properties.groups()),
                properties.groups().initialRebalanceDelay(), Schedulers.parallel(), System::nanoTime);
    }

    ClassicGroups(StoredGroups stored, GroupSettings settings, Duration initialDelay, Scheduler timers,
                  LongSupplier nanoClock) {
        this.stored = stored;
        this.settings = settings;
        this.initialDelay = initialDelay;
        this.timers = timers;
        this.nanoClock = nanoClock;
    }

    private static StoredGroups stored(GroupManager manager, GroupSettings settings, Clock clock) {
        return new StoredGroups() {
            @Override
            public boolean ready() {
                return manager.isReady();
            }

            @Override
            public boolean hasMembers(String groupId) {
                return manager.group(groupId).map(group -> !group.members().isEmpty()).orElse(false);
            }

            @Override
            public Mono<GroupOffsets> place(String groupId, List<PartitionOffset> offsets) {
                OffsetResetRequest reset = new OffsetResetRequest(offsets, false, false);
                return manager.submit(groupId, (group, view) -> GroupRules.reset(group, groupId, reset, view,
                                settings, clock.millis()))
                        .map(answer -> new GroupOffsets(groupId, manager.group(groupId).map(group -> group.offsets()
                                .values().stream().filter(o -> offsets.stream().anyMatch(c -> c.topic().equals(
                                        o.topic()) && c.partition() == o.partition()))
                                .map(StoredOffset::toCommitted).toList()).orElse(List.of())));
            }
        };
    }

    /** Whether the group has classic members now (a KIP-848 member, a memberless commit or a delete is refused). */
    public synchronized boolean hasMembers(String groupId) {
        Group group = groups.get(groupId);
        return group != null && !group.members.isEmpty();
    }

    Mono<ClassicJoinResponse> join(String groupId, ClassicJoinRequest request) {
        return Mono.create(sink -> {
            List<Runnable> answers = new ArrayList<>();
            try {
                synchronized (this) {
                    ready(groupId);
                    join(groupId, request, sink, answers);
                }
            } catch (SluiceException e) {
                sink.error(e);
            }
            answers.forEach(Runnable::run);
        });
    }

    private void join(String groupId, ClassicJoinRequest request, MonoSink<ClassicJoinResponse> sink,
                      List<Runnable> answers) {
        if (request.protocolType() == null || request.protocolType().isEmpty() || request.protocols().isEmpty()) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("A join names a protocol type and protocols");
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            throw ErrorCode.INVALID_REQUEST.exception("session.timeout.ms must be " + settings.minSessionTimeoutMs()
                    + " to " + settings.maxSessionTimeoutMs() + ", was " + request.sessionTimeoutMs());
        }
        if (stored.hasMembers(groupId)) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " has members of Kafka's "
                    + "consumer protocol (KIP-848, or HTTP members): a classic member cannot join it");
        }
        Group group = groups.computeIfAbsent(groupId, Group::new);
        if (!group.members.isEmpty() && (!group.protocolType.equals(request.protocolType())
                || supportedByAll(group, request.protocols()).isEmpty())) {
            throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("Group " + groupId + " runs protocol type '"
                    + group.protocolType + "' with protocols its members all support; this member's do not match");
        }
        long now = nanoClock.getAsLong();
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (memberId.isEmpty() && request.groupInstanceId() != null) {
            memberId = replaceStatic(group, request.groupInstanceId(), answers);
        } else if (memberId.isEmpty()) {
            memberId = (request.clientId() == null || request.clientId().isEmpty() ? "member" : request.clientId())
                    + "-" + UUID.randomUUID();
            if (request.requireKnownMemberId()) {
                group.pending.put(memberId, now);
                sink.success(new ClassicJoinResponse(true, -1, null, null, null, memberId, List.of()));
                return;
            }
        } else if (!group.members.containsKey(memberId) && group.pending.remove(memberId) == null) {
            throw ErrorCode.UNKNOWN_MEMBER.exception("Member " + memberId + " is not in classic group " + groupId
                    + ": join with no member id");
        }
        Member member = group.members.get(memberId);
        if (member == null) {
            member = new Member(memberId, request.groupInstanceId());
            group.members.put(memberId, member);
        } else if (member.instanceId != null && !member.instanceId.equals(request.groupInstanceId())) {
            throw ErrorCode.FENCED_INSTANCE_ID.exception("Member " + memberId + " holds instance id "
                    + member.instanceId);
        }
        if (member.joining != null) {
            MonoSink<ClassicJoinResponse> superseded = member.joining;
            answers.add(() -> superseded.error(ErrorCode.REBALANCE_IN_PROGRESS.exception(
                    "A newer join of the same member replaced this one")));
        }
        if (group.members.size() == 1) {
            group.protocolType = request.protocolType();
        }
        member.clientId = request.clientId();
        member.clientHost = request.clientHost();
        member.protocolType = request.protocolType();
        member.protocols = request.protocols();
        member.sessionTimeoutMs = request.sessionTimeoutMs();
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs() > 0 ? request.rebalanceTimeoutMs()
                : request.sessionTimeoutMs();
        member.lastSeenNanos = now;
        member.joining = sink;
        if (group.state != State.PREPARING_REBALANCE) {
            prepareRebalance(group, answers);
        }
        maybeCompleteJoin(group, answers);
    }

    /** A static member's new incarnation takes the place (and assignment) of the old one, which is fenced. */
    private String replaceStatic(Group group, String instanceId, List<Runnable> answers) {
        String memberId = instanceId + "-" + UUID.randomUUID();
        for (Member old : List.copyOf(group.members.values())) {
            if (instanceId.equals(old.instanceId)) {
                group.members.remove(old.memberId);
                fence(old, ErrorCode.FENCED_INSTANCE_ID.exception("A newer member joined with instance id "
                        + instanceId), answers);
                if (old.memberId.equals(group.leader)) {
                    group.leader = memberId;
                }
            }
        }
        return memberId;
    }

    private void prepareRebalance(Group group, List<Runnable> answers) {
        boolean wasEmpty = group.state == State.EMPTY;
        group.state = State.PREPARING_REBALANCE;
        for (Member member : group.members.values()) {
            if (member.syncing != null) {
                fence(member, ErrorCode.REBALANCE_IN_PROGRESS.exception("The group is rebalancing: join again"),
                        answers);
            }
        }
        long timeout = group.members.values().stream().mapToLong(m -> m.rebalanceTimeoutMs).max().orElse(0);
        long delay = wasEmpty ? Math.min(initialDelay.toMillis(), timeout) : timeout;
        group.joinDeadlineNanos = nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(timeout);
        group.initialDelay = wasEmpty;
        schedule(group, delay, wasEmpty);
    }

    private void schedule(Group group, long delayMs, boolean initial) {
        if (group.deadline != null) {
            group.deadline.dispose();
        }
        String groupId = group.groupId;
        group.deadline = timers.schedule(() -> deadline(groupId, initial), delayMs, TimeUnit.MILLISECONDS);
    }

    private void deadline(String groupId, boolean initial) {
        List<Runnable> answers = new ArrayList<>();
        synchronized (this) {
            Group group = groups.get(groupId);
            if (group == null || group.state != State.PREPARING_REBALANCE) {
                return;
            }
            group.deadline = null;
            group.initialDelay = false;
            if (initial && group.members.values().stream().anyMatch(m -> m.joining == null)) {
                // The initial delay is over but known members have not joined yet: wait for them until the timeout.
                long left = TimeUnit.NANOSECONDS.toMillis(group.joinDeadlineNanos - nanoClock.getAsLong());
                schedule(group, Math.max(0, left), false);
                return;
            }
            completeJoin(group, answers);
        }
        answers.forEach(Runnable::run);
    }

    private void maybeCompleteJoin(Group group, List<Runnable> answers) {
        if (group.state == State.PREPARING_REBALANCE && !group.initialDelay && !group.members.isEmpty()
                && group.members.values().stream().allMatch(m -> m.joining != null)) {
            completeJoin(group, answers);
        }
    }

    /** Ends the join phase: members that did not rejoin leave, the rest get the new generation. */
    private void completeJoin(Group group, List<Runnable> answers) {
        if (group.deadline != null) {
            group.deadline.dispose();
            group.deadline = null;
        }
        group.members.values().removeIf(member -> {
            if (member.joining == null) {
                LOG.info("Member {} of classic group {} did not rejoin within the rebalance timeout: removing it",
                        member.memberId, group.groupId);
                fence(member, ErrorCode.UNKNOWN_MEMBER.exception("Removed: it did not rejoin in time"), answers);
                return true;
            }
            return false;
        });
        group.generation++;
        if (group.members.isEmpty()) {
            group.state = State.EMPTY;
            group.protocolName = null;
            group.leader = null;
            return;
        }
        group.protocolName = chooseProtocol(group);
        if (group.leader == null || !group.members.containsKey(group.leader)) {
            group.leader = group.members.keySet().iterator().next();
        }
        group.state = State.COMPLETING_REBALANCE;
        long now = nanoClock.getAsLong();
        List<ClassicMember> all = group.members.values().stream().map(m -> new ClassicMember(m.memberId,
                m.instanceId, metadata(m, group.protocolName))).toList();
        for (Member member : group.members.values()) {
            MonoSink<ClassicJoinResponse> sink = member.joining;
            member.joining = null;
            member.lastSeenNanos = now;
            member.assignment = new byte[0];
            member.partitions = null;
            ClassicJoinResponse answer = new ClassicJoinResponse(false, group.generation, group.protocolType,
                    group.protocolName, group.leader, member.memberId,
                    member.memberId.equals(group.leader) ? all : List.of());
            answers.add(() -> sink.success(answer));
        }
        LOG.info("Classic group {} is at generation {} with {} members (protocol {}, leader {})", group.groupId,
                group.generation, group.members.size(), group.protocolName, group.leader);
    }

    Mono<ClassicSyncResponse> sync(String groupId, ClassicSyncRequest request) {
        return Mono.create(sink -> {
            List<Runnable> answers = new ArrayList<>();
            try {
                synchronized (this) {
                    ready(groupId);
                    Group group = groups.get(groupId);
                    Member member = member(group, groupId, request.memberId(), request.groupInstanceId());
                    checkGeneration(group, request.generationId());
                    if (request.protocolType() != null && !request.protocolType().equals(group.protocolType)
                            || request.protocolName() != null && !request.protocolName().equals(group.protocolName)) {
                        throw ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("The group's protocol is "
                                + group.protocolType + "/" + group.protocolName);
                    }
                    member.lastSeenNanos = nanoClock.getAsLong();
                    switch (group.state) {
                        case PREPARING_REBALANCE -> throw ErrorCode.REBALANCE_IN_PROGRESS.exception(
                                "The group is rebalancing: join again");
                        case STABLE -> sink.success(answer(group, member));
                        case COMPLETING_REBALANCE -> {
                            member.syncing = sink;
                            if (member.memberId.equals(group.leader)) {
                                assign(group, request.assignments(), answers);
                            }
                        }
                        case EMPTY -> throw ErrorCode.UNKNOWN_MEMBER.exception("The group has no members");
                    }
                }
            } catch (SluiceException e) {
                sink.error(e);
            }
            answers.forEach(Runnable::run);
        });
    }

    private void assign(Group group, List<ClassicAssignment> assignments, List<Runnable> answers) {
        Map<String, ClassicAssignment> byMember = new HashMap<>();
        assignments.forEach(a -> byMember.put(a.memberId(), a));
        for (Member member : group.members.values()) {
            ClassicAssignment given = byMember.get(member.memberId);
            member.assignment = given == null || given.assignment() == null ? new byte[0] : given.assignment();
            member.partitions = given == null ? List.of() : given.partitions();
        }
        group.state = State.STABLE;
        for (Member member : group.members.values()) {
            if (member.syncing != null) {
                MonoSink<ClassicSyncResponse> sink = member.syncing;
                member.syncing = null;
                ClassicSyncResponse answer = answer(group, member);
                answers.add(() -> sink.success(answer));
            }
        }
    }

    private static ClassicSyncResponse answer(Group group, Member member) {
        return new ClassicSyncResponse(group.protocolType, group.protocolName, member.assignment);
    }

    synchronized void heartbeat(String groupId, ClassicHeartbeatRequest request) {
        ready(groupId);
        Group group = groups.get(groupId);
        Member member = member(group, groupId, request.memberId(), request.groupInstanceId());
        member.lastSeenNanos = nanoClock.getAsLong();
        if (group.state == State.PREPARING_REBALANCE) {
            throw ErrorCode.REBALANCE_IN_PROGRESS.exception("The group is rebalancing: join again");
        }
        checkGeneration(group, request.generationId());
    }

    void leave(String groupId, ClassicLeaveRequest request) {
        List<Runnable> answers = new ArrayList<>();
        synchronized (this) {
            ready(groupId);
            Group group = groups.get(groupId);
            if (group == null) {
                throw ErrorCode.UNKNOWN_MEMBER.exception("Classic group " + groupId + " has no members");
            }
            for (ClassicLeaveRequest.Leaving leaving : request.members()) {
                Member member = member(group, groupId, leaving.memberId(), leaving.groupInstanceId());
                group.members.remove(member.memberId);
                fence(member, ErrorCode.UNKNOWN_MEMBER.exception("The member left the group"), answers);
                LOG.info("Member {} left classic group {}", member.memberId, groupId);
            }
            membershipChanged(group, answers);
        }
        answers.forEach(Runnable::run);
    }

    private void membershipChanged(Group group, List<Runnable> answers) {
        if (group.members.isEmpty()) {
            if (group.deadline != null) {
                group.deadline.dispose();
                group.deadline = null;
            }
            if (group.state != State.EMPTY) {
                group.generation++;
            }
            group.state = State.EMPTY;
            group.leader = null;
            group.protocolName = null;
        } else if (group.state == State.PREPARING_REBALANCE) {
            maybeCompleteJoin(group, answers);
        } else {
            prepareRebalance(group, answers);
        }
    }

    /**
     * Removes members silent past their session timeout, and forgets unused pending member ids; on a coordinator that
     * is not active, forgets every classic group. Run by the coordinator's timer.
     */
    public void sweep() {
        List<Runnable> answers = new ArrayList<>();
        synchronized (this) {
            if (!stored.ready()) {
                clear(answers);
            } else {
                long now = nanoClock.getAsLong();
                for (Group group : groups.values()) {
                    group.pending.values().removeIf(since -> now - since
                            > TimeUnit.MILLISECONDS.toNanos(settings.maxSessionTimeoutMs()));
                    List<Member> expired = group.members.values().stream().filter(m -> m.joining == null
                            && now - m.lastSeenNanos > TimeUnit.MILLISECONDS.toNanos(m.sessionTimeoutMs)).toList();
                    for (Member member : expired) {
                        LOG.warn("Member {} of classic group {} missed its session timeout: removing it",
                                member.memberId, group.groupId);
                        group.members.remove(member.memberId);
                        fence(member, ErrorCode.UNKNOWN_MEMBER.exception("Removed after its session timeout"),
                                answers);
                    }
                    if (!expired.isEmpty()) {
                        membershipChanged(group, answers);
                    }
                }
                groups.values().removeIf(g -> g.members.isEmpty() && g.pending.isEmpty());
            }
        }
        answers.forEach(Runnable::run);
    }

    private void clear(List<Runnable> answers) {
        for (Group group : groups.values()) {
            if (group.deadline != null) {
                group.deadline.dispose();
            }
            group.members.values().forEach(m -> fence(m, ErrorCode.NOT_ACTIVE_COORDINATOR.exception(
                    "This coordinator is no longer the active one"), answers));
        }
        groups.clear();
    }

    /**
     * A classic group as a consumer group takes it over when a member of the consumer protocol (or an HTTP member)
     * joins it, as Kafka's group coordinator upgrades a classic group online: each member with what it subscribes to
     * and the partitions the leader gave it in the current generation. Only a stable group of protocol type
     * {@code consumer} whose subscriptions and assignments the gateway could read can be taken over; empty otherwise.
     *
     * @param settled whether the group is stable now: one in the middle of a rebalance is taken over once it settles
     */
    record Upgrade(int generation, boolean settled, List<UpgradedMember> members) {
    }

    /** One classic member as the consumer group takes it over. */
    record UpgradedMember(String memberId, String instanceId, List<String> protocolNames, List<String> topics,
                          List<TopicPartitions> partitions, int sessionTimeoutMs, int rebalanceTimeoutMs,
                          String clientId, String clientHost) {
    }

    synchronized Optional<Upgrade> upgrade(String groupId) {
        Group group = groups.get(groupId);
        if (group == null || group.members.isEmpty()
                || !ClassicGroupDescription.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType)) {
            return Optional.empty();
        }
        if (group.state != State.STABLE) {
            return Optional.of(new Upgrade(group.generation, false, List.of()));
        }
        List<UpgradedMember> members = new ArrayList<>();
        for (Member member : group.members.values()) {
            ClassicProtocol chosen = member.protocols.stream()
                    .filter(p -> Objects.equals(p.name(), group.protocolName)).findFirst().orElse(null);
            if (chosen == null || chosen.topics() == null || member.partitions == null) {
                return Optional.empty();
            }
            List<String> names = new ArrayList<>(List.of(group.protocolName));
            member.protocols.stream().map(ClassicProtocol::name).filter(n -> !n.equals(group.protocolName))
                    .forEach(names::add);
            members.add(new UpgradedMember(member.memberId, member.instanceId, names, chosen.topics(),
                    member.partitions, member.sessionTimeoutMs, member.rebalanceTimeoutMs, member.clientId,
                    member.clientHost));
        }
        return Optional.of(new Upgrade(group.generation, true, members));
    }

    /**
     * Hands a stable group at {@code generation} over to the consumer group that took it over: its members' calls go
     * there from now on. False, and nothing changes, if the group moved on meanwhile.
     */
    synchronized boolean handOver(String groupId, int generation) {
        Group group = groups.get(groupId);
        if (group == null || group.state != State.STABLE || group.generation != generation) {
            return false;
        }
        if (group.deadline != null) {
            group.deadline.dispose();
        }
        groups.remove(groupId);
        LOG.info("Classic group {} at generation {} is now a consumer group ({} classic members)", groupId,
                generation, group.members.size());
        return true;
    }

    /** Whether {@code memberId} is a member of the classic group now: its commits are fenced here. */
    synchronized boolean isMember(String groupId, String memberId) {
        Group group = groups.get(groupId);
        return group != null && group.members.containsKey(memberId);
    }

    /**
     * Commits a member's offsets, fenced by its generation, through the stored groups' offset reset (a classic member
     * may move its offsets back); answers the offsets as committed.
     */
    Mono<GroupOffsets> commit(String groupId, String memberId, int generation, List<PartitionOffset> offsets) {
        return Mono.defer(() -> {
            synchronized (this) {
                ready(groupId);
                Group group = groups.get(groupId);
                Member member = member(group, groupId, memberId, null);
                checkGeneration(group, generation);
                if (group.state == State.COMPLETING_REBALANCE) {
                    throw ErrorCode.REBALANCE_IN_PROGRESS.exception("The group is completing a rebalance");
                }
                member.lastSeenNanos = nanoClock.getAsLong();
            }
            return stored.place(groupId, offsets);
        });
    }

    /**
     * KIP-447's check of a transactional offset commit made as {@code memberId} at {@code generation} ({@link
     * TransactionalCommits}): of a classic group with members, the member must be one of them (UNKNOWN_MEMBER, or
     * FENCED_INSTANCE_ID when another member holds its instance id now) and the generation the group's
     * (ILLEGAL_GENERATION). Answers false, having checked nothing, when the group id has no classic members.
     */
    synchronized boolean checkTransactionalCommit(String groupId, String memberId, int generation, String instanceId) {
        ready(groupId);
        Group group = groups.get(groupId);
        if (group == null || group.members.isEmpty()) {
            return false;
        }
        member(group, groupId, memberId, instanceId);
        checkGeneration(group, generation);
        return true;
    }

    synchronized ClassicGroupDescription describe(String groupId) {
        ready(groupId);
        Group group = groups.get(groupId);
        if (group == null) {
            throw ErrorCode.UNKNOWN_GROUP.exception("Classic group " + groupId + " does not exist");
        }
        return description(group);
    }

    synchronized List<ClassicGroupDescription> describeAll() {
        ready(null);
        return groups.values().stream().map(ClassicGroups::description).toList();
    }

    /**
     * Kafka's rule for deleting the group's committed offsets of {@code topic}, on the classic group as it is now:
     * NON_EMPTY_GROUP while members of a protocol type other than {@code consumer} hold it (nobody reads what they
     * subscribe to), GROUP_SUBSCRIBED_TO_TOPIC while a member subscribes to the topic. A member's topics are those
     * the gateway read from the metadata of each protocol it joined with (all of them: a member that rejoined with a
     * new subscription reads it from its next generation on); a protocol whose topics nobody could read counts as
     * subscribed to every topic, as Kafka counts metadata that does not parse. Answers whether the classic group
     * exists, members or not: it may have committed nothing yet.
     *
     * <p>The stored groups' command sequence calls this in the command that deletes, so a member that joined before
     * it is seen, and one joining after it is after the deletion.
     */
    synchronized boolean checkOffsetsDeletable(String groupId, String topic) {
        Group group = groups.get(groupId);
        if (group == null) {
            return false;
        }
        if (description(group).heldByAnotherProtocolType()) {
            throw ErrorCode.NON_EMPTY_GROUP.exception("Classic group " + groupId + " has members of protocol type '"
                    + group.protocolType + "', whose subscriptions Sluice cannot read; its offsets can be deleted "
                    + "once it is empty");
        }
        for (Member member : group.members.values()) {
            if (member.protocols.stream().anyMatch(p -> p.topics() == null || p.topics().contains(topic))) {
                throw ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC.exception("Member " + member.memberId + " of classic group "
                        + groupId + " subscribes to topic " + topic + (member.protocols.stream()
                        .anyMatch(p -> p.topics() == null) ? " (its subscription metadata does not parse: it counts "
                        + "as subscribed to every topic)" : "") + "; its offsets can be deleted once no member does");
            }
        }
        return true;
    }

    /** Forgets an empty classic group (its offsets are the stored group's); NON_EMPTY_GROUP while it has members. */
    synchronized void forget(String groupId) {
        Group group = groups.get(groupId);
        if (group != null && !group.members.isEmpty()) {
            throw ErrorCode.NON_EMPTY_GROUP.exception("Classic group " + groupId + " has members");
        }
        groups.remove(groupId);
    }

    private static ClassicGroupDescription description(Group group) {
        return new ClassicGroupDescription(group.groupId, group.state.kafkaName,
                group.protocolType == null ? "" : group.protocolType,
                group.protocolName == null ? "" : group.protocolName, group.generation,
                group.members.values().stream().map(m -> new ClassicGroupDescription.Member(m.memberId,
                        m.instanceId, m.clientId, m.clientHost,
                        group.protocolName == null ? new byte[0] : metadata(m, group.protocolName),
                        m.assignment)).toList());
    }

    private void ready(String groupIdOrNull) {
        if (groupIdOrNull != null) {
            GroupIds.validate(groupIdOrNull);
        }
        if (!stored.ready()) {
            throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one");
        }
    }

    private static Member member(Group group, String groupId, String memberId, String instanceId) {
        Member member = group == null || memberId == null ? null : group.members.get(memberId);
        if (member == null && group != null && instanceId != null) {
            Member holder = group.members.values().stream().filter(m -> instanceId.equals(m.instanceId))
                    .findFirst().orElse(null);
            if (holder != null && (memberId == null || memberId.isEmpty())) {
                return holder;
            }
            if (holder != null) {
                throw ErrorCode.FENCED_INSTANCE_ID.exception("Instance id " + instanceId + " belongs to member "
                        + holder.memberId);
            }
        }
        if (member == null) {
            throw ErrorCode.UNKNOWN_MEMBER.exception("Member " + memberId + " is not in classic group " + groupId);
        }
        return member;
    }

    private static void checkGeneration(Group group, int generation) {
        if (generation != group.generation) {
            throw ErrorCode.ILLEGAL_GENERATION.exception("Classic group " + group.groupId + " is at generation "
                    + group.generation + ", not " + generation);
        }
    }

    private static void fence(Member member, SluiceException error, List<Runnable> answers) {
        MonoSink<ClassicJoinResponse> joining = member.joining;
        MonoSink<ClassicSyncResponse> syncing = member.syncing;
        member.joining = null;
        member.syncing = null;
        if (joining != null) {
            answers.add(() -> joining.error(error));
        }
        if (syncing != null) {
            answers.add(() -> syncing.error(error));
        }
    }

    /** The protocols every member supports, in {@code protocols}' order. */
    private static List<String> supportedByAll(Group group, List<ClassicProtocol> protocols) {
        List<String> names = new ArrayList<>();
        for (ClassicProtocol protocol : protocols) {
            if (group.members.values().stream().allMatch(m -> m.protocols.stream()
                    .anyMatch(p -> p.name().equals(protocol.name())))) {
                names.add(protocol.name());
            }
        }
        return names;
    }

    /** Of the protocols all members support, the one most members list first among them (Kafka's vote). */
    private static String chooseProtocol(Group group) {
        Set<String> candidates = new HashSet<>(supportedByAll(group,
                group.members.values().iterator().next().protocols));
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (Member member : group.members.values()) {
            member.protocols.stream().map(ClassicProtocol::name).filter(candidates::contains).findFirst()
                    .ifPresent(name -> votes.merge(name, 1, Integer::sum));
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> ErrorCode.INCONSISTENT_GROUP_PROTOCOL.exception("No protocol all members share"));
    }

    private static byte[] metadata(Member member, String protocol) {
        return member.protocols.stream().filter(p -> Objects.equals(p.name(), protocol)).findFirst()
                .map(ClassicProtocol::metadata).orElse(new byte[0]);
    }
}
