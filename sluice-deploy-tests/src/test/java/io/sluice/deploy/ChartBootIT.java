package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.sluice.testing.RequiredTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.sluice.testing.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The configuration the chart gives each container really brings up a cluster: the release of values/boot.yaml is
 * rendered, and every pod's container is started from the packaged jar with that container's environment
 * ({@link ChartContainers}, {@link LoopbackCluster}). The same running cluster then serves the dashboard and alert
 * check: every metric they query exists in some service's /actuator/prometheus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ChartBootIT {

    private LoopbackCluster cluster;
    private PublicApi api;
    private Path workDir;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void startTheReleaseOnLoopback() throws IOException {
        workDir = Path.of("target", "chart-boot").toAbsolutePath();
        Manifests manifests = Chart.manifests("boot.yaml");
        cluster = LoopbackCluster.start(workDir, ChartContainers.of(manifests, Dockerfile.read()),
                Set.copyOf(ChartContainers.redisHosts(manifests)));
        api = new PublicApi(cluster.of("gateway-service").getFirst().url());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReplicatedTopicTakesAProduceAndARead() {
        assertThat(api.createTopic("chart-boot", 2, 2).status()).isEqualTo(201);

        assertThat(api.produce("chart-boot", 1, "from-the-chart").status()).isEqualTo(200);

        assertThat(api.read("chart-boot", 1).body()).contains("from-the-chart");
    }

    @Test
    void eachPartitionServiceIsTheNodeOfItsPodOrdinal() throws IOException {
        for (LoopbackCluster.Running partition : cluster.of("partition-service")) {
            String ordinal = partition.given().name().substring(partition.given().name().lastIndexOf('-') + 1);

            assertThat(partition.env()).doesNotContainKey("SLUICE_PARTITION_NODEID");
            assertThat(Files.readString(partition.dir().resolve("data/meta.properties")))
                    .contains("node.id=" + ordinal);
        }
    }

    @Test
    void theConsoleShowsTheTopicsOfTheGatewayItIsGiven() {
        api.createTopic("chart-console", 1, 1);

        PublicApi.Answer page = PublicApi.get(cluster.of("admin-ui").getFirst().url().resolve("/topics"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("chart-console");
    }

    @Test
    void theHelmTestPodsScriptPassesAgainstTheRelease() throws Exception {
        RequiredTools.require("curl", "curl"); // the helm test pod's script runs curl
        Pod pod = Chart.testPods(Files.createTempDirectory(workDir, "chart")).getFirst();
        var container = pod.getSpec().getContainers().getFirst();
        List<String> command = new ArrayList<>(container.getCommand());
        command.addAll(container.getArgs());
        Path log = workDir.resolve("helm-test.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        for (var variable : container.getEnv()) {
            builder.environment().put(variable.getName(), cluster.rewrite(variable.getValue(), "helm test"));
        }

        Process process = builder.start();
        boolean finished = process.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }

        assertThat(finished).as("the helm test script finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("and read it back");
    }

    @Test
    void everyMetricOfTheDashboardAndTheAlertRulesExists() {
        api.createTopic("metrics", 2, 2);
        for (int i = 0; i < 5; i++) {
            api.produce("metrics", i % 2, "record-" + i);
        }
        api.readTopic("metrics");
        api.stream("/v1/topics/metrics/records?offset=earliest", Duration.ofSeconds(2));
        // A group with committed offsets, so that the gateways measure its lag.
        api.stream("/v1/groups/dashboard/records?topics=metrics&auto_offset_reset=earliest&auto_commit_interval_ms=500",
                Duration.ofSeconds(3));
        Set<String> queried = new TreeSet<>(MetricNames.inExpressions(Observability.dashboardExpressions()));
        queried.addAll(MetricNames.inExpressions(Observability.alertExpressions()));

        // Some series appear only after their first event or measurement round (group lag: every second here).
        Set<String> missing = new TreeSet<>(queried);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            missing.removeAll(scrapeAll());
            if (!missing.isEmpty()) {
                Waits.sleep(Duration.ofSeconds(1));
            }
        }

        assertThat(missing).as("metrics the dashboard or the alert rules query (%s) that no service offers",
                queried.size()).isEmpty();
        assertThat(queried).contains("sluice_gateway_group_lag_seconds", "sluice_partition_log_size_bytes");
    }

    /**
     * The scale-down hook's script (the pre-upgrade Job) against the release: scaling to one node while node 1 holds
     * replicas that have nowhere else to go (topics of replication factor 2 on two nodes) fails the upgrade after the
     * timeout, with node 1 left decommissioning; scaling back to two lifts that; once those topics are gone, scaling to
     * one drains node 1 and passes; and back to two again. Next to last: it deletes this class's replicated topics.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theScaleDownHookDecommissionsTheNodesLeftOutAndPassesOnlyOnceTheyHoldNoReplica() throws Exception {
        RequiredTools.require("curl", "curl");
        Job job = Chart.withHooks(Files.createTempDirectory(workDir, "chart"), "boot.yaml", Map.of())
                .one(Job.class, "-partition-scale-down");
        api.createTopic("scale-down-pair", 1, 2);

        Hook refused = runScaleDownHook(job, 1, 4);
        assertThat(refused.exit()).as(refused.log()).isEqualTo(1);
        assertThat(refused.log()).contains("decommissioning node 1", "waiting: node_id:1",
                "nodes 1 still hold replicas after 4s: not scaling down");
        assertThat(PublicApi.get(api.gateway().resolve("/v1/decommissions")).body()).contains("\"node_id\":1");

        Hook back = runScaleDownHook(job, 2, 4);
        assertThat(back.exit()).as(back.log()).isZero();
        assertThat(back.log()).contains("node 1 stays (replicas: 2)", "no node leaves (replicas: 2)");
        assertThat(PublicApi.get(api.gateway().resolve("/v1/decommissions")).body()).doesNotContain("node_id");

        for (String topic : List.of("scale-down-pair", "chart-boot", "metrics")) {
            assertThat(api.deleteTopic(topic).status()).as("delete %s", topic).isIn(204, 404);
        }
        Hook drained = runScaleDownHook(job, 1, 90);
        assertThat(drained.exit()).as(drained.log()).isZero();
        assertThat(drained.log()).contains("decommissioning node 1", "nodes 1 hold no replica: they may be removed");
        assertThat(PublicApi.get(api.gateway().resolve("/v1/decommissions")).body())
                .contains("\"node_id\":1", "\"partitions_remaining\":0", "\"safe_to_remove\":true");

        Hook again = runScaleDownHook(job, 2, 4);
        assertThat(again.exit()).as(again.log()).isZero();
        assertThat(PublicApi.get(api.gateway().resolve("/v1/decommissions")).body()).doesNotContain("node_id");
    }

    private record Hook(int exit, String log) {
    }

    /** Runs the Job's script as Kubernetes would, with the replica count {@code keep} and its timeout. */
    private Hook runScaleDownHook(Job job, int keep, int timeoutSeconds) throws Exception {
        var container = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        List<String> command = new ArrayList<>(container.getCommand());
        command.addAll(container.getArgs());
        Path log = Files.createTempFile(workDir, "scale-down", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        for (var variable : container.getEnv()) {
            builder.environment().put(variable.getName(), cluster.rewrite(variable.getValue(), "scale-down hook"));
        }
        builder.environment().put("KEEP", String.valueOf(keep));
        builder.environment().put("TIMEOUT_SECONDS", String.valueOf(timeoutSeconds));
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds + 60L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the scale-down hook did not end: " + Files.readString(log));
        }
        return new Hook(process.exitValue(), Files.readString(log));
    }

    /** Last: it takes a partition service down and up again. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aPartitionServiceStopsWithinItsGracePeriodAndComesBackWithItsDataAndNodeId() throws IOException {
        Manifests manifests = Chart.manifests("boot.yaml");
        long grace = manifests.one(StatefulSet.class, "-partition").getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds();
        assertThat(api.createTopic("restart", 1, 2).status()).isEqualTo(201);
        assertThat(api.produce("restart", 0, "before-the-restart").status()).isEqualTo(200);
        String pod = "sluice-partition-1";
        Path data = cluster.named(pod).dir().resolve("data");
        String identity = Files.readString(data.resolve("meta.properties"));

        Optional<Duration> stopped = cluster.stop(pod, Duration.ofSeconds(grace));
        cluster.restart(pod);

        assertThat(stopped).as("%s exited on SIGTERM within terminationGracePeriodSeconds (%d s)", pod, grace)
                .isPresent();
        assertThat(Files.readString(data.resolve("meta.properties"))).isEqualTo(identity);
        try (Stream<Path> replicas = Files.list(data)) {
            assertThat(replicas.map(p -> p.getFileName().toString())).contains("restart-0");
        }
        assertThat(api.produce("restart", 0, "after-the-restart").status()).isEqualTo(200);
        assertThat(api.read("restart", 0).body()).contains("before-the-restart", "after-the-restart");
    }

    private Set<String> scrapeAll() {
        Set<String> offered = new TreeSet<>();
        for (LoopbackCluster.Running service : cluster.running()) {
            PublicApi.Answer scrape = PublicApi.get(service.managementUrl().resolve("/actuator/prometheus"));
            assertThat(scrape.status()).as("/actuator/prometheus of %s", service.given().name()).isEqualTo(200);
            offered.addAll(MetricNames.inExposition(scrape.body()));
        }
        return offered;
    }
}
