package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed ({@code int16}) UTF-8 strings of the internal binary bodies, and the checks every decoder makes.
 * Writing a string longer than 32,767 UTF-8 bytes is a bug of the writer (topic names are at most 249 characters,
 * messages are cut by their writers).
 */
public final class WireStrings {

    private WireStrings() {
    }

    public static String read(ByteBuffer in) {
        int length = in.getShort();
        if (length < 0 || length > in.remaining()) {
            throw ErrorCode.INVALID_REQUEST.exception("String of " + length + " bytes with " + in.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static int size(String value) {
        return 2 + value.getBytes(StandardCharsets.UTF_8).length;
    }

    public static void write(ByteBuffer out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length).put(bytes);
    }

    /**
     * A declared count of entries, checked against the bytes left ({@code minEntrySize} each at least), so that a
     * corrupt count cannot make a decoder allocate for millions of entries.
     */
    public static int count(ByteBuffer in, int minEntrySize, String what) {
        int count = in.getInt();
        if (count < 0 || count > in.remaining() / minEntrySize) {
            throw ErrorCode.INVALID_REQUEST.exception(what + " declares " + count + " entries in " + in.remaining()
                    + " bytes");
        }
        return count;
    }

    /** Fails when a decoder has not consumed the whole body. */
    public static void requireEnd(ByteBuffer in, String what) {
        if (in.hasRemaining()) {
            throw ErrorCode.INVALID_REQUEST.exception(what + " has " + in.remaining() + " bytes after its last entry");
        }
    }
}
