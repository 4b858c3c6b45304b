package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kafka's own Streams smoke test (kafka-streams 4.3.1's test jar, see {@link SmokeTestProcess}) against the gateway's
 * Kafka listener, run much as Kafka's system test {@code streams_smoke_test.py} runs it: its driver writes keyed numbers
 * to {@code data} (and {@code fk}) while processing clients, each a JVM of its own, run the smoke topology — windowed
 * and suppressed aggregations, a table-table foreign-key join, repartitions, changelogs and standbys — and one client is
 * SIGKILLed and replaced mid-run. The driver then reads every output topic read_committed and prints its own verdict;
 * the test asserts that verdict. Three things differ from the system test: to fit the build's time, the driver's input
 * is smaller and the killed client has a running peer rather than being the only one; and the driver verifies only
 * once the clients have processed all it wrote ({@code SmokeTestRun}), since its check that every transaction finished
 * races with commits of clients still working through their input, as they may be on a loaded two-core machine. Every
 * process is stopped by its PID; their output stays in {@code target/cluster-logs/KafkaStreamsSmokeIT/}.
 */
@ExtendWith(SharedGatewayCluster.class)
class KafkaStreamsSmokeIT {

    private static final String NAME = "KafkaStreamsSmokeIT";
    /** The driver's input and output topics, whose names the smoke test fixes. */
    private static final List<String> TOPICS = List.of("data", "fk", "echo", "max", "min", "min-suppressed",
            "min-raw", "dif", "sum", "sws-raw", "sws-suppressed", "cnt", "avg", "tagg");
    /** The driver's input: 3,000 records written over 20 s (Kafka's system test: 20,000 over 90 s). */
    private static final int KEYS = 10;
    private static final int RECORDS_PER_KEY = 300;
    private static final Duration WRITING = Duration.ofSeconds(20);
    private static final String RUNNING = "REBALANCING -> RUNNING";
    private static final String PROCESSED = "processed";

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        cluster = shared;
    }

    /**
     * The driver's topics, empty: it verifies all it reads from their start, so each run gets them anew (deleted if
     * an earlier run made them, then created).
     */
    @BeforeEach
    void createTheDriversTopicsAnew() {
        for (String topic : TOPICS) {
            GatewayCluster.Response deleted = cluster.call("DELETE", "/v1/topics/" + topic, null, null);
            assertThat(deleted.status()).as("delete %s: %s", topic, deleted.text()).isIn(204, 404);
            cluster.createTopic(topic, 3, 3, Map.of());
        }
    }

    /**
     * The guarantees the smoke test runs with: {@code exactly_once_v2} by default, whose run checks all an
     * {@code at_least_once} run does and that each input is processed once;
     * {@code -Dsluice.streams.smoke.guarantees=at_least_once,exactly_once_v2} runs both (45 s more).
     */
    static List<String> guarantees() {
        return List.of(System.getProperty("sluice.streams.smoke.guarantees", "exactly_once_v2").split(","));
    }

    /**
     * With either guarantee, a processing client SIGKILLed while the driver writes: the driver verifies every output
     * and prints SUCCESS. At least once may process some records twice after a crash, which the driver also reports
     * (PROCESSED-MORE-THAN-GENERATED) before its verdict; exactly once may not.
     */
    @ParameterizedTest
    @MethodSource("guarantees")
    void theSmokeTestDriverVerifiesEveryOutputAcrossAClientKilledMidRun(String guarantee, @TempDir Path work) {
        List<String> report = runWithAClientKilled(guarantee, work);
        assertThat(report).as("the driver's report").contains("SUCCESS").doesNotContain("FAILURE");
        if (guarantee.equals("exactly_once_v2")) {
            assertThat(report).as("the driver's report").contains("ALL-RECORDS-DELIVERED")
                    .doesNotContain("PROCESSED-MORE-THAN-GENERATED", "PROCESSED-LESS-THAN-GENERATED");
        }
    }

    /**
     * Runs the driver with two processing clients, the first SIGKILLed once both process and while the driver still
     * writes, a third started in its place; returns the lines of the driver's report after its
     * "Result Verification" heading (the counts, the delivery summary, the verdict).
     */
    private static List<String> runWithAClientKilled(String guarantee, Path work) {
        Path logs = Path.of("target", "cluster-logs", NAME).toAbsolutePath();
        Map<String, String> clientProperties = Map.ofEntries(
                Map.entry("bootstrap.servers", cluster.kafkaBootstrap()),
                Map.entry("processing.guarantee", guarantee),
                Map.entry("application.id", "SmokeTest-" + guarantee),
                Map.entry("num.stream.threads", "1"),
                Map.entry("replication.factor", "3"),
                Map.entry("num.standby.replicas", "1"),
                Map.entry("buffered.records.per.partition", "100"),
                Map.entry("commit.interval.ms", "1000"),
                Map.entry("auto.offset.reset", "earliest"),
                Map.entry("acks", "all"),
                Map.entry("acceptable.recovery.lag", Long.toString(Long.MAX_VALUE)),
                // A killed client's tasks move once its session ends: 6 s (Kafka's system test: 10 s).
                Map.entry("session.timeout.ms", "6000"));
        List<SmokeTestProcess> processes = new ArrayList<>();
        try {
            SmokeTestProcess first = client(processes, guarantee + "-client-1", clientProperties, work, logs);
            SmokeTestProcess second = client(processes, guarantee + "-client-2", clientProperties, work, logs);
            first.awaitOutput(RUNNING, Duration.ofSeconds(60));
            second.awaitOutput(RUNNING, Duration.ofSeconds(60));
            // With the application id, the driver verifies once the clients have caught up (SmokeTestRun).
            SmokeTestProcess driver = SmokeTestProcess.driver(guarantee + "-driver", Map.of("bootstrap.servers",
                    cluster.kafkaBootstrap(), "processing.guarantee", guarantee, "application.id",
                    "SmokeTest-" + guarantee), KEYS, RECORDS_PER_KEY, WRITING, work,
                    logs.resolve(guarantee + "-driver.log"));
            processes.add(driver);
            first.awaitOutput(PROCESSED, Duration.ofSeconds(60));
            second.awaitOutput(PROCESSED, Duration.ofSeconds(60));
            first.kill();
            assertThat(driver.output()).as("the driver's output when the first client was killed (the kill came "
                    + "while it wrote)").doesNotContain(" " + KEYS * RECORDS_PER_KEY + " records produced");
            // The third joins while the second holds all tasks; Streams may give it standbys only.
            SmokeTestProcess third = client(processes, guarantee + "-client-3", clientProperties, work, logs);
            third.awaitOutput(RUNNING, Duration.ofSeconds(60));
            assertThat(driver.awaitExit(Duration.ofMinutes(8))).as("the driver's exit code").isZero();
            List<String> lines = driver.output().lines().toList();
            assertThat(lines).as("the driver's output (%s)", driver).contains("Result Verification");
            List<String> report = lines.subList(lines.indexOf("Result Verification") + 1, lines.size());
            System.out.println("[figure] " + guarantee + " smoke test, " + KEYS * RECORDS_PER_KEY + " records over "
                    + WRITING.toSeconds() + " s, a client SIGKILLed: " + report.stream()
                    .filter(line -> line.matches("record\\w+=\\d+|[A-Z][A-Z-]+")).toList() + ", "
                    + lines.stream().filter(line -> line.startsWith("Verification time=")).findFirst().orElse(""));
            return report;
        } finally {
            processes.reversed().forEach(SmokeTestProcess::close);
        }
    }

    /** Starts a processing client with a state directory of its own. */
    private static SmokeTestProcess client(List<SmokeTestProcess> processes, String name,
            Map<String, String> properties, Path work, Path logs) {
        Map<String, String> withState = new HashMap<>(properties);
        withState.put("state.dir", work.resolve(name).toString());
        SmokeTestProcess process = SmokeTestProcess.client(name, withState, work, logs.resolve(name + ".log"));
        processes.add(process);
        return process;
    }
}
