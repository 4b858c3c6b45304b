package io.sluice.gateway.format;

import io.sluice.protocol.ErrorCode;

/**
 * Numeric request parameters, one rule for all: a value outside its documented range is INVALID_REQUEST naming the
 * parameter and the range, never clamped in silence.
 */
public final class Bounds {

    private Bounds() {
    }

    /** {@code value}, or {@code fallback} when it is null; refused outside [{@code min}, {@code max}]. */
    public static long check(String name, Long value, long fallback, long min, long max) {
        if (value == null) {
            return fallback;
        }
        if (value < min || value > max) {
            throw ErrorCode.INVALID_REQUEST.exception(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public static int check(String name, Integer value, int fallback, int min, int max) {
        return (int) check(name, value == null ? null : value.longValue(), fallback, min, max);
    }
}
