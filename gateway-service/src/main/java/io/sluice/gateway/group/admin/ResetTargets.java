package io.sluice.gateway.group.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.format.Timestamps;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.gateway.routing.PartitionReader.PartitionBounds;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import reactor.core.publisher.Mono;

/**
 * Where a reset moves a group's position in one topic, the same for a consumer group's committed offsets and a share
 * group's start offsets: the body's checks ({@link #target}), the partitions it names ({@link #partitions}) and the
 * offset each target means at a partition's leader ({@link #resolve}). A shift is the consumer groups' only: it starts
 * from a committed offset, which a share group does not have.
 */
public final class ResetTargets {

    /** What {@code to} names. */
    public enum Target { EARLIEST, LATEST, TIMESTAMP, OFFSET, SHIFT }

    private ResetTargets() {
    }

    /**
     * The target of a reset body, refused with INVALID_REQUEST (no topic; an unknown {@code to}, or one not in
     * {@code allowed}; a field that does not go with it or is missing; a partition list empty or with a negative
     * number; a timestamp that does not parse) or INVALID_OFFSET (a negative offset).
     */
    public static Target target(List<Target> allowed, String topic, List<Integer> partitions, String to,
                                String timestamp, Long offset, Long shiftBy) {
        if (topic == null) {
            throw ErrorCode.INVALID_REQUEST.exception("A reset names its topic");
        }
        String choices = allowed.stream().map(t -> t.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        Target target = to == null ? null : Arrays.stream(Target.values())
                .filter(t -> t.name().toLowerCase(Locale.ROOT).equals(to) && allowed.contains(t))
                .findFirst().orElse(null);
        if (target == null) {
            throw ErrorCode.INVALID_REQUEST.exception("to is one of " + choices
                    + (to == null ? "" : ", was '" + to + "'"));
        }
        requireOnly(target == Target.TIMESTAMP, timestamp != null, "timestamp", "to=timestamp");
        requireOnly(target == Target.OFFSET, offset != null, "offset", "to=offset");
        requireOnly(target == Target.SHIFT, shiftBy != null, "shift_by", "to=shift");
        if (target == Target.TIMESTAMP) {
            Timestamps.parse(timestamp, "timestamp");
        }
        if (offset != null && offset < 0) {
            throw ErrorCode.INVALID_OFFSET.exception("offset must be >= 0, was " + offset);
        }
        if (partitions != null && (partitions.isEmpty() || partitions.stream().anyMatch(p -> p == null || p < 0))) {
            throw ErrorCode.INVALID_REQUEST.exception("partitions, when given, lists partition numbers >= 0");
        }
        return target;
    }

    /** The partitions named (each once, ascending), or every partition of the topic; UNKNOWN_PARTITION past its end. */
    public static List<Integer> partitions(ClusterView cluster, String topic, List<Integer> named) {
        int count = cluster.topic(topic).partitions().size();
        List<Integer> partitions = named != null ? List.copyOf(new TreeSet<>(named))
                : IntStream.range(0, count).boxed().toList();
        partitions.stream().filter(p -> p >= count).findFirst().ifPresent(p -> {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + topic + "' has partitions 0.." + (count - 1)
                    + "; there is no partition " + p);
        });
        return partitions;
    }

    /**
     * The offset a target other than a shift means at the partition: its earliest or latest offset, the first record at
     * or after {@code timestampMs} (else the latest offset), or {@code offset} itself, which must lie in the log
     * ({@link OffsetRangeException} otherwise).
     */
    public static Mono<Long> resolve(PartitionReader reader, TopicPartition tp, Target target, String timestamp,
                                     Long offset, PartitionBounds bounds) {
        return switch (target) {
            case EARLIEST -> listOffset(reader, tp, ListOffsetsRequest.EARLIEST);
            case LATEST -> listOffset(reader, tp, ListOffsetsRequest.LATEST);
            case TIMESTAMP -> listOffset(reader, tp, Timestamps.parse(timestamp, "timestamp"))
                    .flatMap(found -> found >= 0 ? Mono.just(found)
                            : listOffset(reader, tp, ListOffsetsRequest.LATEST));
            case OFFSET -> offset < bounds.logStartOffset() || offset > bounds.highWatermark()
                    ? Mono.error(new OffsetRangeException(tp, offset, bounds, "nothing was reset"))
                    : Mono.just(offset);
            case SHIFT -> Mono.error(new IllegalArgumentException("a shift starts from a committed offset"));
        };
    }

    private static Mono<Long> listOffset(PartitionReader reader, TopicPartition tp, long timestamp) {
        return reader.listOffset(tp, timestamp).map(ListOffsetsResponse.Partition::offset)
                .map(found -> found == null ? -1L : found);
    }

    private static void requireOnly(boolean wanted, boolean given, String field, String when) {
        if (wanted != given) {
            throw ErrorCode.INVALID_REQUEST.exception(wanted ? field + " is required with " + when
                    : field + " is only for " + when);
        }
    }
}
