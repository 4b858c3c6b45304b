package io.sluice.bench.load;

import java.util.Locale;

/**
 * One machine-readable summary line: {@code RESULT mode=produce key=value ...}, space separated, keys in the order they
 * were added. Values never contain spaces (they are replaced by '_'); a missing number is written as {@code nan}.
 */
final class ResultLine {

    private final StringBuilder text = new StringBuilder("RESULT");

    ResultLine(String mode) {
        add("mode", mode);
    }

    ResultLine add(String key, String value) {
        text.append(' ').append(key).append('=').append(value == null || value.isEmpty() ? "-" : value.replace(' ', '_'));
        return this;
    }

    ResultLine add(String key, long value) {
        return add(key, Long.toString(value));
    }

    ResultLine add(String key, double value, int decimals) {
        return add(key, Double.isNaN(value) || Double.isInfinite(value) ? "nan"
                : String.format(Locale.ROOT, "%." + decimals + "f", value));
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
