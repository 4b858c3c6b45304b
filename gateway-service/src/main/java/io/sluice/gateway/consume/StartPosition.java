package io.sluice.gateway.consume;

import io.sluice.protocol.ErrorCode;

/** Where a read or stream starts: an offset, the earliest or latest offset, or the first record at or after a time. */
record StartPosition(Kind kind, long value) {

    public enum Kind { OFFSET, EARLIEST, LATEST, TIMESTAMP }

    public static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, -2);
    public static final StartPosition LATEST = new StartPosition(Kind.LATEST, -1);

    /** From the {@code offset} ({@code N|earliest|latest}) and {@code timestamp} parameters; at most one of them. */
    public static StartPosition of(String offset, Long timestamp, StartPosition fallback) {
        if (offset != null && timestamp != null) {
            throw ErrorCode.INVALID_REQUEST.exception("Give offset or timestamp, not both");
        }
        if (timestamp != null) {
            if (timestamp < 0) {
                throw ErrorCode.INVALID_TIMESTAMP.exception("timestamp must be >= 0 (ms since the epoch), was " + timestamp);
            }
            return new StartPosition(Kind.TIMESTAMP, timestamp);
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
                yield new StartPosition(Kind.OFFSET, value);
            }
        };
    }
}
