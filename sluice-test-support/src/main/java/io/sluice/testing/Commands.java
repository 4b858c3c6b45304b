package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command-line tool run to its end by a test (kcat, say): its stdin given, its stdout kept, its stderr shown. */
public final class Commands {

    private Commands() {
    }

    /** How a run ended: whether it did within the time given, its exit code (-1 if not), and what it printed. */
    public record Run(boolean ended, int exitCode, String out) {
    }

    /** Runs {@code command} with {@code input} on its stdin, for at most {@code timeout}; it is killed after. */
    public static Run run(List<String> command, String input, Duration timeout) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().close();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Run(ended, ended ? process.exitValue() : -1, out);
            } finally {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
