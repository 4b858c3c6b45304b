package io.sluice.log;

import io.sluice.protocol.record.FileBatch;
import io.sluice.protocol.record.FileBatchIterator;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Opens a partition directory and brings it to a consistent state before the log serves anything: crash recovery.
 *
 * <ol>
 *   <li>A cleaner swap a crash interrupted ({@code <base>.swap} marker, see {@link SegmentedLog#replaceSegments}) is
 *       completed: the segments based in (base, end) are deleted, {@code <base>.log.cleaned} (if still there) replaces
 *       {@code <base>.log}, and that segment's indexes are rebuilt. A {@code .cleaned} file without a marker is a
 *       cleaning that never committed: it is deleted with the other leftovers.</li>
 *   <li>Leftovers are removed: {@code .deleted}, {@code .tmp} and {@code .cleaned} files, index files without a
 *       log file.</li>
 *   <li>The state checkpoint says where recovery starts: the log's own, or its line in the data directory's periodic
 *       checkpoint if that is newer (see {@link #readState}). After a clean shutdown nothing is rescanned; otherwise
 *       every segment from the one holding the recovery point on is read batch by batch (length, CRC, offset order),
 *       its indexes are rebuilt, and the log is cut at the first bad byte, or where a segment ends before the next
 *       one begins (a power loss kept the later file but not this one's tail); segments after a cut are deleted.</li>
 *   <li>Segments before the recovery point are trusted, but their indexes must exist and pass a sanity check, else
 *       the segment is recovered too.</li>
 *   <li>The leader-epoch cache relearns the epochs of recovered batches from their headers (its entries from the
 *       first recovered segment on are replaced), keeps an epoch that starts exactly at the log end, and forgets
 *       epochs beyond it (it is rebuilt from batch headers if its file is corrupt).</li>
 * </ol>
 * Runs on one thread, before the log is published, so it needs no locking.
 */
final class LogLoader {

    private static final System.Logger LOG = System.getLogger(LogLoader.class.getName());

    /** What a load hands the log: its segments, epoch cache and offsets. */
    record Loaded(LogSegments segments, LeaderEpochCache epochCache, long logStartOffset, long logEndOffset,
                  long recoveryPoint, long highWatermark) {
    }

    private final Path dir;
    private final LogConfig config;
    private final Clock clock;
    private final LogChannelFactory channels;
    /** The log's line in its data directory's periodic checkpoint, or null. */
    private final LogStateCheckpoint.State periodic;

    LogLoader(Path dir, LogConfig config, Clock clock, LogChannelFactory channels, LogStateCheckpoint.State periodic) {
        this.periodic = periodic;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.channels = channels;
    }

    Loaded load() throws IOException {
        Files.createDirectories(dir);
        completeInterruptedSwaps();
        removeLeftovers();
        LogStateCheckpoint.State state = readState();
        boolean clean = state != null && state.cleanShutdown();
        long recoveryPoint = state == null ? 0 : state.recoveryPoint();
        Path epochFile = dir.resolve(LeaderEpochCache.FILE_NAME);
        LeaderEpochCache epochCache;
        boolean rebuildEpochs = false;
        try {
            epochCache = LeaderEpochCache.open(epochFile);
        } catch (CorruptCheckpointException e) {
            LOG.log(Level.WARNING, "{0}; rebuilding it from the batches", e.getMessage());
            Files.delete(epochFile);
            epochCache = LeaderEpochCache.open(epochFile);
            rebuildEpochs = true;
        }

        LogSegments segments = new LogSegments();
        List<EpochEntry> epochsBefore;
        List<Long> baseOffsets = segmentBaseOffsets();
        List<LogSegment> opened = new ArrayList<>();
        try {
            List<Boolean> needsRecovery = new ArrayList<>();
            for (long baseOffset : baseOffsets) {
                boolean indexesPresent = Files.exists(LogFileUtils.offsetIndexFile(dir, baseOffset))
                        && Files.exists(LogFileUtils.timeIndexFile(dir, baseOffset));
                opened.add(openSegment(baseOffset));
                needsRecovery.add(!indexesPresent);
            }
            if (opened.isEmpty()) {
                long start = state == null ? 0 : state.logStartOffset();
                opened.add(LogSegment.create(dir, start, config, channels));
                needsRecovery.add(false);
            }
            epochsBefore = epochCache.entries();
            recover(opened, needsRecovery, clean, recoveryPoint, epochCache);
            for (LogSegment segment : opened) {
                segments.add(segment);
            }
        } catch (IOException | RuntimeException e) {
            for (LogSegment segment : opened) {
                closeQuietly(segment);
            }
            throw e;
        }

        LogSegment active = segments.last();
        active.resizeIndexesForAppends(config.segmentIndexBytes());
        active.loadRollingBaseTime(clock.millis());
        long logEnd = active.readNextOffset();
        long firstBase = segments.first().baseOffset();
        long logStart = Math.min(Math.max(state == null ? firstBase : state.logStartOffset(), firstBase), logEnd);
        if (rebuildEpochs) {
            rebuildEpochCache(segments, epochCache);
        }
        // An epoch may start exactly at the log end (a leader elected that has not written yet); beyond it, no.
        OptionalInt latest = epochCache.latestEpoch();
        for (EpochEntry entry : epochsBefore) {
            if (entry.startOffset() == logEnd && (latest.isEmpty() || entry.epoch() > latest.getAsInt())) {
                epochCache.assign(entry.epoch(), entry.startOffset());
            }
        }
        epochCache.truncateFromEnd(logEnd + 1);
        epochCache.truncateFromStart(logStart);
        long highWatermark = state == null ? logStart : Math.min(Math.max(state.highWatermark(), logStart), logEnd);
        long recovered = clean ? logEnd : Math.min(recoveryPoint, logEnd);
        return new Loaded(segments, epochCache, logStart, logEnd, recovered, highWatermark);
    }

    /** Recovers what must be, in place: {@code opened} loses the segments a truncation made obsolete. */
    private void recover(List<LogSegment> opened, List<Boolean> needsRecovery, boolean clean, long recoveryPoint,
                         LeaderEpochCache epochCache) throws IOException {
        // The segment holding the recovery point is the first that may hold unflushed bytes.
        int firstUnflushed = opened.size();
        if (!clean) {
            firstUnflushed = 0;
            for (int i = 0; i < opened.size(); i++) {
                if (opened.get(i).baseOffset() <= recoveryPoint) {
                    firstUnflushed = i;
                }
            }
        }
        long expectedNext = 0;
        boolean relearning = false;
        for (int i = 0; i < opened.size(); i++) {
            LogSegment segment = opened.get(i);
            boolean recover = i >= firstUnflushed || needsRecovery.get(i) || !passesSanityCheck(segment);
            if (!recover) {
                expectedNext = segment.baseOffset();
                continue;
            }
            boolean unflushed = i >= firstUnflushed;
            if (unflushed && !relearning) {
                // From here on the cache learns epochs from the batches themselves, not from its file: a power loss
                // can undo a truncation (and lose what was appended after it) while the file kept the later epochs,
                // which would leave the old batches under an epoch they were not written in.
                epochCache.truncateFromEnd(segment.baseOffset());
                relearning = true;
            }
            int truncated = segment.recover(Math.max(expectedNext, segment.baseOffset()),
                    config.maxBatchSizeOnDisk(), config.segmentIndexBytes(), (epoch, baseOffset) -> {
                        OptionalInt latest = epochCache.latestEpoch();
                        // Flushed segments recovered only for their indexes add nothing the file does not know.
                        if (epoch >= 0 && (unflushed || latest.isEmpty() || epoch > latest.getAsInt())) {
                            epochCache.assign(epoch, baseOffset);
                        }
                    });
            expectedNext = segment.readNextOffset();
            if (truncated > 0) {
                // Everything after the first bad byte is suspect, later segments included.
                int keep = segment.size() == 0 && i > 0 ? i : i + 1;
                deleteFrom(opened, keep);
                break;
            }
            if (unflushed && i < opened.size() - 1 && expectedNext < opened.get(i + 1).baseOffset()) {
                // A power loss took this segment's tail but left later segment files (their names survive, their
                // bytes need not): keeping them would leave a hole that no follower fetches again, since fetching
                // resumes at the log end. Segments this far are never compacted, so their offsets are contiguous.
                LOG.log(Level.WARNING, "{0} ends at offset {1} but the next segment starts at {2}: the log ends here",
                        segment.logFile(), expectedNext, opened.get(i + 1).baseOffset());
                deleteFrom(opened, i + 1);
                break;
            }
            if (i < opened.size() - 1) {
                segment.onBecomeInactive();
            }
        }
    }

    private boolean passesSanityCheck(LogSegment segment) {
        try {
            segment.sanityCheck();
            return true;
        } catch (CorruptIndexException e) {
            LOG.log(Level.WARNING, "{0}; rebuilding the indexes of {1}", e.getMessage(), segment.logFile());
            return false;
        }
    }

    private LogSegment openSegment(long baseOffset) throws IOException {
        try {
            return LogSegment.open(dir, baseOffset, config, channels, false);
        } catch (CorruptIndexException e) {
            LOG.log(Level.WARNING, "{0}; deleting it to rebuild", e.getMessage());
            Files.deleteIfExists(LogFileUtils.offsetIndexFile(dir, baseOffset));
            Files.deleteIfExists(LogFileUtils.timeIndexFile(dir, baseOffset));
            return LogSegment.open(dir, baseOffset, config, channels, false);
        }
    }

    private void deleteFrom(List<LogSegment> opened, int from) throws IOException {
        while (opened.size() > from) {
            LogSegment removed = opened.removeLast();
            LOG.log(Level.WARNING, "Deleting segment {0}: it follows the point where recovery cut the log",
                    removed.logFile());
            removed.deleteFiles();
        }
    }

    private void rebuildEpochCache(LogSegments segments, LeaderEpochCache epochCache) throws IOException {
        epochCache.clear();
        for (LogSegment segment : segments.all()) {
            FileBatchIterator batches = new FileBatchIterator(segment.channel(), 0, segment.size(), Integer.MAX_VALUE);
            for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
                OptionalInt latest = epochCache.latestEpoch();
                int epoch = batch.partitionLeaderEpoch();
                if (epoch >= 0 && (latest.isEmpty() || epoch > latest.getAsInt())) {
                    epochCache.assign(epoch, batch.baseOffset());
                }
            }
        }
    }

    /**
     * The log's own checkpoint, or the data directory's periodic line for it when that is newer: taken while the own
     * file still carries the stamp the line was read with (nothing rewrote it since) and was not written by a clean
     * close.
     */
    private LogStateCheckpoint.State readState() throws IOException {
        LogStateCheckpoint.State own;
        try {
            own = new LogStateCheckpoint(dir).read().orElse(null);
        } catch (CorruptCheckpointException e) {
            LOG.log(Level.WARNING, "{0}; recovering the whole log", e.getMessage());
            return null;
        }
        if (own != null && periodic != null && !own.cleanShutdown() && own.stamp() != 0
                && own.stamp() == periodic.stamp()) {
            return periodic;
        }
        return own;
    }

    private List<Long> segmentBaseOffsets() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(LogFileUtils::isLogFile)
                    .map(LogFileUtils::offsetFromFileName)
                    .mapToLong(OptionalLong::getAsLong)
                    .sorted()
                    .boxed()
                    .toList();
        }
    }

    private void completeInterruptedSwaps() throws IOException {
        List<Path> markers;
        try (Stream<Path> list = Files.list(dir)) {
            markers = list.filter(LogFileUtils::isSwapMarker).sorted().toList();
        }
        for (Path marker : markers) {
            long base = LogFileUtils.offsetFromFileName(marker).getAsLong();
            List<String> lines = Files.readAllLines(marker);
            long end;
            try {
                end = Long.parseLong(lines.getFirst().trim());
            } catch (RuntimeException e) {
                // The marker is written atomically, so this is not a torn write: refuse to guess which segments go.
                throw new IOException("Unreadable cleaner swap marker " + marker + ": " + lines, e);
            }
            LOG.log(Level.WARNING, "Completing the cleaner swap of segments [{0}, {1}) in {2}", base, end, dir);
            for (long replaced : segmentBaseOffsets()) {
                if (replaced > base && replaced < end) {
                    Files.deleteIfExists(LogFileUtils.logFile(dir, replaced));
                    Files.deleteIfExists(LogFileUtils.offsetIndexFile(dir, replaced));
                    Files.deleteIfExists(LogFileUtils.timeIndexFile(dir, replaced));
                }
            }
            Path cleaned = LogFileUtils.cleanedFile(LogFileUtils.logFile(dir, base));
            if (Files.exists(cleaned)) {
                Files.move(cleaned, LogFileUtils.logFile(dir, base), StandardCopyOption.REPLACE_EXISTING);
            }
            // Whichever indexes are there may belong to the old segment or be half renamed: rebuild them.
            for (Path index : List.of(LogFileUtils.offsetIndexFile(dir, base), LogFileUtils.timeIndexFile(dir, base))) {
                Files.deleteIfExists(index);
                Files.deleteIfExists(LogFileUtils.cleanedFile(index));
            }
            CheckpointFile.fsyncDirectory(dir);
            Files.delete(marker);
            CheckpointFile.fsyncDirectory(dir);
        }
    }

    private void removeLeftovers() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        }
        for (Path file : files) {
            boolean orphanIndex = LogFileUtils.isIndexFile(file) && !Files.exists(
                    LogFileUtils.logFile(dir, LogFileUtils.offsetFromFileName(file).getAsLong()));
            if (LogFileUtils.isLeftover(file) || orphanIndex) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void closeQuietly(LogSegment segment) {
        try {
            segment.channel().close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Closing {0} after a failed load: {1}", segment.logFile(), e);
        }
    }
}
