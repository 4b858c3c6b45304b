package io.sluice.protocol.record;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A heap byte array that grows as bytes are written, with absolute big-endian puts for headers filled in after the
 * body. It is the encoder's scratch space; not thread-safe.
 */
final class GrowableBuffer extends OutputStream {

    private byte[] bytes;
    private int size;

    GrowableBuffer(int initialCapacity) {
        bytes = new byte[Math.max(initialCapacity, 64)];
    }

    int size() {
        return size;
    }

    @Override
    public void write(int b) {
        ensureCapacity(size + 1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        ensureCapacity(size + length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    @Override
    public void write(byte[] src) {
        write(src, 0, src.length);
    }

    /** Advances over {@code length} bytes to be filled in later with the absolute puts. */
    void skip(int length) {
        ensureCapacity(size + length);
        size += length;
    }

    /** A big-endian view of the bytes written so far (no copy). */
    ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(bytes, 0, size).slice().order(ByteOrder.BIG_ENDIAN);
    }

    /** The bytes from {@code from} to the end, as a view (no copy). */
    ByteBuffer slice(int from) {
        return ByteBuffer.wrap(bytes, from, size - from).slice();
    }

    private void ensureCapacity(int needed) {
        if (needed < 0) {
            throw new IllegalStateException("a record batch cannot exceed 2 GiB");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length + (bytes.length >> 1)));
        }
    }
}
