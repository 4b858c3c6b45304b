package io.sluice.gateway.share.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.group.admin.ResetTargets;
import io.sluice.gateway.group.admin.ResetTargets.Target;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.gateway.share.admin.ShareGroupViews.LockHolder;
import io.sluice.gateway.share.admin.ShareGroupViews.MemberView;
import io.sluice.gateway.share.admin.ShareGroupViews.PlannedStart;
import io.sluice.gateway.share.admin.ShareGroupViews.ResetPlan;
import io.sluice.gateway.share.admin.ShareGroupViews.ShareGroupSummary;
import io.sluice.gateway.share.admin.ShareGroupViews.ShareGroupView;
import io.sluice.gateway.share.admin.ShareGroupViews.SharePartitionView;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareGroupDescription;
import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.internal.share.ShareOffsetsDeleteRequest;
import io.sluice.internal.share.ShareOffsetsDeleteResponse;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetResponse;
import io.sluice.internal.share.ShareResetRequest.PartitionStart;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuples;

/**
 * Share-group administration: list, describe with lag, reset start offsets, delete, and the group's configs (the
 * coordinator's, passed through). The coordinator keeps the
 * share-partitions but not the logs, so what depends on the logs (the high watermark and the lag; where earliest,
 * latest or a time is) is asked of the partition leaders here, and the coordinator applies a reset all at once.
 */
@Service
public class ShareGroupAdmin {

    private final ShareGroupApi coordinator;
    private final ClusterView cluster;
    private final PartitionReader reader;

