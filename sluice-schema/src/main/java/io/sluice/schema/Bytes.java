package io.sluice.schema;

import java.nio.ByteBuffer;

/** A payload's bytes as an array range, without a copy when the buffer has an accessible array. */
record Bytes(byte[] array, int offset, int length) {

    static Bytes of(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            return new Bytes(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return new Bytes(copy, 0, copy.length);
    }
}
