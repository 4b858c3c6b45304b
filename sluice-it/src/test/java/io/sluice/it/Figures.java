package io.sluice.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * Measured figures (failover gaps, catch-up times): printed, and appended to {@code target/it-figures.txt} so they
 * survive a quiet build. They are reports, never assertions on speed.
 */
final class Figures {

    private static final Path FILE = Path.of("target", "it-figures.txt");

    private Figures() {
    }

    static void report(String format, Object... args) {
        String line = "[figure] " + String.format(Locale.ROOT, format, args);
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(could not append to " + FILE + ": " + e + ")");
        }
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
