package io.sluice.log;

import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CorruptRecordException;
import io.sluice.protocol.record.FileBatch;
import io.sluice.protocol.record.FileBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * One segment of a partition log: a log file of record batches laid back to back (the exact bytes producers and
 * followers sent, offsets assigned) plus its {@link OffsetIndex} and {@link TimeIndex}, all named by the segment's
 * base offset (see {@link LogFileUtils}). Every batch in the segment has offsets at or above the base offset, in
 * increasing order, and its last offset fits the indexes' 4-byte relative form.
 *
 * <p>Thread model: one writer (the log's writer, under its lock) appends, truncates, recovers and seals; readers call
 * {@link #read}, {@link #translateOffset} and {@link #findOffsetByTimestamp} concurrently without locks. Bytes are
 * written to the file before {@link #size()} (volatile) moves past them, and readers are bounded by a position the
 * log published after the write, so they never see a partial batch. A failed write leaves {@code size} where it was;
 * the bytes beyond it are cut by recovery on the next open.
 */
final class LogSegment {

    private static final System.Logger LOG = System.getLogger(LogSegment.class.getName());

    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private volatile Path logFile;
    private volatile int size;
    private volatile boolean deleted;

    // Writer-only state, except the volatile largest timestamp that size reports read.
    private int bytesSinceLastIndexEntry;
    private volatile long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private long offsetOfMaxTimestampSoFar;
    /** Clock time of the first append (or the first batch's timestamp after a reopen); -1 while empty or unknown. */
    private long rollingBaseTimeMs = -1;

    private LogSegment(long baseOffset, Path logFile, FileChannel channel, OffsetIndex offsetIndex,
                       TimeIndex timeIndex, int indexIntervalBytes) throws IOException {
        this.baseOffset = baseOffset;
        this.logFile = logFile;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.offsetOfMaxTimestampSoFar = baseOffset;
        long length = channel.size();
        if (length > Integer.MAX_VALUE) {
            throw new IOException("Segment file " + logFile + " is larger than 2 GiB (" + length + " bytes)");
        }
        this.size = (int) length;
    }

    /** Creates the files of a new, empty segment, ready for appends. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, LogChannelFactory channels)
            throws IOException {
        Path log = LogFileUtils.logFile(dir, baseOffset);
        // Index files of a never-used segment would be stale: the log file is the truth, so start them empty.
        Files.deleteIfExists(LogFileUtils.offsetIndexFile(dir, baseOffset));
        Files.deleteIfExists(LogFileUtils.timeIndexFile(dir, baseOffset));
        LogSegment segment = open(dir, baseOffset, config, channels, true);
        if (segment.size != 0) {
            segment.close();
            throw new IOException("Cannot create segment " + log + ": a non-empty file exists");
        }
        return segment;
    }

    /**
     * Creates the files of a segment the log cleaner fills: named {@code <base>.log.cleaned} (and the indexes
     * likewise) until {@link #completeSwap} gives them their final names.
     */
    static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config, LogChannelFactory channels)
            throws IOException {
        Path log = LogFileUtils.cleanedFile(LogFileUtils.logFile(dir, baseOffset));
        Path index = LogFileUtils.cleanedFile(LogFileUtils.offsetIndexFile(dir, baseOffset));
        Path timeIndex = LogFileUtils.cleanedFile(LogFileUtils.timeIndexFile(dir, baseOffset));
        for (Path stale : List.of(log, index, timeIndex)) {
            Files.deleteIfExists(stale); // an abandoned attempt; this one starts afresh
        }
        return open(log, index, timeIndex, baseOffset, config, channels, true);
    }

    /** Renames a cleaned segment's files to the segment's own names (the previous holders were moved away). */
    void completeSwap(Path dir) throws IOException {
        Path log = LogFileUtils.logFile(dir, baseOffset);
        Files.move(logFile, log, StandardCopyOption.REPLACE_EXISTING);
        logFile = log;
        offsetIndex.renameTo(LogFileUtils.offsetIndexFile(dir, baseOffset));
        timeIndex.renameTo(LogFileUtils.timeIndexFile(dir, baseOffset));
    }

    /**
     * Opens an existing segment (creating missing files). Index lengths are kept unless {@code writable}, which
     * extends them for appends. Indexes are not checked here: see {@link #sanityCheck()} and {@link #recover}.
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, LogChannelFactory channels,
                           boolean writable) throws IOException {
        return open(LogFileUtils.logFile(dir, baseOffset), LogFileUtils.offsetIndexFile(dir, baseOffset),
                LogFileUtils.timeIndexFile(dir, baseOffset), baseOffset, config, channels, writable);
    }

    private static LogSegment open(Path log, Path index, Path time, long baseOffset, LogConfig config,
                                   LogChannelFactory channels, boolean writable) throws IOException {
        FileChannel channel = channels.open(log);
        try {
            OffsetIndex offsetIndex = new OffsetIndex(index, baseOffset, config.segmentIndexBytes(), writable);
            TimeIndex timeIndex = new TimeIndex(time, baseOffset, config.segmentIndexBytes(), writable);
            LogSegment segment = new LogSegment(baseOffset, log, channel, offsetIndex, timeIndex,
                    config.indexIntervalBytes());
            segment.loadWriterState();
            return segment;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes of whole batches in the file; readers may read below it. */
    int size() {
        return size;
    }

    Path logFile() {
        return logFile;
    }

    FileChannel channel() {
        return channel;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    /**
     * The newest record time in the segment, used by time retention; the file's modification time when no batch
     * carries a timestamp (as in Kafka).
     */
    long largestTimestamp() throws IOException {
        long largest = maxTimestampSoFar;
        return largest >= 0 ? largest : Files.getLastModifiedTime(logFile).toMillis();
    }

    /** When the segment.ms age of this segment started counting, or -1 while it is empty. */
    long rollingBaseTimeMs() {
        return rollingBaseTimeMs;
    }

    boolean isIndexFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /** Whether {@code offset} can still be indexed here (relative offsets are 4 bytes). */
    boolean canHoldOffset(long offset) {
        long relative = offset - baseOffset;
        return relative >= 0 && relative <= Integer.MAX_VALUE;
    }

    /**
     * Writes {@code records} (whole batches, validated, offsets assigned, starting at this segment's end) and indexes
     * them. Nothing becomes visible if the write fails.
     */
    void append(ByteBuffer records, long nowMs) throws IOException {
        int start = size;
        ByteBuffer source = records.duplicate();
        long at = start;
        while (source.hasRemaining()) {
            at += channel.write(source, at);
        }
        int position = start;
        for (RecordBatch batch : BufferBatchIterator.batches(records)) {
            indexBatch(batch.baseOffset(), batch.maxTimestamp(), position, batch.sizeInBytes());
            position += batch.sizeInBytes();
        }
        if (rollingBaseTimeMs < 0) {
            rollingBaseTimeMs = nowMs;
        }
        size = position;
    }

    /** Whole batches read from a segment, and the offset after the last of them (where the next read starts). */
    record Read(FileRegion region, long nextOffset) {
    }

    /**
     * The whole batches to serve a read from {@code startOffset}: from the batch that holds it, as many as fit in
     * {@code maxBytes}, never past {@code maxPosition}. With {@code minOneBatch}, the first batch is returned even
     * when it alone exceeds {@code maxBytes}, so a consumer behind a large batch never stalls.
     *
     * @return null if no batch below {@code maxPosition} holds {@code startOffset} or a later offset
     */
    Read read(long startOffset, int maxBytes, int maxPosition, boolean minOneBatch) throws IOException {
        FileBatch first = batchAtOrAfter(startOffset, maxPosition);
        if (first == null) {
            return null;
        }
        long start = first.position();
        long firstEnd = start + first.sizeInBytes();
        if (first.sizeInBytes() > maxBytes && !minOneBatch) {
            return new Read(new FileRegion(channel, start, 0), startOffset);
        }
        long limit = Math.min(maxPosition, Math.max(firstEnd, start + maxBytes));
        // An index entry is a batch boundary (and its offset the next batch's base): jump to the last one within the
        // limit instead of reading every header on the way, so a large read costs a few header reads at most.
        OffsetPosition jump = offsetIndex.lookupByPosition(limit);
        long end = firstEnd;
        long nextOffset = first.nextOffset();
        if (jump != null && jump.position() > firstEnd) {
            end = jump.position();
            nextOffset = jump.offset();
        }
        FileBatchIterator batches = new FileBatchIterator(channel, end, limit, Integer.MAX_VALUE);
        for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
            end = batches.position();
            nextOffset = batch.nextOffset();
        }
        return new Read(new FileRegion(channel, start, (int) (end - start)), nextOffset);
    }

    /**
     * Where the batch holding {@code offset} (or, if none does, the first batch after it) starts, below
     * {@code maxPosition}; {@code maxPosition} itself when there is no such batch.
     */
    int translateOffset(long offset, int maxPosition) throws IOException {
        FileBatch batch = batchAtOrAfter(offset, maxPosition);
        return batch == null ? maxPosition : (int) batch.position();
    }

    /**
     * The earliest record at or after {@code startingOffset} whose timestamp is at least {@code timestamp}, below
     * {@code maxPosition}: the time index narrows the start, then batches are scanned by header and the one that
     * qualifies is decoded.
     */
    Optional<TimestampOffset> findOffsetByTimestamp(long timestamp, long startingOffset, int maxPosition)
            throws IOException {
        TimestampOffset entry = timeIndex.lookup(timestamp);
        OffsetPosition from = offsetIndex.lookup(Math.max(entry.offset(), startingOffset));
        FileBatchIterator batches = new FileBatchIterator(channel, from.position(), maxPosition, Integer.MAX_VALUE);
        for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
            if (batch.maxTimestamp() >= timestamp && batch.lastOffset() >= startingOffset) {
                for (Record record : batch.load().records()) {
                    if (record.timestamp() >= timestamp && record.offset() >= startingOffset) {
                        return Optional.of(new TimestampOffset(record.timestamp(), record.offset()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The largest batch timestamp appended so far, or {@link RecordBatch#NO_TIMESTAMP}; for sealed segments. */
    long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    /**
     * The largest record timestamp at or after {@code startingOffset} below {@code maxPosition}, or
     * {@link RecordBatch#NO_TIMESTAMP}: batch headers are scanned, and only a batch that straddles
     * {@code startingOffset} is decoded (its maximum may belong to a record below it).
     */
    long maxTimestamp(long startingOffset, int maxPosition) throws IOException {
        OffsetPosition from = offsetIndex.lookup(startingOffset);
        FileBatchIterator batches = new FileBatchIterator(channel, from.position(), maxPosition, Integer.MAX_VALUE);
        long max = RecordBatch.NO_TIMESTAMP;
        for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
            if (batch.lastOffset() < startingOffset) {
                continue;
            }
            if (batch.baseOffset() >= startingOffset) {
                max = Math.max(max, batch.maxTimestamp());
            } else {
                for (Record record : batch.load().records()) {
                    if (record.offset() >= startingOffset) {
                        max = Math.max(max, record.timestamp());
                    }
                }
            }
        }
        return max;
    }

    /** The offset after the last batch in the segment; the base offset if it is empty. */
    long readNextOffset() throws IOException {
        OffsetPosition last = offsetIndex.lastEntry();
        FileBatchIterator batches = new FileBatchIterator(channel, last.position(), size, Integer.MAX_VALUE);
        long next = last.offset();
        for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
            next = batch.nextOffset();
        }
        return next;
    }

    /**
     * Rebuilds the indexes by reading every batch, checking its length, CRC and offsets, and cuts the file at the
     * first byte that is not part of a valid batch (a torn write, trailing garbage, a zero-filled tail).
     *
     * @param expectedFirstOffset the lowest base offset the first batch may have (the previous segment's end)
     * @param epochs              told the leader epoch and base offset of every valid batch, in order
     * @return the number of bytes cut from the end of the file
     */
    int recover(long expectedFirstOffset, int maxBatchSize, int maxIndexSize, EpochObserver epochs)
            throws IOException {
        offsetIndex.reset(maxIndexSize);
        timeIndex.reset(maxIndexSize);
        bytesSinceLastIndexEntry = 0;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        long fileSize = channel.size();
        FileBatchIterator batches = new FileBatchIterator(channel, 0, fileSize, maxBatchSize);
        long expected = Math.max(expectedFirstOffset, baseOffset);
        long validBytes = 0;
        try {
            for (FileBatch header = batches.nextBatch(); header != null; header = batches.nextBatch()) {
                RecordBatch batch = header.load();
                batch.ensureValid();
                if (batch.baseOffset() < expected || !canHoldOffset(batch.lastOffset())) {
                    throw new CorruptRecordException("Record batch at position " + header.position() + " has offsets "
                            + batch.baseOffset() + ".." + batch.lastOffset() + ", expected a base offset from "
                            + expected + " within segment " + baseOffset);
                }
                indexBatch(batch.baseOffset(), batch.maxTimestamp(), (int) header.position(), batch.sizeInBytes());
                if (batch.partitionLeaderEpoch() >= 0) {
                    epochs.onBatch(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
                expected = batch.nextOffset();
                validBytes = batches.position();
            }
        } catch (CorruptRecordException e) {
            LOG.log(Level.WARNING, "Found invalid data in {0} at position {1}: {2}", logFile, validBytes,
                    e.getMessage());
        }
        int truncated = (int) (fileSize - validBytes);
        if (truncated > 0) {
            LOG.log(Level.WARNING, "Truncating {0} from {1} to {2} bytes", logFile, fileSize, validBytes);
            channel.truncate(validBytes);
        }
        size = (int) validBytes;
        return truncated;
    }

    /** Told each valid batch's leader epoch during recovery. */
    @FunctionalInterface
    interface EpochObserver {
        void onBatch(int epoch, long baseOffset) throws IOException;
    }

    /**
     * Removes every batch from the one holding {@code offset} on; the index entries and the largest timestamp follow.
     *
     * @return the number of bytes removed
     */
    int truncateTo(long offset) throws IOException {
        FileBatch first = batchAtOrAfter(offset, size);
        if (first == null) {
            return 0;
        }
        // A batch holding the offset goes whole: its base may be below the offset, so cut the indexes there.
        offsetIndex.truncateTo(first.baseOffset());
        timeIndex.truncateTo(first.baseOffset());
        int newSize = (int) first.position();
        int removed = size - newSize;
        size = newSize;
        channel.truncate(newSize);
        bytesSinceLastIndexEntry = newSize - offsetIndex.lastEntry().position();
        recomputeMaxTimestamp();
        if (newSize == 0) {
            rollingBaseTimeMs = -1;
        }
        return removed;
    }

    /** Checks both indexes cheaply; throws {@link CorruptIndexException} if one is not to be trusted. */
    void sanityCheck() {
        offsetIndex.sanityCheck(size);
        timeIndex.sanityCheck();
    }

    /** Makes the indexes room for appends again: the segment became the active one after a reopen. */
    void resizeIndexesForAppends(int maxIndexSize) throws IOException {
        offsetIndex.resizeForAppends(maxIndexSize);
        timeIndex.resizeForAppends(maxIndexSize);
    }

    /**
     * Seals the segment when a new one is rolled: records the largest timestamp in the reserved last time index slot
     * and trims both indexes to their entries.
     */
    void onBecomeInactive() throws IOException {
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Forces the log file and the indexes to disk. */
    void flush() throws IOException {
        flushLog();
        flushIndexes();
    }

    /** Forces the log file to disk (fdatasync: content and size, not timestamps). */
    void flushLog() throws IOException {
        channel.force(false);
    }

    void flushIndexes() {
        offsetIndex.flush();
        timeIndex.flush();
    }

    /** Seals and closes (a clean shutdown): the indexes are left trimmed so the next open trusts them. */
    void close() throws IOException {
        try {
            if (channel.isOpen()) {
                onBecomeInactive();
            }
        } finally {
            channel.close();
        }
    }

    /**
     * Renames the files with the {@code .deleted} suffix; reads in flight keep working on the open channel until
     * {@link #deleteFiles()}.
     */
    void markDeleted() throws IOException {
        Path log = logFile;
        Path renamed = LogFileUtils.deletedFile(log);
        // A segment with the same base offset may have been deleted moments ago (a follower truncating again):
        // replacing its renamed file is harmless, as its channel stays open until its own deletion.
        Files.move(log, renamed, StandardCopyOption.REPLACE_EXISTING);
        logFile = renamed;
        offsetIndex.renameTo(LogFileUtils.deletedFile(offsetIndex.file()));
        timeIndex.renameTo(LogFileUtils.deletedFile(timeIndex.file()));
        deleted = true;
    }

    /** Whether the segment left its log ({@link #markDeleted}); its files close when they are deleted. */
    boolean isDeleted() {
        return deleted;
    }

    /** Closes the channel and removes all three files. */
    void deleteFiles() throws IOException {
        channel.close();
        Files.deleteIfExists(logFile);
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
    }

    /** Runs after open: the writer state a sealed or cleanly closed segment's indexes can tell. */
    private void loadWriterState() throws IOException {
        TimestampOffset lastTime = timeIndex.lastEntry();
        maxTimestampSoFar = lastTime.timestamp();
        offsetOfMaxTimestampSoFar = lastTime.offset();
        bytesSinceLastIndexEntry = Math.max(0, size - offsetIndex.lastEntry().position());
    }

    /**
     * Sets where the segment.ms age of a reopened segment counts from: as in Kafka, its first batch's timestamp,
     * or {@code nowMs} when that batch has none.
     */
    void loadRollingBaseTime(long nowMs) throws IOException {
        rollingBaseTimeMs = -1;
        if (size > 0) {
            FileBatch first = new FileBatchIterator(channel, 0, size, Integer.MAX_VALUE).nextBatch();
            rollingBaseTimeMs = first != null && first.maxTimestamp() >= 0 ? first.maxTimestamp() : nowMs;
        }
    }

    /** Takes the largest timestamp from the last time index entry plus a scan of the batches not covered by it. */
    private void recomputeMaxTimestamp() throws IOException {
        TimestampOffset last = timeIndex.lastEntry();
        long max = last.timestamp();
        long offsetOfMax = last.offset();
        OffsetPosition from = offsetIndex.lookup(last.offset());
        FileBatchIterator batches = new FileBatchIterator(channel, from.position(), size, Integer.MAX_VALUE);
        for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
            if (batch.maxTimestamp() > max) {
                max = batch.maxTimestamp();
                offsetOfMax = batch.baseOffset();
            }
        }
        maxTimestampSoFar = max;
        offsetOfMaxTimestampSoFar = offsetOfMax;
    }

    private void indexBatch(long batchBaseOffset, long batchMaxTimestamp, int position, int batchSize)
            throws IOException {
        if (batchMaxTimestamp > maxTimestampSoFar) {
            maxTimestampSoFar = batchMaxTimestamp;
            offsetOfMaxTimestampSoFar = batchBaseOffset;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            // A full index only makes lookups scan further; the log rolls before the next append.
            if (!offsetIndex.isFull()) {
                offsetIndex.append(batchBaseOffset, position);
            }
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /** The first batch below {@code maxPosition} whose last offset is at least {@code offset}, or null. */
    private FileBatch batchAtOrAfter(long offset, int maxPosition) throws IOException {
        OffsetPosition from = offsetIndex.lookup(offset);
        FileBatchIterator batches = new FileBatchIterator(channel, from.position(), maxPosition, Integer.MAX_VALUE);
        for (FileBatch batch = batches.nextBatch(); batch != null; batch = batches.nextBatch()) {
            if (batch.lastOffset() >= offset) {
                return batch;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "LogSegment[base=" + baseOffset + ", size=" + size + ", file=" + logFile + "]";
    }
}
