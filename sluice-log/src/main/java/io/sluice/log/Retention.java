package io.sluice.log;

import java.io.IOException;
import java.util.List;

/**
 * Which segments retention may delete. Only a prefix of the log is ever deleted, and only sealed segments wholly
 * below the high watermark: a segment qualifies if the next segment starts at or below the high watermark (so the
 * active segment never does). Within that, each rule deletes the longest prefix it allows, and the longest of
 * them wins:
 * <ul>
 *   <li>log start: segments that end at or below the log start offset (after {@code deleteRecordsBefore});</li>
 *   <li>{@code retention.ms}: segments whose newest record is older than the limit, up to the first that is not;</li>
 *   <li>{@code retention.bytes}: oldest segments while the log stays at or above the limit without them.</li>
 * </ul>
 * The last two apply only when {@code cleanup.policy} includes {@code delete}.
 * Pure functions of the log's state; the caller holds the writer lock.
 */
final class Retention {

    private Retention() {
    }

    static List<LogSegment> deletable(LogSegments segments, long highWatermark, long logStartOffset, LogConfig config,
                                      long nowMs) throws IOException {
        List<LogSegment> candidates = candidates(segments, highWatermark);
        int byLogStart = prefixBelow(segments, candidates, logStartOffset);
        // Under cleanup.policy=compact alone, time and size never delete: the cleaner keeps the log's size in check.
        boolean deletes = config.compaction().policy().deletes();
        int byTime = 0;
        if (deletes && config.retentionMs() >= 0) {
            while (byTime < candidates.size()
                    && nowMs - candidates.get(byTime).largestTimestamp() > config.retentionMs()) {
                byTime++;
            }
        }
        int bySize = 0;
        if (deletes && config.retentionBytes() >= 0) {
            long excess = segments.sizeInBytes() - config.retentionBytes();
            while (bySize < candidates.size() && excess - candidates.get(bySize).size() >= 0) {
                excess -= candidates.get(bySize).size();
                bySize++;
            }
        }
        return candidates.subList(0, Math.max(byLogStart, Math.max(byTime, bySize)));
    }

    /** The segments that end at or below {@code logStartOffset}. */
    static List<LogSegment> belowLogStart(LogSegments segments, long highWatermark, long logStartOffset) {
        List<LogSegment> candidates = candidates(segments, highWatermark);
        return candidates.subList(0, prefixBelow(segments, candidates, logStartOffset));
    }

    /** The sealed segments, oldest first, that end at or below the high watermark. */
    private static List<LogSegment> candidates(LogSegments segments, long highWatermark) {
        List<LogSegment> all = segments.all();
        int count = 0;
        while (count < all.size() - 1 && all.get(count + 1).baseOffset() <= highWatermark) {
            count++;
        }
        return all.subList(0, count);
    }

    private static int prefixBelow(LogSegments segments, List<LogSegment> candidates, long offset) {
        int count = 0;
        while (count < candidates.size()
                && segments.nextBaseOffset(candidates.get(count), Long.MAX_VALUE) <= offset) {
            count++;
        }
        return count;
    }
}
