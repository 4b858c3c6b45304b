package io.sluice.gateway.group.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.group.admin.GroupViews.GroupSummary;
import io.sluice.gateway.group.admin.GroupViews.GroupView;
import io.sluice.gateway.group.admin.GroupViews.PartitionLag;
import io.sluice.gateway.group.admin.GroupViews.PlannedOffset;
import io.sluice.gateway.group.admin.GroupViews.ResetPlan;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.CommittedOffset;
import io.sluice.internal.group.GroupDescription;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.MemberDescription;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Group administration: list and describe with lag, delete a group or a topic's offsets, and resets. The coordinator
 * keeps groups and offsets but not the logs, so what depends on the logs (lag, where earliest or a time is) is asked
 * of the partition leaders here.
 */
@Service
class GroupAdmin {

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final PartitionReader reader;
    private final GroupLag lag;

    GroupAdmin(CoordinatorApi coordinator, ClusterView cluster, PartitionReader reader, GroupLag lag) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.reader = reader;
        this.lag = lag;
    }

    /** Every group with its state, members, topics (committed or assigned) and total lag in records. */
    Mono<List<GroupSummary>> list() {
        return coordinator.groups().flatMapMany(Flux::fromIterable)
                .flatMapSequential(listing -> describe(listing.groupId(), false)
                        .map(view -> new GroupSummary(view.groupId(), view.state(), view.members().size(),
                                view.partitions().stream().map(PartitionLag::topic).distinct().sorted().toList(),
                                view.lag())), 4)
                .collectList();
    }

    /** A group's members and, per partition it committed or is assigned, the committed offset and the lag. */
    Mono<GroupView> describe(String group) {
        return describe(group, true);
    }

    /** As {@link #describe(String)}; without {@code lagSeconds}, no record is read to age the lag (it stays null). */
    private Mono<GroupView> describe(String group, boolean lagSeconds) {
        return coordinator.describeGroup(group).flatMap(description -> {
            Map<TopicPartition, String> owners = owners(description);
            Map<TopicPartition, CommittedOffset> committed = new TreeMap<>();
            description.offsets().forEach(o -> committed.put(new TopicPartition(o.topic(), o.partition()), o));
            TreeSet<TopicPartition> partitions = new TreeSet<>(committed.keySet());
            partitions.addAll(owners.keySet());
            return Flux.fromIterable(partitions)
                    .flatMapSequential(tp -> lag.of(tp, committed.get(tp), owners.get(tp), lagSeconds), 8)
                    .collectList()
                    .map(lags -> new GroupView(description.groupId(), description.state(), description.groupEpoch(),
                            description.assignmentEpoch(),
                            description.members().stream().map(GroupViews.MemberView::of).toList(), lags,
                            lags.stream().map(PartitionLag::lag).filter(Objects::nonNull).mapToLong(Long::longValue).sum()));
        });
    }

    Mono<Void> delete(String group) {
        return coordinator.deleteGroup(group);
    }

    Mono<Void> deleteOffsets(String group, String topic) {
        return coordinator.deleteGroupOffsets(group, topic);
    }

    /**
     * Resolves the request's target per partition at the leaders, then has the coordinator apply it all at once (or,
     * with {@code dry_run}, show it). An explicit offset outside a partition's log is OFFSET_OUT_OF_RANGE; a shift
     * stops at the log's bounds, as Kafka's tool does, and shifts a partition without a committed offset from its
     * latest offset.
     */
    Mono<ResetPlan> reset(String group, ResetRequest request) {
        return Mono.defer(() -> {
            ResetTargets.Target target = request.target();
            List<Integer> partitions = ResetTargets.partitions(cluster, request.topic(), request.partitions());
            Mono<Map<TopicPartition, Long>> current = target == ResetTargets.Target.SHIFT
                    ? coordinator.committedOffsets(group).map(GroupOffsets::byPartition)
                    : Mono.just(Map.of());
            return current.flatMap(committed -> Flux.fromIterable(partitions)
                    .map(p -> new TopicPartition(request.topic(), p))
                    .flatMapSequential(tp -> reader.bounds(tp).flatMap(bounds ->
                            resolve(tp, request, target, bounds, committed.get(tp))
                                    .map(offset -> new Resolved(tp, offset, bounds.highWatermark()))))
                    .collectList())
                    .flatMap(resolved -> coordinator.resetOffsets(group, new OffsetResetRequest(resolved.stream()
                                    .map(r -> PartitionOffset.of(r.tp().topic(), r.tp().partition(), r.offset())).toList(),
                                    request.force(), request.dryRun()))
                            .map(answer -> {
                                Map<TopicPartition, Long> highWatermarks = new HashMap<>();
                                resolved.forEach(r -> highWatermarks.put(r.tp(), r.highWatermark()));
                                List<PlannedOffset> planned = new ArrayList<>();
                                answer.changes().forEach(change -> planned.add(new PlannedOffset(change.topic(),
                                        change.partition(), change.currentOffset(), change.newOffset(),
                                        Math.max(0, highWatermarks.getOrDefault(new TopicPartition(change.topic(),
                                                change.partition()), change.newOffset()) - change.newOffset()))));
                                planned.sort(Comparator.comparing(PlannedOffset::topic)
                                        .thenComparingInt(PlannedOffset::partition));
                                return new ResetPlan(answer.groupId(), answer.dryRun(), planned);
                            }));
        });
    }

    private Mono<Long> resolve(TopicPartition tp, ResetRequest request, ResetTargets.Target target,
                               PartitionReader.PartitionBounds bounds, Long committed) {
        if (target != ResetTargets.Target.SHIFT) {
            return ResetTargets.resolve(reader, tp, target, request.timestamp(), request.offset(), bounds);
        }
        long from = committed != null ? committed : bounds.highWatermark();
        long shifted = from + request.shiftBy();
        return Mono.just(Math.min(bounds.highWatermark(), Math.max(bounds.logStartOffset(), shifted)));
    }

    private static Map<TopicPartition, String> owners(GroupDescription description) {
        Map<TopicPartition, String> owners = new TreeMap<>();
        for (MemberDescription member : description.members()) {
            member.assignment().forEach(topic -> topic.partitions().forEach(p ->
                    owners.put(new TopicPartition(topic.topic(), p), member.memberId())));
            member.pendingRevocation().forEach(topic -> topic.partitions().forEach(p ->
                    owners.put(new TopicPartition(topic.topic(), p), member.memberId())));
        }
        return owners;
    }

    private record Resolved(TopicPartition tp, long offset, long highWatermark) {
    }
}
