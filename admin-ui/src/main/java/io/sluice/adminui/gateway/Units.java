package io.sluice.adminui.gateway;

import java.util.Locale;

/** Sizes and rates as the console prints them: binary units, three significant figures, a dash for unknown. */
final class Units {

    static final String UNKNOWN = "—";
    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** {@code 1536} → "1.50 KiB"; null → "—". */
    public static String bytes(Long bytes) {
        if (bytes == null) {
            return UNKNOWN;
        }
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : figures(value) + " " + BYTE_UNITS[unit];
    }

    /** A count with thousands separators; null → "—". */
    public static String count(Long count) {
        return count == null ? UNKNOWN : String.format(Locale.ROOT, "%,d", count);
    }

    /** Records per second: "0", "3.40", "12.5", "1,234". */
    public static String perSecond(double rate) {
        return rate == 0 ? "0" : rate >= 1000 ? String.format(Locale.ROOT, "%,.0f", rate) : figures(rate);
    }

    /** Bytes per second in binary units: "1.50 KiB/s". */
    public static String bytesPerSecond(double rate) {
        return bytes(Math.round(rate)) + "/s";
    }

    /** Seconds in words: "2 h 5 min", "3 min 20 s", "45 s"; null → "—". */
    public static String duration(Long seconds) {
        if (seconds == null) {
            return UNKNOWN;
        }
        long s = Math.max(0, seconds);
        return s >= 3600 ? s / 3600 + " h " + s % 3600 / 60 + " min"
                : s >= 60 ? s / 60 + " min " + s % 60 + " s"
                : s + " s";
    }

    private static String figures(double value) {
        double magnitude = Math.abs(value);
        return String.format(Locale.ROOT, magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f", value);
    }
}
