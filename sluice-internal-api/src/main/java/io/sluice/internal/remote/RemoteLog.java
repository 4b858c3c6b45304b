package io.sluice.internal.remote;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the coordinator records of one partition's remote log: every segment copied or being copied or deleted, by
 * base offset then id.
 *
 * @param topicId    the topic's id: a topic deleted and created again under its name has another, so its objects are
 *                   under another key
 * @param leaderEpoch the newest leader epoch that updated the record (older leaders' updates are refused with
 *                   FENCED_LEADER_EPOCH); -1 before the first update
 * @param segments   the segments, ordered by base offset, then id
 */
public record RemoteLog(String topicId, int leaderEpoch, List<RemoteSegment> segments) {

    public RemoteLog {
        segments = segments.stream()
                .sorted(Comparator.comparingLong(RemoteSegment::baseOffset).thenComparing(RemoteSegment::id))
                .toList();
    }

    /** The segments readers may be served from ({@link RemoteSegment#readable()}), by base offset. */
    public List<RemoteSegment> readable() {
        return segments.stream().filter(RemoteSegment::readable).toList();
    }

    /** The first offset held remotely, or empty when no copy has finished. */
    public Optional<Long> startOffset() {
        // Lazily: asked on every consumer read of a tiered partition, and the first segment is nearly always readable.
        return segments.stream().filter(RemoteSegment::readable).map(RemoteSegment::baseOffset).findFirst();
    }

    /** The offset after the last one copied (the first the copier still has to copy), or 0 when none is. */
    public long copiedEndOffset() {
        return readable().stream().mapToLong(segment -> segment.endOffset() + 1).max().orElse(0);
    }

    /** The finished segment holding {@code offset} that reaches furthest past it, if any. */
    public Optional<RemoteSegment> segmentHolding(long offset) {
        return readable().stream().filter(segment -> segment.holds(offset))
                .max(Comparator.comparingLong(RemoteSegment::endOffset));
    }
}