    ShareGroupAdmin(ShareGroupApi coordinator, ClusterView cluster, PartitionReader reader) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.reader = reader;
    }

    Mono<List<ShareGroupSummary>> list() {
        return coordinator.listShareGroups().map(groups -> groups.stream()
                .map(g -> new ShareGroupSummary(g.groupId(), g.partitions(), g.inFlightRecords(), g.acquiredRecords()))
                .toList());
    }

    /**
     * The share group with its members and, per share-partition, the high watermark and lag (null where the leader did
     * not answer). A group whose members never took a record has no share-partition yet: it is described with its
     * members alone; an id with neither is UNKNOWN_GROUP.
     */
    Mono<ShareGroupView> describe(String group) {
        return coordinator.members(group).flatMap(members -> coordinator.describeShareGroup(group)
                        .onErrorResume(e -> !members.members().isEmpty() && e instanceof SluiceException s
                                        && s.errorCode() == ErrorCode.UNKNOWN_GROUP,
                                e -> Mono.just(new ShareGroupDescription(group, List.of(), List.of())))
                        .map(description -> Tuples.of(description, members)))
                .flatMap(both -> Flux.fromIterable(both.getT1().partitions())
                        .flatMapSequential(partition -> reader.bounds(new TopicPartition(partition.topic(),
                                        partition.partition()))
                                .map(bounds -> SharePartitionView.of(partition, bounds.highWatermark()))
                                .onErrorResume(SluiceException.class,
                                        e -> Mono.just(SharePartitionView.of(partition, null))),
                                8)
                        .collectList()
                        .map(partitions -> view(both.getT1(), both.getT2(), partitions)));
    }

    private static ShareGroupView view(ShareGroupDescription description, ShareGroupMembers members,
                                       List<SharePartitionView> partitions) {
        return new ShareGroupView(description.groupId(), members.groupEpoch(),
                members.members().stream().map(MemberView::of).toList(),
                description.lockHolders().stream().map(h -> new LockHolder(h.memberId(), h.acquiredRecords()))
                        .toList(),
                partitions, partitions.stream().map(SharePartitionView::lag).filter(Objects::nonNull)
                        .mapToLong(Long::longValue).sum());
    }

    Mono<Void> delete(String group) {
        return coordinator.deleteShareGroup(group);
    }

    // ---------------------------------------------------------------- for Kafka's admin APIs (kafka-share-groups)

    /** A share-partition's start offset, and its lag (null where the leader did not answer). */
    public record StartOffset(String topic, int partition, long startOffset, Long lag) {
    }

    /** Every share-partition the group stores, with its start offset and lag; UNKNOWN_GROUP when it has none. */
    public Mono<List<StartOffset>> startOffsets(String group) {
        return coordinator.describeShareGroup(group).flatMapMany(description -> Flux.fromIterable(
                        description.partitions()))
                .flatMapSequential(partition -> reader.bounds(new TopicPartition(partition.topic(),
                                partition.partition()))
                        .map(bounds -> new StartOffset(partition.topic(), partition.partition(),
                                partition.startOffset(), partition.lag(bounds.highWatermark())))
                        .onErrorResume(SluiceException.class, e -> Mono.just(new StartOffset(partition.topic(),
                                partition.partition(), partition.startOffset(), null))), 8)
                .collectList();
    }

    /**
     * Sets the start offsets of some share-partitions, all at once, as a reset to explicit offsets does (NON_EMPTY_GROUP
     * while the group has members or a record is acquired, OFFSET_OUT_OF_RANGE for an offset outside its log); a
     * share group that does not exist yet is made with them. The caller checked that the partitions exist.
     */
    public Mono<ShareResetResponse> setStartOffsets(String group, Map<TopicPartition, Long> offsets) {
        return Flux.fromIterable(offsets.entrySet())
                .flatMapSequential(entry -> reader.bounds(entry.getKey()).map(bounds -> new PartitionStart(
                        entry.getKey().topic(), entry.getKey().partition(), entry.getValue(), bounds.logStartOffset(),
                        bounds.highWatermark())), 8)
                .collectList()
                .flatMap(starts -> coordinator.resetShareGroup(group, new ShareResetRequest(starts, false)));
    }

    /** Forgets the group's share-partitions of {@code topics}; answers the topics it had share-partitions of. */
    public Mono<List<String>> deleteStartOffsets(String group, List<String> topics) {
        return coordinator.deleteShareGroupOffsets(group, new ShareOffsetsDeleteRequest(topics))
                .map(ShareOffsetsDeleteResponse::deletedTopics);
    }

    /**
     * Resolves the target per partition at the leaders, then has the coordinator move every start offset at once (or,
     * with {@code dry_run}, show the plan). An explicit offset outside a partition's log is OFFSET_OUT_OF_RANGE.
     */
    Mono<ResetPlan> reset(String group, ShareResetBody body) {
        return Mono.defer(() -> {
            Target target = body.target();
            List<Integer> partitions = ResetTargets.partitions(cluster, body.topic(), body.partitions());
            return Flux.fromIterable(partitions)
                    .map(p -> new TopicPartition(body.topic(), p))
                    .flatMapSequential(tp -> reader.bounds(tp).flatMap(bounds -> ResetTargets.resolve(reader, tp, target,
                                    body.timestamp(), body.offset(), bounds)
                            .map(offset -> new PartitionStart(tp.topic(), tp.partition(), offset,
                                    bounds.logStartOffset(), bounds.highWatermark()))))
                    .collectList()
                    .flatMap(starts -> coordinator.resetShareGroup(group, new ShareResetRequest(starts,
                                    body.isDryRun()))
                            .map(answer -> {
                                Map<TopicPartition, Long> highWatermarks = new HashMap<>();
                                starts.forEach(s -> highWatermarks.put(new TopicPartition(s.topic(), s.partition()),
                                        s.highWatermark()));
                                return new ResetPlan(answer.groupId(), answer.dryRun(), answer.changes().stream()
                                        .map(c -> new PlannedStart(c.topic(), c.partition(), c.currentStartOffset(),
                                                c.newStartOffset(), Math.max(0, highWatermarks.getOrDefault(
                                                        new TopicPartition(c.topic(), c.partition()),
                                                        c.newStartOffset()) - c.newStartOffset())))
                                        .toList());
                            }));
        });
    }
}
