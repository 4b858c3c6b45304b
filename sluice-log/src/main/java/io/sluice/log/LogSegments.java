package io.sluice.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one log, ordered by base offset. Segments cover contiguous, non-overlapping offset ranges: a
 * segment holds offsets from its base up to the next segment's base; the last one is the active segment that
 * appends go to.
 *
 * <p>Thread model: the log's writer adds and removes segments; readers look segments up concurrently without locks
 * (a concurrent skip list), and may still use a segment the writer has just removed, whose files outlive the removal
 * by {@link LogConfig#fileDeleteDelayMs()}.
 */
final class LogSegments {

    private final ConcurrentNavigableMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    void remove(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    int count() {
        return segments.size();
    }

    /** The segment that would hold {@code offset}: the one with the largest base offset at most it, or null. */
    LogSegment floor(long offset) {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        return entry == null ? null : entry.getValue();
    }

    /** The segment after the one based at {@code baseOffset}, or null. */
    LogSegment higher(long baseOffset) {
        Map.Entry<Long, LogSegment> entry = segments.higherEntry(baseOffset);
        return entry == null ? null : entry.getValue();
    }

    LogSegment first() {
        Map.Entry<Long, LogSegment> entry = segments.firstEntry();
        return entry == null ? null : entry.getValue();
    }

    /** The active segment. */
    LogSegment last() {
        Map.Entry<Long, LogSegment> entry = segments.lastEntry();
        return entry == null ? null : entry.getValue();
    }

    /** The base offset of the segment after {@code segment}, or {@code orElse} if it is the last. */
    long nextBaseOffset(LogSegment segment, long orElse) {
        Long next = segments.higherKey(segment.baseOffset());
        return next == null ? orElse : next;
    }

    /** A snapshot of all segments in offset order. */
    List<LogSegment> all() {
        return new ArrayList<>(segments.values());
    }

    /** A snapshot of the segments holding offsets from {@code fromOffset} on (the floor segment included). */
    List<LogSegment> from(long fromOffset) {
        Long floor = segments.floorKey(fromOffset);
        return new ArrayList<>(segments.tailMap(floor == null ? fromOffset : floor, true).values());
    }

    long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    void clear() {
        segments.clear();
    }
}
