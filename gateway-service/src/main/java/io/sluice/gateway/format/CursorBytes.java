package io.sluice.gateway.format;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The byte layout every opaque cursor the gateway hands out shares: unsigned varlongs (7 bits a byte, low bits first)
 * and length-prefixed UTF-8 strings, as URL-safe base64 without padding. The cursors themselves (a stream's, a group
 * member's) decide what they write; this only writes and reads it.
 */
public final class CursorBytes {

    private CursorBytes() {
    }

    /** Builds a cursor's text. */
    public static final class Writer {

        private final ByteArrayOutputStream out;

        public Writer(int expectedBytes) {
            out = new ByteArrayOutputStream(expectedBytes);
        }

        public Writer varlong(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        public Writer string(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            varlong(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        public String text() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
        }
    }

    /**
     * Reads a cursor's text. Every malformation — not base64, too short, a varlong of more than 64 bits, a length
     * past the end — is an {@link IllegalArgumentException}, for the cursor to turn into its own problem.
     */
    public static final class Reader {

        private final ByteBuffer in;

        public Reader(String text) {
            in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text.trim()));
        }

        public long varlong() {
            try {
                long value = 0;
                for (int shift = 0; shift < 64; shift += 7) {
                    byte b = in.get();
                    value |= (long) (b & 0x7F) << shift;
                    if ((b & 0x80) == 0) {
                        return value;
                    }
                }
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("ends early");
            }
            throw new IllegalArgumentException("varint too long");
        }

        public String string() {
            long length = varlong();
            if (length > in.remaining()) {
                throw new IllegalArgumentException("bad length");
            }
            byte[] bytes = new byte[(int) length];
            in.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** Bytes left: a count read from the cursor larger than this cannot be true. */
        public int remaining() {
            return in.remaining();
        }

        /** Fails unless every byte was read. */
        public void end() {
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes");
            }
        }
    }
}
