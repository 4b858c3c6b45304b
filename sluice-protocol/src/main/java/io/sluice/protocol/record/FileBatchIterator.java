package io.sluice.protocol.record;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the batches in a region of a file by reading only their 61-byte headers (one positioned read per batch),
 * the way a segment is scanned for recovery or for the byte position of an offset. Stops cleanly, returning null,
 * at the region's end or at a batch that does not fit in what is left of it (a torn tail); then
 * {@link #position()} is the end of the last complete batch.
 *
 * <p>A header that cannot be a batch (impossible length, a batch larger than {@code maxBatchSize}, magic other
 * than 2) throws {@link CorruptRecordException} naming the file position. Reads use positioned I/O and do not
 * move the channel's position, so several iterators may share a channel. An iterator itself is not thread-safe.
 */
public final class FileBatchIterator {

    private final FileChannel channel;
    private final long end;
    private final int maxBatchSize;
    private final ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
    private long position;

    /**
     * @param start        file position of the first batch
     * @param end          file position where the region ends (exclusive)
     * @param maxBatchSize the largest batch believed; a longer length field is treated as corruption
     */
    public FileBatchIterator(FileChannel channel, long start, long end, int maxBatchSize) {
        this.channel = channel;
        this.position = start;
        this.end = end;
        this.maxBatchSize = maxBatchSize;
    }

    /** The next complete batch, or null at the end of the region or at a partial batch. */
    public FileBatch nextBatch() throws IOException {
        long remaining = end - position;
        if (remaining < RecordBatch.HEADER_SIZE) {
            return null;
        }
        header.clear();
        readFully(channel, header, position);
        header.flip();
        int size = RecordBatch.sizeAt(header, 0, position);
        if (size > maxBatchSize) {
            throw new CorruptRecordException("Record batch at file position " + position + " claims " + size
                    + " bytes, more than the maximum " + maxBatchSize);
        }
        RecordBatch.checkMagic(header, position);
        if (size > remaining) {
            return null;
        }
        FileBatch batch = FileBatch.fromHeader(channel, position, header);
        position += size;
        return batch;
    }

    /** The file position after the last batch returned. */
    public long position() {
        return position;
    }

    static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int read = channel.read(into, at);
            if (read < 0) {
                throw new EOFException("file ends at position " + at + ", inside a batch");
            }
            at += read;
        }
    }
}
