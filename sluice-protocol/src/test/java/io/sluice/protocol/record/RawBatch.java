package io.sluice.protocol.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Hand-assembled batches for corruption tests: a header written field by field here (not by the codec under test)
 * around a records section of arbitrary, possibly nonsensical bytes, compressed if asked, with a correct length
 * and CRC so that only the intended damage remains.
 */
final class RawBatch {

    private RawBatch() {
    }

    /** A batch claiming {@code recordCount} records (lastOffsetDelta = count - 1) around {@code records}. */
    static ByteBuffer of(CompressionType compression, int recordCount, byte[] records) {
        return of(compression, recordCount, Math.max(0, recordCount - 1), compress(compression, records));
    }

    /** A batch around an already-compressed (or deliberately broken) records section. */
    static ByteBuffer of(CompressionType compression, int recordCount, int lastOffsetDelta, byte[] section) {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + section.length);
        batch.putLong(0, 100L);
        batch.putInt(8, batch.capacity() - RecordBatch.LOG_OVERHEAD);
        batch.putInt(12, 5);
        batch.put(16, RecordBatch.MAGIC);
        batch.putShort(21, (short) compression.id());
        batch.putInt(23, lastOffsetDelta);
        batch.putLong(27, 1_000L);
        batch.putLong(35, 1_000L);
        batch.putLong(43, RecordBatch.NO_PRODUCER_ID);
        batch.putShort(51, RecordBatch.NO_PRODUCER_EPOCH);
        batch.putInt(53, RecordBatch.NO_SEQUENCE);
        batch.putInt(57, recordCount);
        batch.put(RecordBatch.HEADER_SIZE, section);
        return fixCrc(batch);
    }

    /** Rewrites the CRC of the batch that fills {@code batch}, so damage behind it passes the CRC check. */
    static ByteBuffer fixCrc(ByteBuffer batch) {
        batch.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.checksumOf(batch));
        return batch;
    }

    /** The records section of an encoded batch: compressed as it sits in the batch. */
    static byte[] section(ByteBuffer batch) {
        byte[] section = new byte[batch.remaining() - RecordBatch.HEADER_SIZE];
        batch.get(batch.position() + RecordBatch.HEADER_SIZE, section);
        return section;
    }

    static byte[] compress(CompressionType compression, byte[] records) {
        GrowableBuffer out = new GrowableBuffer(records.length + 64);
        try (OutputStream stream = compression.compressing(out)) {
            stream.write(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer bytes = out.asByteBuffer();
        byte[] compressed = new byte[bytes.remaining()];
        bytes.get(compressed);
        return compressed;
    }

    /** Writes record fields as raw varints and bytes, valid or not; {@link #record} prefixes a body with its length. */
    static final class Bytes {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes varint(int value) {
            return unsigned(Integer.toUnsignedLong((value << 1) ^ (value >> 31)));
        }

        Bytes varlong(long value) {
            return unsigned((value << 1) ^ (value >> 63));
        }

        private Bytes unsigned(long zigzag) {
            long v = zigzag;
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        /** A length-prefixed byte string (length -1 for null). */
        Bytes bytes(byte[] bytes) {
            if (bytes == null) {
                return varint(-1);
            }
            varint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        Bytes raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        /** Appends {@code body} as one record: its length varint, then its bytes. */
        Bytes record(Bytes body) {
            byte[] bytes = body.toByteArray();
            varint(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    static Bytes bytes() {
        return new Bytes();
    }

    /** A well-formed record body: attributes, zero deltas, key, value and no headers. */
    static Bytes recordBody(int offsetDelta, byte[] key, byte[] value) {
        return bytes().raw(0).varlong(0).varint(offsetDelta).bytes(key).bytes(value).varint(0);
    }
}
