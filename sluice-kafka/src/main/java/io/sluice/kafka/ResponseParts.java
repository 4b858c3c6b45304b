package io.sluice.kafka;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;

/**
 * A {@link Writable} that a generated message class writes itself into as a list of buffers rather than one: the
 * message's own fields go into small buffers of their own, through kafka-clients' {@link ByteBufferAccessor} (so every
 * primitive and varint is kafka-clients' encoding), while a byte buffer of at least {@value #SHARED_FROM} bytes — a
 * Fetch answer's record batches, which {@code Writable.writeRecords} hands on as the records' buffer — is not copied
 * but becomes a part of its own, a view of the caller's buffer. Laid end to end the parts are exactly what the message
 * writes into one buffer.
 *
 * <p>Why: a Fetch answer is mostly record batches, and copying them into one buffer of the whole answer cost a copy
 * of every fetched byte (and a buffer the size of the answer) on the gateway's event loop.
 *
 * <p>Not thread-safe; one per answer. The shared parts read the caller's buffers: those must stay untouched until the
 * parts are written.
 */
final class ResponseParts implements Writable {

    /** Byte buffers from this size on are shared, not copied; smaller ones cost less to copy than a part costs. */
    static final int SHARED_FROM = 1024;
    /** The size of the buffers the message's own fields are written into. */
    private static final int CHUNK = 8192;
    /** The most bytes one primitive or varint takes (a varlong). */
    private static final int LONGEST_PRIMITIVE = 10;

    /** Byte buffers, and the payloads of {@link ExternalRecords}. */
    private final List<Object> parts = new ArrayList<>();
    private final int size;
    private int written;
    private ByteBuffer chunk;
    private ByteBufferAccessor accessor;

    /** For a message of {@code size} bytes, as its {@code size()} computed them. */
    ResponseParts(int size) {
        this.size = size;
    }

    /** The parts, in order, each ready to read; their bytes add up to {@code size}. */
    ByteBuffer[] parts() {
        List<Object> all = mixedParts();
        ByteBuffer[] buffers = new ByteBuffer[all.size()];
        for (int i = 0; i < buffers.length; i++) {
            if (!(all.get(i) instanceof ByteBuffer buffer)) {
                throw new IllegalStateException("The message holds external records; encode it mixed");
            }
            buffers[i] = buffer;
        }
        return buffers;
    }

    /** The parts, in order: byte buffers ready to read, and in their places the payloads of external records. */
    List<Object> mixedParts() {
        finishChunk();
        if (written != size) {
            throw new IllegalStateException("The message wrote " + written + " bytes where its size was " + size);
        }
        return List.copyOf(parts);
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof ExternalRecords external) {
            if (external.sizeInBytes() > 0) {
                finishChunk();
                parts.add(external.payload());
                written += external.sizeInBytes();
            }
            return;
        }
        Writable.super.writeRecords(records);
    }

    @Override
    public void writeByte(byte value) {
        room(1).writeByte(value);
        written += 1;
    }

    @Override
    public void writeShort(short value) {
        room(2).writeShort(value);
        written += 2;
    }

    @Override
    public void writeInt(int value) {
        room(4).writeInt(value);
        written += 4;
    }

    @Override
    public void writeLong(long value) {
        room(8).writeLong(value);
        written += 8;
    }

    @Override
    public void writeDouble(double value) {
        room(8).writeDouble(value);
        written += 8;
    }

    @Override
    public void writeUnsignedVarint(int value) {
        int before = position(LONGEST_PRIMITIVE);
        accessor.writeUnsignedVarint(value);
        written += chunk.position() - before;
    }

    @Override
    public void writeVarint(int value) {
        int before = position(LONGEST_PRIMITIVE);
        accessor.writeVarint(value);
        written += chunk.position() - before;
    }

    @Override
    public void writeVarlong(long value) {
        int before = position(LONGEST_PRIMITIVE);
        accessor.writeVarlong(value);
        written += chunk.position() - before;
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        writeByteBuffer(ByteBuffer.wrap(bytes));
    }

    @Override
    public void writeByteBuffer(ByteBuffer buffer) {
        int length = buffer.remaining();
        if (length >= SHARED_FROM) {
            finishChunk();
            parts.add(buffer.duplicate());
            written += length;
            return;
        }
        room(length).writeByteBuffer(buffer.duplicate());
        written += length;
    }

    /** The accessor of a chunk with at least {@code bytes} free, started anew when the current one has not. */
    private ByteBufferAccessor room(int bytes) {
        if (chunk == null || chunk.remaining() < bytes) {
            finishChunk();
            chunk = ByteBuffer.allocate(Math.max(bytes, Math.min(CHUNK, size - written)));
            accessor = new ByteBufferAccessor(chunk);
        }
        return accessor;
    }

    /** The current chunk's position once it has room for {@code bytes} (a varint's length is known once written). */
    private int position(int bytes) {
        room(bytes);
        return chunk.position();
    }

    private void finishChunk() {
        if (chunk != null && chunk.position() > 0) {
            parts.add(chunk.flip());
        }
        chunk = null;
        accessor = null;
    }
}
