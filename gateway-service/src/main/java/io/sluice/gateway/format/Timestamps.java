package io.sluice.gateway.format;

import io.sluice.protocol.ErrorCode;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Timestamps as clients write them: milliseconds since the epoch ({@code 1767225600000}) or an ISO-8601 instant with
 * its offset ({@code 2026-01-01T00:00:00Z}, {@code 2026-01-01T01:00:00+01:00}). A time without an offset is refused:
 * the gateway does not guess a zone.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** {@code text} as ms since the epoch; INVALID_TIMESTAMP naming {@code what} when it is neither form or negative. */
    public static long parse(String text, String what) {
        long millis;
        if (!text.isEmpty() && text.chars().allMatch(c -> c == '-' || Character.isDigit(c))) {
            try {
                millis = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw invalid(what, text);
            }
        } else {
            try {
                millis = Instant.parse(text).toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                throw invalid(what, text);
            }
        }
        if (millis < 0) {
            throw invalid(what, text);
        }
        return millis;
    }

    private static RuntimeException invalid(String what, String text) {
        return ErrorCode.INVALID_TIMESTAMP.exception(what + " must be milliseconds since the epoch (>= 0) or an "
                + "ISO-8601 instant with an offset such as 2026-01-01T00:00:00Z, was '" + text + "'");
    }
}
