package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM a test starts for a Kafka program that must run as a process of its own (a Connect worker, a Streams instance,
 * Kafka's Streams smoke test), so that the test can SIGKILL it: its standard output and error go to {@code logFile},
 * which outlives the test, and every signal goes to the PID this object started. A program on a Kafka version other
 * than the test's reads its class path from the file a module of its own resolves ({@link #classpath}). Used by the
 * gateway's Kafka tests and, through {@link ConnectWorker}, by the console's browser test.
 */
public final class TestJvm {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final Process process;
    private final Path logFile;

    private TestJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command}, its output to {@code logFile}; does not wait for it. */
    public static TestJvm start(String name, List<String> command, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
            return new TestJvm(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The class path in the file that system property {@code property} names (set by the failsafe configuration of
     * the testing module's pom), which {@code module} resolves when it is built.
     */
    public static String classpath(String property, String module) {
        String file = System.getProperty(property);
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("No class path file at " + file + " (system property " + property
                    + "): build " + module + " first (./mvnw -pl " + module + " install)");
        }
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the process has printed so far. */
    public String output() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the process has printed {@code text}; fails at once if it ended before. */
    public void awaitOutput(String text, Duration timeout) {
        Waits.await("'" + text + "' from " + this, timeout, () -> {
            if (output().contains(text)) {
                return true;
            }
            AssertionError ended = endedBefore("printing '" + text + "'");
            if (ended != null) {
                throw ended;
            }
            return null;
        });
    }

    /** An assertion error if the process ended (naming {@code what} it did not get to), else null: keep waiting. */
    public AssertionError endedBefore(String what) {
        return process.isAlive() ? null
                : new AssertionError(name + " ended with " + process.exitValue() + " before " + what + "; see "
                        + logFile);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new AssertionError(this + " did not end within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /** SIGKILL, and waits for the process to end. */
    public void kill() {
        process.destroyForcibly();
        waitFor(KILL_WAIT);
    }

    /** SIGTERM, so the program's shutdown hooks run; SIGKILL if it has not ended after {@code grace}. */
    public void stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(grace)) {
                kill();
            }
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + logFile + ")";
    }
}
