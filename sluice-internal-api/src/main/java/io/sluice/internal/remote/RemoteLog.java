package io.sluice.internal.remote;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the coordinator records of one partition's remote log: every segment copied or being copied or deleted, by
 * base offset then id, and the offset below which DeleteRecords made the log unreadable.
 *
 * @param topicId        the topic's id: a topic deleted and created again under its name has another, so its objects
 *                       are under another key
 * @param leaderEpoch    the newest leader epoch that updated the record (older leaders' updates are refused with
 *                       FENCED_LEADER_EPOCH); -1 before the first update
 * @param logStartOffset the lowest offset readers may be served (Kafka's DeleteRecords, KIP-107): remote records below
 *                       it are never read again, and the segments wholly below it are deleted; 0 until a DeleteRecords
 *                       moved it. Only ever raised
 * @param segments       the segments, ordered by base offset, then id
 */
public record RemoteLog(String topicId, int leaderEpoch, long logStartOffset, List<RemoteSegment> segments) {

    public RemoteLog {
        segments = segments.stream()
                .sorted(Comparator.comparingLong(RemoteSegment::baseOffset).thenComparing(RemoteSegment::id))
                .toList();
    }

    /** A remote log whose records were never deleted by DeleteRecords. */
    public RemoteLog(String topicId, int leaderEpoch, List<RemoteSegment> segments) {
        this(topicId, leaderEpoch, 0, segments);
    }

    /** This log with the log start offset of {@code other} when that is higher (a log start only rises). */
    public RemoteLog withLogStartOf(RemoteLog other) {
        return other.logStartOffset > logStartOffset
                ? new RemoteLog(topicId, leaderEpoch, other.logStartOffset, segments) : this;
    }

    /** The segments readers may be served from ({@link RemoteSegment#readable()}), by base offset. */
    public List<RemoteSegment> readable() {
        return segments.stream().filter(RemoteSegment::readable).toList();
    }

    /**
     * The first offset readable remotely: the base of the first finished segment reaching the log start offset, or the
     * log start offset when that is within it; empty when no finished copy does.
     */
    public Optional<Long> startOffset() {
        // Lazily: asked on every consumer read of a tiered partition, and the first segment is nearly always readable.
        return segments.stream().filter(segment -> segment.readable() && segment.endOffset() >= logStartOffset)
                .map(segment -> Math.max(segment.baseOffset(), logStartOffset)).findFirst();
    }

    /** The offset after the last one copied (the first the copier still has to copy), or 0 when none is. */
    public long copiedEndOffset() {
        return readable().stream().mapToLong(segment -> segment.endOffset() + 1).max().orElse(0);
    }

    /**
     * The finished segment holding {@code offset} that reaches furthest past it, if any; none below the log start
     * offset.
     */
    public Optional<RemoteSegment> segmentHolding(long offset) {
        if (offset < logStartOffset) {
            return Optional.empty();
        }
        return readable().stream().filter(segment -> segment.holds(offset))
                .max(Comparator.comparingLong(RemoteSegment::endOffset));
    }
}
