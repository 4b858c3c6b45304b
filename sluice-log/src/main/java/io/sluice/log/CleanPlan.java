package io.sluice.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which part of a compacted log the cleaner may touch, and how dirty it is (Kafka's LogToClean). Pure function of the
 * log's state, computed without the writer lock from a snapshot of the segments.
 *
 * <pre>
 *   log start      firstDirty              cleanableEnd                      active segment
 *      |  clean part   |   dirty part           |  not yet cleanable            |
 *      [seg][seg][seg ][seg][seg][seg][seg     ][seg (too young, or ≥ HW)][...][seg being written]
 * </pre>
 *
 * A segment is cleanable when it is sealed (the active segment never is), it ends at or below the high watermark
 * (consumers may not have seen anything above), it ends at or below the recovery point on disk (recovery after a
 * crash checks offset continuity only from there, and cleaned segments have gaps), and its newest record is at least
 * {@code min.compaction.lag.ms} old; the first segment that is not ends the cleanable range. The dirty part starts at
 * the cleaner checkpoint (clamped into the log). The log is worth cleaning when its dirty bytes are at least
 * {@code min.cleanable.dirty.ratio} of the cleanable bytes, or a dirty segment's newest record is older than
 * {@code max.compaction.lag.ms}.
 *
 * @param cleanable    the cleanable segments, oldest first (segments wholly below the log start excluded)
 * @param ends         {@code ends[i]}: the offset after segment i (the next segment's base)
 * @param firstDirty   where the dirty part starts
 * @param dirtiness    clean and dirty bytes of the cleanable range
 * @param lagExceeded  whether a dirty segment is past max.compaction.lag.ms
 */
record CleanPlan(List<LogSegment> cleanable, long[] ends, long firstDirty, long cleanBytes, long dirtyBytes,
                 boolean lagExceeded) {

    static CleanPlan of(List<LogSegment> segments, LogOffsets offsets, long lastStableOffset,
                        long durableRecoveryPoint, long checkpointed, CompactionConfig config, long nowMs)
            throws IOException {
        long logStartOffset = offsets.logStartOffset();
        // As Kafka: nothing at or above the last stable offset is cleaned, so an open transaction's records (and
        // the records they may yet supersede, if it aborts) stay as they are.
        long uncleanable = Math.min(segments.getLast().baseOffset(), Math.min(lastStableOffset, durableRecoveryPoint));
        List<LogSegment> cleanable = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        for (int i = 0; i < segments.size() - 1; i++) {
            LogSegment segment = segments.get(i);
            long end = segments.get(i + 1).baseOffset();
            // An empty segment (the cleaner emptied it) has no record time; its file's is no help to an injected clock.
            boolean young = segment.size() > 0 && nowMs - segment.largestTimestamp() < config.minCompactionLagMs();
            if (end > uncleanable || young) {
                break;
            }
            if (end <= logStartOffset) {
                continue; // retention deletes it; nothing in it is readable
            }
            cleanable.add(segment);
            ends.add(end);
        }
        long cleanableEnd = ends.isEmpty() ? logStartOffset : ends.getLast();
        // A checkpoint past the log end is from before a follower's cut: start over. One past the cleanable range
        // means everything cleanable is clean.
        long firstDirty = checkpointed < logStartOffset || checkpointed > offsets.logEndOffset() ? logStartOffset
                : Math.min(checkpointed, Math.max(cleanableEnd, logStartOffset));
        long clean = 0;
        long dirty = 0;
        boolean lagExceeded = false;
        for (int i = 0; i < cleanable.size(); i++) {
            LogSegment segment = cleanable.get(i);
            if (ends.get(i) <= firstDirty) {
                clean += segment.size();
            } else {
                dirty += segment.size();
                lagExceeded |= config.maxCompactionLagMs() != Long.MAX_VALUE && segment.size() > 0
                        && nowMs - segment.largestTimestamp() > config.maxCompactionLagMs();
            }
        }
        return new CleanPlan(List.copyOf(cleanable), ends.stream().mapToLong(Long::longValue).toArray(), firstDirty,
                clean, dirty, lagExceeded);
    }

    double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    /** Whether the ratio or the max lag asks for a cleaning now. */
    boolean worthCleaning(CompactionConfig config) {
        return dirtyBytes > 0 && (dirtyRatio() >= config.minCleanableDirtyRatio() || lagExceeded);
    }

    /** The segments of the dirty part, oldest first, with their ends. */
    List<Integer> dirtyIndexes() {
        List<Integer> dirty = new ArrayList<>();
        for (int i = 0; i < cleanable.size(); i++) {
            if (ends[i] > firstDirty) {
                dirty.add(i);
            }
        }
        return dirty;
    }
}
