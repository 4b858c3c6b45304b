package io.sluice.gateway.group.member;

import io.sluice.gateway.group.admin.GroupActivity;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.MemberDescription;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A member's conversation with the coordinator, shared by SSE and polling members: heartbeats that release what was
 * asked back, commits, where newly assigned partitions start, leaving. Holds no member state: callers pass it in.
 *
 * <p>The hand-off rules, which together mean a partition changing hands skips no record (docs/api.md):
 * <ul>
 *   <li><b>A start is stored before it is read.</b> A partition without a committed offset starts where
 *       {@code auto_offset_reset} resolves, and that offset is committed before the member reads it. So the group's
 *       start is fixed when the group first owns a partition: a later owner, whether it takes over from a member that
 *       released the partition, left, timed out or died with its gateway, starts at or before any record the group
 *       was ever given, never past it.</li>
 *   <li><b>Release after commit.</b> A partition missing from a heartbeat's answer is no longer read, its final
 *       position is committed (while the member still owns it), and only then does the next heartbeat leave it out —
 *       sent at once, so a rebalance waits for no heartbeat interval. The coordinator hands it on only after that
 *       heartbeat. A commit that could not reach the coordinator keeps the partition: the release is tried again with
 *       the next heartbeat. A commit the coordinator refuses (the member was fenced or removed, or a forced reset moved
 *       the partition) releases it all the same: the last stored commit, or the reset, stands.</li>
 * </ul>
 */
@Service
class Membership {

    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final CoordinatorApi coordinator;
    private final PartitionReader reader;
    private final GroupActivity activity;

    Membership(CoordinatorApi coordinator, PartitionReader reader, GroupActivity activity) {
        this.coordinator = coordinator;
        this.reader = reader;
        this.activity = activity;
    }

    /**
     * Joins with a member id of the caller's choosing (a retried join is the same member). With a {@code
     * groupInstanceId} the member is static: joining while a static member of that id is away gives it that member's
     * partitions and epoch back without a rebalance; joining while it is live is UNRELEASED_INSTANCE_ID.
     */
    Mono<GroupHeartbeatResponse> join(String group, String memberId, String groupInstanceId,
                                      Subscription subscription) {
        activity.served(group);
        return coordinator.groupHeartbeat(group, new GroupHeartbeatRequest(memberId, GroupHeartbeatRequest.JOIN,
                groupInstanceId, null, subscription.sessionTimeoutMs(), subscription.topics(),
                subscription.topicPattern(), List.of(), null, null));
    }

    /**
     * One heartbeat owning {@code owned} (partition → position). When the answer asks partitions back, {@code
     * beforeRelease} gets them (the caller stops reading them and answers their final positions) and, with {@code
     * commitRevoked}, those positions are committed; then a second heartbeat releases them. Answers the last
     * heartbeat's answer and what was released.
     */
    Mono<Heartbeat> heartbeat(String group, String memberId, int epoch, Map<TopicPartition, Long> owned,
                              boolean commitRevoked,
                              Function<Set<TopicPartition>, Map<TopicPartition, Long>> beforeRelease) {
        activity.served(group);
        return coordinator.groupHeartbeat(group, GroupHeartbeatRequest.heartbeat(memberId, epoch,
                        topicPartitions(owned.keySet())))
                .flatMap(answer -> {
                    Set<TopicPartition> assigned = partitions(answer.assignment());
                    Set<TopicPartition> revoked = new TreeSet<>(owned.keySet());
                    revoked.removeAll(assigned);
                    if (revoked.isEmpty()) {
                        return Mono.just(new Heartbeat(answer, Set.of()));
                    }
                    Map<TopicPartition, Long> released = beforeRelease.apply(revoked);
                    Map<TopicPartition, Long> kept = new TreeMap<>(owned);
                    kept.keySet().removeAll(revoked);
                    Mono<Void> commit = commitRevoked
                            // Refused for good: the last stored commit stands (at most duplicates at the next owner,
                            // since every start is stored). Not reached: the error keeps the partitions owned.
                            ? commit(group, memberId, answer.memberEpoch(), released).onErrorResume(
                                    SluiceException.class, e -> e.errorCode().retriable() ? Mono.error(e)
                                            : Mono.empty())
                            : Mono.empty();
                    // Deferred: the release is not even asked for until the commit is stored.
                    return commit.then(Mono.defer(() -> coordinator.groupHeartbeat(group,
                                    GroupHeartbeatRequest.heartbeat(memberId, answer.memberEpoch(),
                                            topicPartitions(kept.keySet())))))
                            .map(next -> new Heartbeat(next, revoked));
                });
    }

    /**
     * One heartbeat owning {@code owned}, releasing nothing at once: answers the partitions the answer asks back, which
     * the member keeps (and may commit at its epoch) until a later heartbeat leaves them out. For members that commit
     * themselves: they get the time between two heartbeats to commit what they processed of a partition taken away.
     */
    Mono<Heartbeat> heartbeatHolding(String group, String memberId, int epoch, Set<TopicPartition> owned) {
        activity.served(group);
        return coordinator.groupHeartbeat(group, GroupHeartbeatRequest.heartbeat(memberId, epoch,
                        topicPartitions(owned)))
                .map(answer -> {
                    Set<TopicPartition> revoked = new TreeSet<>(owned);
                    revoked.removeAll(partitions(answer.assignment()));
                    return new Heartbeat(answer, revoked);
                });
    }

