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
 * The last two apply only when {@code cleanup.policy} includes {@code delete}. In a tiered log
 * ({@code remote.storage.enable}) they apply with the local limits ({@code local.retention.*}) and only to segments
 * wholly copied to remote storage: a segment is deleted here only once readers can be served it from there.
 * Pure functions of the log's state; the caller holds the writer lock.
 */
final class Retention {

    private Retention() {
    }

    /**
     * @param copiedEndOffset in a tiered log, the offset after the last one copied to remote storage (the segments
     *                        wholly below it may go by time or size); ignored otherwise
     */
    static List<LogSegment> deletable(LogSegments segments, long highWatermark, long logStartOffset, LogConfig config,
                                      long copiedEndOffset, long nowMs) throws IOException {
        List<LogSegment> candidates = candidates(segments, highWatermark);
        int byLogStart = prefixBelow(segments, candidates, logStartOffset);
        if (config.tiered().remoteStorageEnable()) {
            candidates = candidates.subList(0, Math.max(byLogStart, prefixBelow(segments, candidates,
                    copiedEndOffset)));
        }
        // Under cleanup.policy=compact alone, time and size never delete: the cleaner keeps the log's size in check.
        boolean deletes = config.compaction().policy().deletes();
        int byTime = 0;
        long retentionMs = config.localRetentionMs();
        if (deletes && retentionMs >= 0) {
            while (byTime < candidates.size()
                    && nowMs - candidates.get(byTime).largestTimestamp() > retentionMs) {
                byTime++;
            }
        }
        int bySize = 0;
        if (deletes && config.localRetentionBytes() >= 0) {
            long excess = segments.sizeInBytes() - config.localRetentionBytes();
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
