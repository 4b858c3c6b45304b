package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Bounds;
import io.sluice.gateway.format.Formats;
import io.sluice.protocol.ErrorCode;

/**
 * A read's parameters, checked together before anything is looked up (so a malformed read is a 400 whatever the
 * topic): where to start ({@code offset} | {@code timestamp} | {@code last}, or a {@code cursor} to resume from),
 * how much to answer ({@code max_records}, {@code max_bytes}), how long to wait for a first record
 * ({@code wait_ms}), whether to clamp an offset outside the log, and the formats.
 *
 * @param resume null unless resuming from a cursor
 */
record ReadRequest(StartPosition start, Cursor resume, int maxRecords, int maxBytes, long waitMs, boolean clamp,
                   Formats formats) {

    /** The most bytes one read may fetch per partition (max_bytes). */
    static final int MAX_BYTES = 64 * 1024 * 1024;

    static ReadRequest of(GatewayProperties.Consume settings, StartPosition fallback, String offset, String timestamp,
                          Integer last, String cursor, Integer maxRecords, Integer maxBytes, Long waitMs,
                          Boolean clamp, Formats formats) {
        int records = Bounds.check("max_records", maxRecords, settings.defaultMaxRecords(), 1, settings.maxMaxRecords());
        int bytes = Bounds.check("max_bytes", maxBytes, (int) settings.defaultMaxBytes().toBytes(), 1, MAX_BYTES);
        long wait = Bounds.check("wait_ms", waitMs, 0, 0, settings.maxWait().toMillis());
        StartPosition start = StartPosition.of(offset, timestamp, last, settings.maxMaxRecords(), fallback);
        return new ReadRequest(start, resume(cursor, null, offset, timestamp, last), records, bytes, wait,
                clamp != null && clamp, formats);
    }

    /**
     * The position to resume from: {@code Last-Event-ID} (which a browser sets on reconnecting, so it is always the
     * newest), else {@code cursor}; null when neither. A cursor with a start position is refused: which one was meant?
     */
    static Cursor resume(String cursor, String lastEventId, String offset, String timestamp, Integer last) {
        if (cursor != null && (offset != null || timestamp != null || last != null)) {
            throw ErrorCode.INVALID_REQUEST.exception("Give cursor or one of offset, timestamp and last, not both");
        }
        String text = lastEventId != null && !lastEventId.isBlank() ? lastEventId : cursor;
        return text == null || text.isBlank() ? null : Cursor.decode(text);
    }
}
