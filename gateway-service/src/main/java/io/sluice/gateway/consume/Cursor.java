package io.sluice.gateway.consume;

import io.sluice.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a stream is: for each partition, the next offset to deliver. It is the SSE event id of every record event,
 * so a client that reconnects with {@code Last-Event-ID} (or {@code ?cursor=}) resumes right after the last record it
 * received, with no gap and no duplicate.
 *
 * <p>Compact encoding: base64url (no padding) of a version byte (1), the entry count, then per entry the partition
 * and the offset, all as unsigned LEB128 varints. Three partitions at six-digit offsets take about 16 characters.
 */
public record Cursor(SortedMap<Integer, Long> nextOffsets) {

    private static final int VERSION = 1;

    public Cursor {
        nextOffsets = Collections.unmodifiableSortedMap(new TreeMap<>(nextOffsets));
    }

    public static Cursor of(Map<Integer, Long> nextOffsets) {
        return new Cursor(new TreeMap<>(nextOffsets));
    }

    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + nextOffsets.size() * 6);
        writeVarlong(out, VERSION);
        writeVarlong(out, nextOffsets.size());
        nextOffsets.forEach((partition, offset) -> {
            writeVarlong(out, partition);
            writeVarlong(out, offset);
        });
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /** @throws io.sluice.protocol.SluiceException INVALID_REQUEST when {@code text} is not a cursor */
    public static Cursor decode(String text) {
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text.trim()));
            if (readVarlong(in) != VERSION) {
                throw new IllegalArgumentException("unknown version");
            }
            long count = readVarlong(in);
            if (count > in.remaining()) {
                throw new IllegalArgumentException("bad count");
            }
            SortedMap<Integer, Long> offsets = new TreeMap<>();
            for (long i = 0; i < count; i++) {
                long partition = readVarlong(in);
                long offset = readVarlong(in);
                if (partition > Integer.MAX_VALUE || offset < 0) {
                    throw new IllegalArgumentException("bad entry");
                }
                offsets.put((int) partition, offset);
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new Cursor(offsets);
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Not a stream cursor: '" + text + "'");
        }
    }

    private static void writeVarlong(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarlong(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
