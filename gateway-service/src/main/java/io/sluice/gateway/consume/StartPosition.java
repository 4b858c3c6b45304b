package io.sluice.gateway.consume;

import io.sluice.gateway.format.Timestamps;
import io.sluice.protocol.ErrorCode;

/**
 * Where a read or stream starts in each partition: an offset, the earliest or latest offset, the first record at or
 * after a time, or the last N records (the offsets N below the high watermark, or the log start if that is later).
 */
record StartPosition(Kind kind, long value) {

    enum Kind { OFFSET, EARLIEST, LATEST, TIMESTAMP, LAST }

    static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, -2);
    static final StartPosition LATEST = new StartPosition(Kind.LATEST, -1);

    static StartPosition offset(long offset) {
        return new StartPosition(Kind.OFFSET, offset);
    }

    /**
     * From the {@code offset} ({@code N|earliest|latest}), {@code timestamp} (ms or ISO-8601) and {@code last}
     * parameters, at most one of which may be given; none is {@code fallback}.
     */
    static StartPosition of(String offset, String timestamp, Integer last, int maxLast, StartPosition fallback) {
        int given = (offset != null ? 1 : 0) + (timestamp != null ? 1 : 0) + (last != null ? 1 : 0);
        if (given > 1) {
            throw ErrorCode.INVALID_REQUEST.exception("Give one of offset, timestamp and last, not several");
        }
        if (timestamp != null) {
            return new StartPosition(Kind.TIMESTAMP, Timestamps.parse(timestamp, "timestamp"));
        }
        if (last != null) {
            if (last < 1 || last > maxLast) {
                throw ErrorCode.INVALID_REQUEST.exception("last must be between 1 and " + maxLast + ", was " + last);
            }
            return new StartPosition(Kind.LAST, last);
        }
        if (offset == null) {
            return fallback;
        }
        return switch (offset) {
            case "earliest" -> EARLIEST;
            case "latest" -> LATEST;
            default -> {
                long value;
                try {
                    value = Long.parseLong(offset);
                } catch (NumberFormatException e) {
                    throw ErrorCode.INVALID_OFFSET.exception("offset must be a number, earliest or latest, was '" + offset + "'");
                }
                if (value < 0) {
                    throw ErrorCode.INVALID_OFFSET.exception("offset must be >= 0, was " + value);
                }
                yield offset(value);
            }
        };
    }
}
