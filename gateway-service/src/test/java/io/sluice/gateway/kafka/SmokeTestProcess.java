package io.sluice.gateway.kafka;

import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Kafka's own Streams smoke test ({@code org.apache.kafka.streams.tests.StreamsSmokeTest} from the kafka-streams 4.3.1
 * test jar) as a process of its own, on the classpath the sluice-streams-smoke module resolves, apart from this test
 * JVM's Kafka 4.4.0 (the test jar is not published for 4.4.0). One process is either the driver, which writes its
 * input and then verifies every output topic, or a processing client of the smoke topology. Its properties go to {@code workDir}, its output (standard output and the Log4j 2 log,
 * {@code streams-smoke-log4j2.properties}) to {@code logFile}, which outlives the test. Every signal goes to the PID
 * this object started.
 */
final class SmokeTestProcess implements AutoCloseable {

    /** The classpath file's path, set by the failsafe configuration of this module's pom. */
    private static final String CLASSPATH_PROPERTY = "sluice.streams.smoke-classpath";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path logFile;

    private SmokeTestProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts a processing client, {@code StreamsSmokeTest <properties> process}, with {@code properties}; does not
     * wait for it.
     */
    static SmokeTestProcess client(String name, Map<String, String> properties, Path workDir, Path logFile) {
        return start(name, "org.apache.kafka.streams.tests.StreamsSmokeTest", properties, workDir, logFile,
                "process");
    }

    /**
     * Starts the driver with an input of {@code keys} keys of {@code recordsPerKey} records each, written over
     * {@code writing} ({@code SmokeTestRun} of the sluice-streams-smoke module: Kafka's {@code run} command fixes the
     * input at 20 keys of 1,000 records over 90 s); does not wait for it.
     */
    static SmokeTestProcess driver(String name, Map<String, String> properties, int keys, int recordsPerKey,
            Duration writing, Path workDir, Path logFile) {
        return start(name, "io.sluice.streams.smoke.SmokeTestRun", properties, workDir, logFile,
                Integer.toString(keys), Integer.toString(recordsPerKey), Long.toString(writing.toSeconds()));
    }

    private static SmokeTestProcess start(String name, String mainClass, Map<String, String> properties,
            Path workDir, Path logFile, String... args) {
        try {
            Path propertiesFile = workDir.resolve(name + ".properties");
            Files.writeString(propertiesFile, new TreeMap<>(properties).entrySet().stream()
                    .map(setting -> setting.getKey() + "=" + setting.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            Files.createDirectories(logFile.getParent());
            Path classpathFile = classpathFile();
            List<String> java = new ArrayList<>();
            java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            java.addAll(SluiceCluster.testJvm("256m"));
            // Temporary files in workDir, which the test removes: a SIGKILLed client leaves behind RocksDB's native
            // library (extracted to java.io.tmpdir) and the state directory TestUtils made before state.dir applied.
            java.add("-Djava.io.tmpdir=" + workDir);
            // The module's own classes (SmokeTestRun) sit beside the classpath file, in target/classes.
            java.addAll(List.of("-cp", Files.readString(classpathFile).strip() + File.pathSeparator
                    + classpathFile.resolveSibling("classes"),
                    "-Dlog4j2.configurationFile=" + Path.of(SmokeTestProcess.class
                            .getResource("/streams-smoke-log4j2.properties").toURI()),
                    mainClass, propertiesFile.toString()));
            java.addAll(List.of(args));
            Process process = new ProcessBuilder(java).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
            return new SmokeTestProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path classpathFile() {
        String file = System.getProperty(CLASSPATH_PROPERTY);
        if (file == null || !Files.isRegularFile(Path.of(file))) {
            throw new IllegalStateException("No Streams smoke test classpath at " + file + " (system property "
                    + CLASSPATH_PROPERTY + "): build sluice-streams-smoke first (./mvnw -pl sluice-streams-smoke "
                    + "install)");
        }
        return Path.of(file);
    }

    /** Waits until the process has printed a line holding {@code text}; fails at once if it ended before. */
    void awaitOutput(String text, Duration timeout) {
        Waits.await("'" + text + "' from " + this, timeout, () -> {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " ended with " + process.exitValue() + " before printing '" + text
                        + "'; see " + logFile);
            }
            return null;
        });
    }

    /** Everything the process has printed so far. */
    String output() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the process to end by itself; returns its exit code. */
    int awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new AssertionError(this + " did not end within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /** SIGKILL: a processing client commits nothing more and leaves its group only when its session times out. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM (a processing client's shutdown hook closes its Streams client), SIGKILL after a grace. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(STOP_GRACE)) {
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(10));
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
