package io.sluice.gateway.kafka;

import io.sluice.testing.SluiceCluster;
import io.sluice.testing.TestJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Kafka's own Streams smoke test ({@code org.apache.kafka.streams.tests.StreamsSmokeTest} from the kafka-streams 4.3.1
 * test jar) as a process of its own ({@link TestJvm}), on the classpath the sluice-streams-smoke module resolves, apart
 * from this test JVM's Kafka 4.4.0 (the test jar is not published for 4.4.0). One process is either the driver, which
 * writes its input and then verifies every output topic, or a processing client of the smoke topology. Its properties
 * and temporary files go to {@code workDir}, its output (standard output and the Log4j 2 log,
 * {@code streams-smoke-log4j2.properties}) to {@code logFile}.
 */
final class SmokeTestProcess implements AutoCloseable {

    /** The classpath file's path, set by the failsafe configuration of this module's pom. */
    private static final String CLASSPATH_PROPERTY = "sluice.streams.smoke-classpath";
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final TestJvm jvm;

    private SmokeTestProcess(TestJvm jvm) {
        this.jvm = jvm;
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
            List<String> java = new ArrayList<>();
            java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            java.addAll(SluiceCluster.testJvm("256m"));
            // Temporary files in workDir, which the test removes: a SIGKILLed client leaves behind RocksDB's native
            // library (extracted to java.io.tmpdir) and the state directory TestUtils made before state.dir applied.
            java.add("-Djava.io.tmpdir=" + workDir);
            // The module's own classes (SmokeTestRun) sit beside its classpath file, in target/classes.
            java.addAll(List.of("-cp", TestJvm.classpath(CLASSPATH_PROPERTY, "sluice-streams-smoke")
                    + File.pathSeparator + Path.of(System.getProperty(CLASSPATH_PROPERTY)).resolveSibling("classes"),
                    // A file (the tests run in this module's directory, from its test jar in gateway-it).
                    "-Dlog4j2.configurationFile="
                            + Path.of("src/test/resources/streams-smoke-log4j2.properties").toAbsolutePath(),
                    mainClass, propertiesFile.toString()));
            java.addAll(List.of(args));
            return new SmokeTestProcess(TestJvm.start(name, java, logFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the process has printed a line holding {@code text}; fails at once if it ended before. */
    void awaitOutput(String text, Duration timeout) {
        jvm.awaitOutput(text, timeout);
    }

    /** Everything the process has printed so far. */
    String output() {
        return jvm.output();
    }

    /** Waits for the process to end by itself; returns its exit code. */
    int awaitExit(Duration timeout) {
        return jvm.awaitExit(timeout);
    }

    /** SIGKILL: a processing client commits nothing more and leaves its group only when its session times out. */
    void kill() {
        jvm.kill();
    }

    /** SIGTERM (a processing client's shutdown hook closes its Streams client), SIGKILL after a grace. */
    @Override
    public void close() {
        jvm.stop(STOP_GRACE);
    }

    @Override
    public String toString() {
        return jvm.toString();
    }
}
