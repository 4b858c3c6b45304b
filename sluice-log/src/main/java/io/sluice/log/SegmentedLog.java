package io.sluice.log;

import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local, segment-level half of a partition log (Kafka's LocalLog): the ordered {@link LogSegments}, the
 * published log end, rolling, reads bounded by an offset, truncation, flushing and delayed file deletion. It knows
 * nothing of high watermarks, epochs or retention policy; {@link PartitionLog} adds those and decides when this runs.
 *
 * <p>Invariants: segments are contiguous, the last is the active one, and {@link #logEnd()} is the offset after the
 * last batch of the active segment together with that segment's size at publication. Everything below the
 * recovery point has been fsynced.
 *
 * <p>Thread model: methods that change state are called by {@link PartitionLog} under its writer lock; {@link #read},
 * {@link #offsetForTimestamp} and the getters run on any thread without locks, bounded by a published snapshot.
 * Methods report I/O failures as {@link IOException}; turning them into an offline partition is the caller's job.
 */
final class SegmentedLog {

    private final Path dir;
    private final Clock clock;
    private final LogChannelFactory channels;
    private final LogSegments segments;
    private final SegmentDeleter deleter = new SegmentDeleter();

    private volatile LogOffsetMetadata logEnd;
    private volatile long recoveryPoint;
    private volatile long lastFlushTimeMs;
    // Writer-only state.
    /** Bumped by every cut of the log: a flush planned before one must not move the recovery point after it. */
    private long truncations;
    /** Bumped by every segment file created; the directory is synced up to {@link #directorySyncedVersion}. */
    private long directoryVersion;
    private long directorySyncedVersion;

    SegmentedLog(Path dir, Clock clock, LogChannelFactory channels, LogSegments segments, long logEndOffset,
                 long recoveryPoint) {
        this.dir = dir;
        this.clock = clock;
        this.channels = channels;
        this.segments = segments;
        LogSegment active = segments.last();
        this.logEnd = new LogOffsetMetadata(logEndOffset, active.baseOffset(), active.size());
        this.recoveryPoint = recoveryPoint;
        this.lastFlushTimeMs = clock.millis();
    }

    LogOffsetMetadata logEnd() {
        return logEnd;
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    long lastFlushTimeMs() {
        return lastFlushTimeMs;
    }

    LogSegments segments() {
        return segments;
    }

    // ---------------------------------------------------------------- writing

    /** Writes validated batches to the active segment, rolling first if needed, and publishes the new end. */
    void append(ValidatedRecords records, LogConfig config, long nowMs) throws IOException {
        LogSegment segment = maybeRoll(records.sizeInBytes(), records.lastOffset(), config, nowMs);
        segment.append(records.buffer(), nowMs);
        logEnd = new LogOffsetMetadata(records.lastOffset() + 1, segment.baseOffset(), segment.size());
    }

    /**
     * Seals the active segment and starts a new one at the log end when the request would overflow it (segment.bytes),
     * it is older than segment.ms, an index is full, or the request's offsets do not fit its relative offsets. An
     * empty active segment is never rolled: the new one would have the same base offset.
     */
    private LogSegment maybeRoll(int messagesSize, long maxOffset, LogConfig config, long nowMs) throws IOException {
        LogSegment active = segments.last();
        if (active.size() == 0) {
            return active;
        }
        boolean full = (long) active.size() + messagesSize > config.segmentBytes();
        long rollingBase = active.rollingBaseTimeMs();
        boolean aged = rollingBase >= 0 && nowMs - rollingBase > config.segmentMs();
        if (!full && !aged && !active.isIndexFull() && active.canHoldOffset(maxOffset)) {
            return active;
        }
        return roll(config);
    }

    /** Seals the active segment (which must not be empty) and starts a new, empty one at the log end. */
    LogSegment roll(LogConfig config) throws IOException {
        LogSegment active = segments.last();
        active.onBecomeInactive();
        if (recoveryPoint >= logEnd.offset()) {
            // Its data is already flushed, so no later flush covers it: make its sealed indexes durable now.
            active.flushIndexes();
        }
        LogSegment rolled = LogSegment.create(dir, logEnd.offset(), config, channels);
        segments.add(rolled);
        directoryVersion++;
        logEnd = new LogOffsetMetadata(logEnd.offset(), rolled.baseOffset(), 0);
        return rolled;
    }

    /**
     * Removes everything from {@code offset} on (a batch holding it goes whole) and returns the new log end, which
     * is {@code offset} or the base of the batch that held it; the cut is fsynced (file and, if segments went,
     * directory) before this returns. The caller has checked {@code offset} lies at or above the first segment's
     * base.
     */
    long truncateTo(long offset, LogConfig config) throws IOException {
        boolean removed = false;
        for (LogSegment segment : segments.all().reversed()) {
            if (segment.baseOffset() > offset) {
                removeSegment(segment, config);
                removed = true;
            }
        }
        LogSegment active = segments.last();
        active.truncateTo(offset);
        // Durable before anything is appended after it: a power loss that undid the cut would bring back records
        // the epoch cache (already rewritten) no longer describes, under the epochs of whatever follows.
        active.flushLog();
        if (removed) {
            CheckpointFile.fsyncDirectory(dir);
        }
        active.resizeIndexesForAppends(config.segmentIndexBytes());
        long newEnd = active.readNextOffset();
        logEnd = new LogOffsetMetadata(newEnd, active.baseOffset(), active.size());
        recoveryPoint = Math.min(recoveryPoint, newEnd);
        truncations++;
        return newEnd;
    }

    /** Removes every segment and starts over with one empty segment at {@code offset}. */
    void restartAt(long offset, LogConfig config) throws IOException {
        for (LogSegment segment : segments.all()) {
            removeSegment(segment, config);
        }
        segments.add(LogSegment.create(dir, offset, config, channels));
        directoryVersion++;
        logEnd = new LogOffsetMetadata(offset, offset, 0);
        recoveryPoint = offset;
        truncations++;
    }

    /**
     * Swaps {@code cleaned} (written and fsynced by the log cleaner, files still named {@code .cleaned}) in for
     * {@code group}, the contiguous sealed segments it replaces, which end at {@code groupEnd}; the first of them
     * shares its base offset. Returns false, changing nothing, if a segment of the group has left the log meanwhile
     * (retention, a follower's cut).
     *
     * <p>The steps, each a point a crash may interrupt (and {@code steps} hears of, for tests):
     * <ol>
     *   <li>{@code <base>.swap} is written (atomically) with {@code groupEnd}: from here the swap is committed, and
     *       {@link LogLoader} completes it on open — it deletes the segments based in (base, groupEnd) and renames
     *       {@code <base>.log.cleaned} over {@code <base>.log};</li>
     *   <li>the group's files are renamed {@code .deleted} (readers in flight keep their open channels);</li>
     *   <li>the cleaned files get their final names, and the segment map points at the new segment;</li>
     *   <li>the directory is fsynced, then the marker deleted and the directory fsynced again.</li>
     * </ol>
     * Runs under the writer lock: only renames and a few small fsyncs, never the cleaning itself.
     */
    boolean replaceSegments(List<LogSegment> group, LogSegment cleaned, long groupEnd, LogConfig config,
                            SwapSteps steps) throws IOException {
        for (LogSegment segment : group) {
            if (segments.floor(segment.baseOffset()) != segment || segment.isDeleted()) {
                return false;
            }
        }
        long base = cleaned.baseOffset();
        CheckpointFile marker = new CheckpointFile(LogFileUtils.swapMarker(dir, base));
        marker.write(List.of(Long.toString(groupEnd)));
        steps.reached(SwapStep.MARKER_WRITTEN);
        for (LogSegment segment : group) {
            segment.markDeleted();
        }
        steps.reached(SwapStep.OLD_SEGMENTS_RENAMED);
        cleaned.completeSwap(dir);
        // The new segment replaces the group's first under the same key in one step, then the rest go: a reader
        // looking up an offset of the group finds either an old segment (still readable) or the new one.
        segments.add(cleaned);
        for (LogSegment segment : group) {
            segments.remove(segment);
            deleter.schedule(segment, clock.millis() + config.fileDeleteDelayMs());
        }
        steps.reached(SwapStep.CLEANED_RENAMED);
        CheckpointFile.fsyncDirectory(dir);
        steps.reached(SwapStep.DIRECTORY_SYNCED);
        Files.delete(marker.path());
        CheckpointFile.fsyncDirectory(dir);
        steps.reached(SwapStep.MARKER_DELETED);
        return true;
    }

    LogChannelFactory channels() {
        return channels;
    }

    Path directory() {
        return dir;
    }

    /** Takes {@code segment} out of the log; its files go after {@code file.delete.delay.ms}. */
    void removeSegment(LogSegment segment, LogConfig config) throws IOException {
        segments.remove(segment);
        segment.markDeleted();
        deleter.schedule(segment, clock.millis() + config.fileDeleteDelayMs());
    }

    /** Deletes the files of removed segments whose delay has passed. */
    void deleteDueFiles(long nowMs) throws IOException {
        deleter.deleteDue(nowMs);
    }

    /** Fsyncs the segments holding offsets in [recovery point, {@code offset}) and moves the recovery point there. */
    void flushUpTo(long offset) throws IOException {
        FlushPlan plan = planFlush(offset);
        if (plan != null) {
            plan.sync();
            completeFlush(plan);
        }
    }

    /**
     * What moving the recovery point to {@code offset} takes — the segments holding [recovery point, offset) and the
     * directory if a segment file was created since its last sync — or null if nothing is below {@code offset}.
     * Planned under the writer lock; {@link FlushPlan#sync} then runs without it, so appends and high-watermark
     * updates never wait for an fsync (Kafka flushes outside its log lock too), and {@link #completeFlush} moves the
     * recovery point under the lock again.
     */
    FlushPlan planFlush(long offset) {
        if (offset <= recoveryPoint) {
            return null;
        }
        LogSegment active = segments.last();
        List<LogSegment> sealed = new ArrayList<>();
        boolean activeToo = false;
        for (LogSegment segment : segments.from(recoveryPoint)) {
            if (segment.baseOffset() >= offset) {
                break;
            }
            if (segment == active) {
                activeToo = true;
            } else {
                sealed.add(segment);
            }
        }
        return new FlushPlan(offset, List.copyOf(sealed), activeToo ? active : null,
                directoryVersion != directorySyncedVersion ? dir : null, directoryVersion, truncations);
    }

    /**
     * Moves the recovery point to what {@code plan} synced, unless the log was cut since it was planned (the synced
     * bytes may no longer be the log's; the next flush plans again).
     */
    void completeFlush(FlushPlan plan) {
        if (plan.truncations() != truncations) {
            return;
        }
        if (plan.directory() != null) {
            directorySyncedVersion = Math.max(directorySyncedVersion, plan.directoryVersion());
        }
        recoveryPoint = Math.max(recoveryPoint, Math.min(plan.offset(), logEnd.offset()));
        lastFlushTimeMs = clock.millis();
    }

    /**
     * The fsyncs that make everything below {@code offset} durable. {@link #sync} may run on any thread without the
     * writer lock: segments below the active one are sealed, fsyncing the active one covers at least what was written
     * when the plan was made, and mappings are never unmapped (see {@link MappedIndex}).
     */
    record FlushPlan(long offset, List<LogSegment> sealed, LogSegment active, Path directory, long directoryVersion,
                     long truncations) {

        void sync() throws IOException {
            for (LogSegment segment : sealed) {
                segment.flush();
            }
            if (active != null) {
                // Recovery always rebuilds the indexes of the segment holding the recovery point, which the active
                // segment then is; syncing them would only triple the cost of a flush (three syncs, not one).
                active.flushLog();
            }
            if (directory != null) {
                // A new segment file's directory entry must be durable before the recovery point passes over it.
                CheckpointFile.fsyncDirectory(directory);
            }
        }

        /** Whether a segment this plan syncs has since left the log (retention, truncation), closing its file. */
        boolean touchesRemovedSegment() {
            return sealed.stream().anyMatch(LogSegment::isDeleted) || active != null && active.isDeleted();
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Whole batches from the one holding {@code fetchOffset}, below {@code bound} (a published log end or high
     * watermark); null if no batch below the bound holds it or a later offset.
     */
    LogSegment.Read read(long fetchOffset, int maxBytes, LogOffsetMetadata bound, boolean minOneBatch)
            throws IOException {
        for (LogSegment segment = segments.floor(fetchOffset);
             segment != null && segment.baseOffset() <= bound.segmentBaseOffset();
             segment = segments.higher(segment.baseOffset())) {
            LogSegment.Read read = segment.read(fetchOffset, maxBytes, maxPosition(segment, bound), minOneBatch);
            if (read != null) {
                return read;
            }
        }
        return null;
    }

    /** The earliest record at or after {@code startOffset} stamped at least {@code timestamp}, below the bound. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp, long startOffset, LogOffsetMetadata bound)
            throws IOException {
        for (LogSegment segment : segments.from(startOffset)) {
            if (segment.baseOffset() > bound.segmentBaseOffset()) {
                break;
            }
            if (segment.largestTimestamp() < timestamp) {
                continue; // the time index cannot help; nothing in this segment is late enough
            }
            Optional<TimestampOffset> found = segment.findOffsetByTimestamp(timestamp, startOffset,
                    maxPosition(segment, bound));
            if (found.isPresent()) {
                return found.filter(f -> f.offset() < bound.offset());
            }
        }
        return Optional.empty();
    }

    /**
     * The first record with the largest timestamp from {@code startOffset} to the bound (Kafka's max-timestamp lookup,
     * KIP-734); empty when no record there carries a timestamp. Sealed segments wholly inside answer from the maximum
     * their appends tracked; the first and the bound's segment are read, as they may hold records outside.
     */
    Optional<TimestampOffset> maxTimestampOffset(long startOffset, LogOffsetMetadata bound) throws IOException {
        LogSegment best = null;
        long largest = RecordBatch.NO_TIMESTAMP;
        for (LogSegment segment : segments.from(startOffset)) {
            if (segment.baseOffset() > bound.segmentBaseOffset()) {
                break;
            }
            boolean whole = segment.baseOffset() >= startOffset && segment.baseOffset() != bound.segmentBaseOffset();
            long max = whole ? segment.maxTimestampSoFar() : segment.maxTimestamp(startOffset, maxPosition(segment, bound));
            if (max > largest) {
                largest = max;
                best = segment;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return best.findOffsetByTimestamp(largest, startOffset, maxPosition(best, bound))
                .filter(f -> f.offset() < bound.offset());
    }

    /** Where {@code offset} lies, as of the writer's view of the log. */
    LogOffsetMetadata offsetMetadata(long offset) throws IOException {
        LogOffsetMetadata end = logEnd;
        if (offset >= end.offset()) {
            return end;
        }
        LogSegment segment = segments.floor(offset);
        if (segment == null) {
            return new LogOffsetMetadata(offset, segments.first().baseOffset(), 0);
        }
        return new LogOffsetMetadata(offset, segment.baseOffset(), segment.translateOffset(offset, segment.size()));
    }

    /** How far into {@code segment} a read bounded by {@code bound} may go. */
    private static int maxPosition(LogSegment segment, LogOffsetMetadata bound) {
        // Segments before the bound's are sealed, so their size no longer moves.
        return segment.baseOffset() == bound.segmentBaseOffset() ? bound.position() : segment.size();
    }

    // ---------------------------------------------------------------- closing

    /** Flushes, seals every segment's indexes and closes the files (a clean shutdown). */
    void closeCleanly() throws IOException {
        try {
            flushUpTo(logEnd.offset());
            // The next open trusts these indexes (no recovery after a clean shutdown), so seal and sync them too.
            LogSegment active = segments.last();
            active.onBecomeInactive();
            active.flushIndexes();
            for (LogSegment segment : segments.all()) {
                segment.close();
            }
        } finally {
            closeFiles();
        }
    }

    /** Closes every file without writing anything more (after a failure). */
    void closeFiles() throws IOException {
        IOException failure = null;
        for (LogSegment segment : segments.all()) {
            try {
                segment.channel().close();
            } catch (IOException e) {
                failure = e;
            }
        }
        deleter.deleteAll();
        if (failure != null) {
            throw failure;
        }
    }

    /** Deletes the files of every segment; the log must be closed. */
    void deleteAllFiles() throws IOException {
        for (LogSegment segment : segments.all()) {
            segment.deleteFiles();
        }
        segments.clear();
    }

    List<LogSegment> allSegments() {
        return segments.all();
    }
}
