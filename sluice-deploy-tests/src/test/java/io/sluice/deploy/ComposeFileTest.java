package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docker-compose.yml as Compose reads it; that its services boot is ComposeBootIT's part. */
class ComposeFileTest {

    private static final List<String> SLUICE_SERVICES = List.of("coordinator-1", "coordinator-2", "partition-1",
            "partition-2", "partition-3", "gateway", "admin-ui");

    @Test
    void dockerComposeConfigAcceptsTheFileWithEveryProfile() throws Exception {
        Path binary = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "docker-compose")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(binary != null, "docker-compose is not installed (apt-get install -y docker-compose; .ci/run does)");
        for (List<String> profile : List.of(List.<String>of(), List.of("--profile", "observability"))) {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "-f",
                    ComposeFile.path().toString()));
            command.addAll(profile);
            command.addAll(List.of("config", "-q"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("%s:\n%s", String.join(" ", command), output).isZero();
        }
    }

    @Test
    void everySluiceServiceIsBuiltHealthCheckedAndReadOnly() {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();

        for (String name : SLUICE_SERVICES) {
            Map<String, Object> service = services.get(name);
            assertThat(ComposeFile.target(service)).as(name).isIn(LoopbackCluster.TIERS);
            assertThat(ComposeFile.map(service.get("healthcheck")).get("test")).as(name).isNotNull();
            assertThat(service.get("read_only")).as(name).isEqualTo(true);
            assertThat(service.get("tmpfs")).as(name).asString().contains("/tmp");
        }
    }

    @Test
    void servicesWaitForTheHealthOfWhatTheyNeed() {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();

        assertDependsHealthy(services, "coordinator-1", "redis");
        assertDependsHealthy(services, "partition-1", "coordinator-1", "coordinator-2");
        assertDependsHealthy(services, "gateway", "partition-1", "partition-2", "partition-3");
        assertDependsHealthy(services, "admin-ui", "gateway");
    }

    @Test
    @SuppressWarnings("unchecked")
    void redisSyncsItsAppendOnlyFileOnEveryWriteToAVolume() {
        Map<String, Object> redis = ComposeFile.read().services().get("redis");

        assertThat(String.join(" ", (List<String>) redis.get("command"))).contains("--appendonly yes",
                "--appendfsync always");
        assertThat(redis.get("volumes")).asString().contains("redis-data:/data");
    }

    @Test
    void eachPartitionServiceHasItsOwnVolumeAndNodeId() {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();

        for (int node = 1; node <= 3; node++) {
            Map<String, Object> partition = services.get("partition-" + node);
            assertThat(partition.get("volumes")).asString().contains("partition-" + node + "-data:/var/lib/sluice/data");
            assertThat(ComposeFile.map(partition.get("environment")).get("SLUICE_PARTITION_NODEID"))
                    .isEqualTo(String.valueOf(node));
        }
    }

    @Test
    void theObservabilityProfileScrapesEveryServiceAndMountsFilesThatExist() throws Exception {
        Map<String, Map<String, Object>> services = ComposeFile.read().services();
        String prometheus = Files.readString(Repo.root().resolve("deploy/prometheus/prometheus.yml"));

        for (String name : SLUICE_SERVICES) {
            assertThat(prometheus).contains("\"" + name + ":8081\"");
        }
        for (String name : List.of("prometheus", "grafana")) {
            assertThat(services.get(name).get("profiles")).asString().contains("observability");
            for (Object volume : (List<?>) services.get(name).get("volumes")) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(Repo.root().resolve(source)).as("%s mounts %s", name, source).exists();
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertDependsHealthy(Map<String, Map<String, Object>> services, String name,
                                             String... dependencies) {
        Map<String, Object> dependsOn = ComposeFile.map(services.get(name).get("depends_on"));
        for (String dependency : dependencies) {
            assertThat(((Map<String, Object>) dependsOn.get(dependency)).get("condition")).as("%s on %s", name,
                    dependency).isEqualTo("service_healthy");
        }
    }
}
