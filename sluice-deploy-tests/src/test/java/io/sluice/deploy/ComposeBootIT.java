package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The configuration docker-compose.yml gives each container really brings up a cluster: every service built from
 * the Dockerfile is started from its packaged jar with the image's ENV and the service's environment
 * ({@link ComposeFile}, {@link LoopbackCluster}); the images' HEALTHCHECK probe is run against each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ComposeBootIT {

    private LoopbackCluster cluster;
    private PublicApi api;
    private Path workDir;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void startTheComposeServicesOnLoopback() throws IOException {
        workDir = Path.of("target", "compose-boot").toAbsolutePath();
        ComposeFile compose = ComposeFile.read();
        cluster = LoopbackCluster.start(workDir, compose.containers(Dockerfile.read()), compose.redisHosts());
        api = new PublicApi(cluster.named("gateway").url());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTopicReplicatedOnAllThreeNodesTakesAProduceAndARead() {
        assertThat(api.createTopic("compose-boot", 3, 3).status()).isEqualTo(201);

        assertThat(api.produce("compose-boot", 2, "from-compose").status()).isEqualTo(200);

        assertThat(api.read("compose-boot", 2).body()).contains("from-compose");
    }

    @Test
    void eachPartitionServiceKeepsTheNodeIdItIsGiven() throws IOException {
        for (int node = 1; node <= 3; node++) {
            assertThat(Files.readString(cluster.named("partition-" + node).dir().resolve("data/meta.properties")))
                    .contains("node.id=" + node);
        }
    }

    @Test
    void bothCoordinatorsRunOneActiveOneStandby() {
        List<String> statuses = new ArrayList<>();
        for (LoopbackCluster.Running coordinator : cluster.of("coordinator-service")) {
            statuses.add(PublicApi.get(coordinator.managementUrl().resolve("/actuator/prometheus")).body().lines()
                    .filter(line -> line.startsWith("sluice_coordinator_active")).findFirst().orElse("absent"));
        }

        assertThat(statuses).hasSize(2).anyMatch(line -> line.endsWith(" 1.0")).anyMatch(line -> line.endsWith(" 0.0"));
    }

    @Test
    void theConsoleShowsTheTopicsOfTheGatewayItIsGiven() {
        api.createTopic("compose-console", 1, 1);

        PublicApi.Answer page = PublicApi.get(cluster.named("admin-ui").url().resolve("/topics"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("compose-console");
    }

    @Test
    void theHealthcheckPassesInEveryContainerAndFailsWhereNothingAnswers() throws Exception {
        Path classes = compileHealthProbe();
        List<String> healthcheck = healthcheckCommand();
        for (LoopbackCluster.Running container : cluster.running()) {
            assertThat(probe(classes, healthcheck, container.env())).as("healthcheck of %s", container.given().name())
                    .isZero();
        }
        LoopbackCluster.Running any = cluster.running().getFirst();
        Map<String, String> nobody = new HashMap<>(any.env());
        nobody.put("MANAGEMENT_SERVER_PORT", "1");

        assertThat(probe(classes, healthcheck, nobody)).isEqualTo(1);
    }

    /** The compose healthcheck's command: CMD, then java and its arguments. */
    @SuppressWarnings("unchecked")
    private static List<String> healthcheckCommand() {
        Map<String, Object> gateway = ComposeFile.read().services().get("gateway");
        List<String> test = (List<String>) ComposeFile.map(gateway.get("healthcheck")).get("test");
        assertThat(test.getFirst()).isEqualTo("CMD");
        return test.subList(1, test.size());
    }

    private int probe(Path classes, List<String> healthcheck, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(healthcheck);
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.set(command.indexOf("/opt/sluice/probe"), classes.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    /** deploy/docker/HealthProbe.java compiled as the Dockerfile compiles it (javac --release 21). */
    private Path compileHealthProbe() throws IOException {
        Path classes = Files.createDirectories(workDir.resolve("probe"));
        int result = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21", "-d",
                classes.toString(), Repo.root().resolve("deploy/docker/HealthProbe.java").toString());
        assertThat(result).as("javac HealthProbe.java").isZero();
        return classes;
    }
}
