package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Runs {@code command} with {@code input} on its stdin, for at most {@code timeout}; it is killed after, and when
     * the calling thread is interrupted. Its output goes to a temporary file, so a command that never ends cannot
     * hold the caller past the timeout.
     */
    public static Run run(List<String> command, String input, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("command-", ".out");
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(output.toFile()).start();
            try {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
                process.getOutputStream().close();
                boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Run(ended, ended ? process.exitValue() : -1, Files.readString(output));
            } finally {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file: left to the system's cleaning
            }
        }
    }
}
