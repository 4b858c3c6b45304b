package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Length-prefixed ({@code int16}) UTF-8 strings of the internal binary bodies. */
final class WireStrings {

    private WireStrings() {
    }

    static String read(ByteBuffer in) {
        int length = in.getShort();
        if (length < 0 || length > in.remaining()) {
            throw ErrorCode.INVALID_REQUEST.exception("String of " + length + " bytes with " + in.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static int size(String value) {
        return 2 + value.getBytes(StandardCharsets.UTF_8).length;
    }

    static void write(ByteBuffer out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.putShort((short) bytes.length).put(bytes);
    }
}