    /**
     * Commits {@code positions} at {@code epoch}. STALE_MEMBER_EPOCH (the member moved on since) is not retried here:
     * the caller's next commit carries the new epoch.
     */
    Mono<Void> commit(String group, String memberId, int epoch, Map<TopicPartition, Long> positions) {
        if (positions.isEmpty()) {
            return Mono.empty();
        }
        List<PartitionOffset> offsets = positions.entrySet().stream()
                .map(entry -> PartitionOffset.of(entry.getKey().topic(), entry.getKey().partition(), entry.getValue()))
                .toList();
        return coordinator.commitOffsets(group, new OffsetCommitRequest(memberId, epoch, offsets)).then();
    }

    /**
     * Where each of {@code partitions} starts for the member at {@code epoch}: its committed offset, else the earliest
     * or latest offset as {@code reset} says (latest: the last stable offset for a {@code readCommitted} member, so
     * that a transaction still open is read once it commits) — committed first, so that the group's start is stored before anything
     * from it is read. A partition whose resolved start the coordinator does not take (the member moved on, the
     * coordinator is away) is left out: it is not read yet, and the next heartbeat, whose answer assigns it again,
     * starts it. So is, for a {@code readCommitted} member, a partition whose offset an open transaction holds for the
     * group (KIP-447's unstable offset, as a Kafka consumer reading committed records waits for it): started from the
     * older offset, it would be read again from where the transaction's input began.
     */
    Mono<Map<TopicPartition, Long>> starts(String group, String memberId, int epoch,
                                           Collection<TopicPartition> partitions, OffsetReset reset,
                                           boolean readCommitted) {
        if (partitions.isEmpty()) {
            return Mono.just(Map.of());
        }
        return coordinator.committedOffsets(group).flatMap(committed -> {
            Map<TopicPartition, Long> known = committed.byPartition();
            Set<TopicPartition> unstable = readCommitted ? Set.copyOf(committed.pending()) : Set.of();
            long resetTo = reset == OffsetReset.EARLIEST ? ListOffsetsRequest.EARLIEST : ListOffsetsRequest.LATEST;
            Map<TopicPartition, Long> starts = new TreeMap<>();
            List<TopicPartition> unknown = new ArrayList<>();
            partitions.forEach(tp -> {
                if (unstable.contains(tp)) {
                    log.debug("Group {} member {}: an open transaction holds the offset of {}; starting it later",
                            group, memberId, tp);
                } else if (known.containsKey(tp)) {
                    starts.put(tp, known.get(tp));
                } else {
                    unknown.add(tp);
                }
            });
            return Flux.fromIterable(unknown)
                    .flatMap(tp -> reader.listOffset(tp, resetTo, readCommitted)
                            .map(answer -> Map.entry(tp, answer.offset())))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue, () -> new TreeMap<TopicPartition, Long>())
                    .flatMap(resolved -> commit(group, memberId, epoch, resolved)
                            .then(Mono.fromCallable(() -> {
                                starts.putAll(resolved);
                                return starts;
                            }))
                            .onErrorResume(SluiceException.class, e -> {
                                log.info("Group {} member {}: the start of {} not stored ({}); starting them at a "
                                        + "later heartbeat", group, memberId, resolved.keySet(), e.getMessage());
                                return Mono.just(starts);
                            }));
        });
    }

    /**
     * Leaves; a member the coordinator no longer knows has left already. A static member ({@code groupInstanceId} not
     * null) leaves for a restart: it keeps its partitions until its session times out, for the next member with its
     * instance id.
     */
    Mono<Void> leave(String group, String memberId, String groupInstanceId) {
        GroupHeartbeatRequest leave = groupInstanceId == null ? GroupHeartbeatRequest.leave(memberId)
                : GroupHeartbeatRequest.staticLeave(memberId, groupInstanceId);
        return coordinator.groupHeartbeat(group, leave).then()
                .onErrorResume(SluiceException.class, e -> e.errorCode() == ErrorCode.UNKNOWN_MEMBER
                        || e.errorCode() == ErrorCode.FENCED_MEMBER_EPOCH ? Mono.empty() : Mono.error(e));
    }

    /** The instance id of a member, empty for a dynamic member or one the group does not have. */
    Mono<Optional<String>> instanceIdOf(String group, String memberId) {
        return coordinator.describeGroup(group)
                .map(description -> description.members().stream()
                        .filter(member -> member.memberId().equals(memberId))
                        .findFirst()
                        .map(MemberDescription::groupInstanceId))
                .onErrorResume(SluiceException.class, e -> e.errorCode() == ErrorCode.UNKNOWN_GROUP
                        ? Mono.just(Optional.empty()) : Mono.error(e));
    }

    static Set<TopicPartition> partitions(List<TopicPartitions> assignment) {
        Set<TopicPartition> partitions = new TreeSet<>();
        assignment.forEach(topic -> topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.topic(), p))));
        return partitions;
    }

    static List<TopicPartitions> topicPartitions(Collection<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        new TreeSet<>(partitions).forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        return byTopic.entrySet().stream().map(entry -> new TopicPartitions(entry.getKey(), entry.getValue())).toList();
    }

    /**
     * A heartbeat's last answer, and the partitions asked back on the way (none when nothing was): released already
     * by {@link #heartbeat}, still held after {@link #heartbeatHolding}.
     */
    record Heartbeat(GroupHeartbeatResponse answer, Set<TopicPartition> revoked) {
    }
}
