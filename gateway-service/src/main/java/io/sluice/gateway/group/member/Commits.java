package io.sluice.gateway.group.member;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.group.admin.GroupActivity;
import io.sluice.gateway.group.admin.OffsetRangeException;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Commits a client asks for — over HTTP ({@code POST /v1/groups/{group}/offsets}) or Kafka's OffsetCommit: a member's
 * cursor, a member's explicit offsets, or — for a group without members, as tools do — offsets without a member.
 * Every offset is checked against its partition first (a known partition, not beyond the log end), so a refused
 * commit changes nothing; the coordinator then checks the member, its epoch and ownership, all or nothing.
 */
@Service
public class Commits {

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final PartitionReader reader;
    private final GroupActivity activity;

    Commits(CoordinatorApi coordinator, ClusterView cluster, PartitionReader reader, GroupActivity activity) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.reader = reader;
        this.activity = activity;
    }

    Mono<CommittedOffsets> commit(String group, GroupRequests.Commit request) {
        return Mono.defer(() -> commit(group, request.toInternal())).map(CommittedOffsets::of);
    }

    /** Commits {@code commit}'s offsets, all or none; the group's offsets of the committed partitions as stored. */
    public Mono<GroupOffsets> commit(String group, OffsetCommitRequest commit) {
        return Mono.defer(() -> {
            activity.served(group);
            return checkInLogs(commit.offsets()).then(coordinator.commitOffsets(group, commit));
        });
    }

    /**
     * Sets a group's offsets where a tool asks, backwards included — Kafka's commit without a member, which
     * {@code kafka-consumer-groups --reset-offsets} and {@code Admin.alterConsumerGroupOffsets} send: the coordinator's
     * reset to explicit offsets, as {@code POST /v1/groups/{group}/offsets/reset} ends in, refused with NON_EMPTY_GROUP
     * while the group has members. Each offset is checked against its partition first, as a commit's are.
     */
    public Mono<Void> reset(String group, List<PartitionOffset> offsets) {
        return Mono.defer(() -> {
            activity.served(group);
            return checkInLogs(offsets)
                    .then(coordinator.resetOffsets(group, new OffsetResetRequest(offsets, false, false)))
                    .then();
        });
    }

    /**
     * Each offset against its partition, as every commit is checked before it reaches the coordinator (a transaction's
     * offsets too): UNKNOWN_TOPIC, UNKNOWN_PARTITION, or OFFSET_OUT_OF_RANGE beyond the log end (below its start is
     * allowed).
     */
    public Mono<Void> checkInLogs(List<PartitionOffset> offsets) {
        return Flux.fromIterable(offsets).concatMap(this::checkInLog).then();
    }

    /** One offset of {@link #checkInLogs}. */
    private Mono<Void> checkInLog(PartitionOffset offset) {
        int partitions = cluster.topic(offset.topic()).partitions().size();
        if (offset.partition() >= partitions) {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + offset.topic() + "' has partitions 0.."
                    + (partitions - 1) + "; there is no partition " + offset.partition());
        }
        TopicPartition tp = new TopicPartition(offset.topic(), offset.partition());
        return reader.bounds(tp).flatMap(bounds -> {
            if (offset.offset() > bounds.logEndOffset()) {
                return Mono.error(new OffsetRangeException(tp, offset.offset(), bounds, "nothing was committed"));
            }
            return Mono.empty();
        });
    }

    /** The answer to a commit: the group's offsets of the committed partitions, as stored. */
    record CommittedOffsets(String groupId, List<Offset> offsets) {

        static CommittedOffsets of(GroupOffsets stored) {
            return new CommittedOffsets(stored.groupId(), stored.offsets().stream()
                    .map(o -> new Offset(o.topic(), o.partition(), o.offset(), o.metadata(), o.commitTimestampMs()))
                    .toList());
        }

        record Offset(String topic, int partition, long offset, String metadata, long commitTimestamp) {
        }
    }
}
