package io.sluice.protocol.record;

import java.nio.ByteBuffer;

/**
 * Protocol Buffers style variable-length integers with zig-zag sign encoding, as Kafka's record format uses them
 * for record lengths, deltas, key/value/header sizes (varint: at most 5 bytes; varlong: at most 10 bytes).
 *
 * <p>Readers throw {@link CorruptRecordException} (never an unchecked buffer exception) when the bytes end early or
 * a value runs past its maximum width, so a corrupt batch is reported as such.
 */
final class Varints {

    private Varints() {
    }

    static int readVarint(ByteBuffer buffer) {
        int raw = 0;
        int shift = 0;
        for (int i = 0; i < 5; i++) {
            if (!buffer.hasRemaining()) {
                throw new CorruptRecordException("has a varint that ends early");
            }
            byte b = buffer.get();
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            shift += 7;
        }
        throw new CorruptRecordException("has a varint longer than 5 bytes");
    }

    static long readVarlong(ByteBuffer buffer) {
        long raw = 0;
        int shift = 0;
        for (int i = 0; i < 10; i++) {
            if (!buffer.hasRemaining()) {
                throw new CorruptRecordException("has a varlong that ends early");
            }
            byte b = buffer.get();
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
            shift += 7;
        }
        throw new CorruptRecordException("has a varlong longer than 10 bytes");
    }

    static void writeVarint(int value, GrowableBuffer out) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    static void writeVarlong(long value, GrowableBuffer out) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0L) {
            out.write(((int) v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        // Each byte carries 7 bits: 1 + floor((significant bits - 1) / 7), with 0 taking one byte.
        int bits = 32 - Integer.numberOfLeadingZeros(v | 1);
        return (bits + 6) / 7;
    }

    static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bits = 64 - Long.numberOfLeadingZeros(v | 1);
        return (bits + 6) / 7;
    }
}
