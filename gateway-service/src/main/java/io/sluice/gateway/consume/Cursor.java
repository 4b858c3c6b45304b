package io.sluice.gateway.consume;

import io.sluice.gateway.format.CursorBytes;
import io.sluice.protocol.ErrorCode;
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
        CursorBytes.Writer out = new CursorBytes.Writer(4 + nextOffsets.size() * 6)
                .varlong(VERSION)
                .varlong(nextOffsets.size());
        nextOffsets.forEach((partition, offset) -> out.varlong(partition).varlong(offset));
        return out.text();
    }

    /** @throws io.sluice.protocol.SluiceException INVALID_REQUEST when {@code text} is not a cursor */
    public static Cursor decode(String text) {
        try {
            CursorBytes.Reader in = new CursorBytes.Reader(text);
            if (in.varlong() != VERSION) {
                throw new IllegalArgumentException("unknown version");
            }
            long count = in.varlong();
            if (count > in.remaining()) {
                throw new IllegalArgumentException("bad count");
            }
            SortedMap<Integer, Long> offsets = new TreeMap<>();
            for (long i = 0; i < count; i++) {
                long partition = in.varlong();
                long offset = in.varlong();
                if (partition > Integer.MAX_VALUE || offset < 0) {
                    throw new IllegalArgumentException("bad entry");
                }
                offsets.put((int) partition, offset);
            }
            in.end();
            return new Cursor(offsets);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Not a stream cursor: '" + text + "'");
        }
    }
}
