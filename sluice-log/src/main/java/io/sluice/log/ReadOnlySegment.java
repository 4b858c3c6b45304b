package io.sluice.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A sealed segment's files opened for reading only, wherever they came from: the copy of a segment that tiered
 * storage fetched from remote storage into its cache ({@code <base>.log}, {@code <base>.index},
 * {@code <base>.timeindex} in one directory, named as a log names them). Reads are a log's reads: whole batches,
 * from the one holding the offset, as a region of the file to send with zero copy. Thread-safe, lock-free.
 */
public final class ReadOnlySegment implements Closeable {

    private final LogSegment segment;

    private ReadOnlySegment(LogSegment segment) {
        this.segment = segment;
    }

    /** Opens the segment at {@code baseOffset} in {@code dir}; its files must all be there. */
    public static ReadOnlySegment open(Path dir, long baseOffset) throws IOException {
        for (Path file : new Path[] {LogFileUtils.logFile(dir, baseOffset), LogFileUtils.offsetIndexFile(dir, baseOffset),
                LogFileUtils.timeIndexFile(dir, baseOffset)}) {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
        }
        return new ReadOnlySegment(LogSegment.open(dir, baseOffset, LogConfig.defaults(), LogChannelFactory.DEFAULT,
                false));
    }

    /** The names a segment's files take in a directory, so a copy can be put where {@link #open} finds it. */
    public static Path logFile(Path dir, long baseOffset) {
        return LogFileUtils.logFile(dir, baseOffset);
    }

    public static Path offsetIndexFile(Path dir, long baseOffset) {
        return LogFileUtils.offsetIndexFile(dir, baseOffset);
    }

    public static Path timeIndexFile(Path dir, long baseOffset) {
        return LogFileUtils.timeIndexFile(dir, baseOffset);
    }

    public long baseOffset() {
        return segment.baseOffset();
    }

    public int sizeInBytes() {
        return segment.size();
    }

    /**
     * Whole batches from the one holding {@code offset} (or the first after it), up to {@code maxBytes}, at least
     * one; empty, continuing at {@code orElseNext}, when no batch holds that offset or a later one.
     */
    public Read read(long offset, int maxBytes, long orElseNext) throws IOException {
        LogSegment.Read read = segment.read(offset, maxBytes, segment.size(), true);
        return read == null ? new Read(FileRegion.empty(), orElseNext) : new Read(read.region(), read.nextOffset());
    }

    /** The earliest record at or after {@code startOffset} with a timestamp of at least {@code timestamp}. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp, long startOffset) throws IOException {
        return segment.findOffsetByTimestamp(timestamp, startOffset, segment.size());
    }

    /** Closes the log file; the indexes' mappings go with the garbage collector, as a log's do. Nothing is written. */
    @Override
    public void close() throws IOException {
        segment.channel().close();
    }

    /** The batches read and the offset after the last of them. */
    public record Read(FileRegion region, long nextOffset) {
    }
}
