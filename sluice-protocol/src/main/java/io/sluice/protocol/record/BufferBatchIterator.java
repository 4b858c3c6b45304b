package io.sluice.protocol.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks the record batches laid back to back in a buffer, from its position to its limit, as they arrive in a
 * produce request or a fetch response. Iteration ends cleanly at the first incomplete batch (a torn tail, or a fetch
 * response cut at its byte limit); {@link #validBytes()} then says how many bytes the complete batches took and
 * {@link #hasPartialTail()} whether bytes were left over.
 *
 * <p>A header that cannot belong to any batch (length below the header size, magic other than 2) is corruption,
 * not a partial tail: {@link #hasNext()} throws {@link CorruptRecordException}. The iterator checks headers only;
 * call {@link RecordBatch#ensureValid()} for the CRC. Not thread-safe; the buffer's position is not moved.
 */
public final class BufferBatchIterator implements Iterator<RecordBatch> {

    private final ByteBuffer buffer;
    private int position;
    private RecordBatch next;

    private BufferBatchIterator(ByteBuffer buffer) {
        this.buffer = buffer.slice();
    }

    public static BufferBatchIterator of(ByteBuffer buffer) {
        return new BufferBatchIterator(buffer);
    }

    /** All the complete batches in {@code buffer}, as an Iterable for for-each loops. */
    public static Iterable<RecordBatch> batches(ByteBuffer buffer) {
        return () -> of(buffer);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        int remaining = buffer.limit() - position;
        if (remaining < RecordBatch.LOG_OVERHEAD) {
            return false;
        }
        int size = RecordBatch.sizeAt(buffer, position);
        if (remaining > RecordBatch.MAGIC_OFFSET) {
            RecordBatch.checkMagic(buffer.slice(position, remaining), position);
        }
        if (size > remaining) {
            return false;
        }
        next = RecordBatch.readFrom(buffer.position(position));
        return true;
    }

    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RecordBatch batch = next;
        next = null;
        position += batch.sizeInBytes();
        return batch;
    }

    /** Bytes taken by the batches returned so far: where the next one starts, relative to the buffer's start. */
    public int validBytes() {
        return position;
    }

    /** After iteration: whether bytes that do not form a complete batch remain. */
    public boolean hasPartialTail() {
        return !hasNext() && position < buffer.limit();
    }
}
