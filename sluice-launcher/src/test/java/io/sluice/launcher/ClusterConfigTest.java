package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterConfigTest {

    private static final Path ROOT = Path.of("/repo");

    @Test
    void defaultsAreThoseOfTheDesign() {
        ClusterConfig config = ClusterConfig.defaults(ROOT);

        assertThat(config.baseDir()).isEqualTo(Path.of("/repo/var"));
        assertThat(config.coordinatorUrl()).hasToString("http://127.0.0.1:9400");
        assertThat(config.redisPort()).isEqualTo(6390);
        assertThat(config.nodeUrl(1)).hasToString("http://127.0.0.1:9501");
        assertThat(config.nodes()).isEqualTo(3);
        assertThat(config.gatewayUrl()).hasToString("http://127.0.0.1:8080");
        assertThat(config.adminUrl()).hasToString("http://127.0.0.1:8088");
        assertThat(config.services()).extracting(ServiceSpec::name)
                .containsExactly("coordinator", "partition-1", "partition-2", "partition-3", "gateway", "admin-ui");
        assertThat(config.services()).extracting(ServiceSpec::port)
                .containsExactly(9400, 9501, 9502, 9503, 8080, 8088);
        assertThat(config.java()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertThat(config.jvmOptions()).contains("-XX:+UseSerialGC", "-Xmx512m");
    }

    @Test
    void servicesGetTheArgumentsOfTheLaunchContract() {
        ClusterConfig config = ClusterConfig.defaults(ROOT);

        assertThat(config.spec("coordinator").orElseThrow().args()).containsExactly("--server.port=9400",
                "--sluice.coordinator.data-dir=/repo/var/coordinator",
                "--sluice.coordinator.redis.embedded-port=6390",
                "--sluice.coordinator.advertised-url=http://127.0.0.1:9400");
        assertThat(config.partition(2).args()).containsExactly("--server.port=9502",
                "--sluice.partition.node-id=2", "--sluice.partition.data-dir=/repo/var/node-2",
                "--sluice.partition.coordinator-urls=http://127.0.0.1:9400",
                "--sluice.partition.advertised-url=http://127.0.0.1:9502",
                "--sluice.partition.kafka.enabled=true");
        assertThat(config.spec("gateway").orElseThrow().args()).containsExactly("--server.port=8080",
                "--sluice.gateway.coordinator-urls=http://127.0.0.1:9400", "--sluice.gateway.kafka.port=9092");
        assertThat(config.spec("gateway").orElseThrow().ports()).containsExactly(8080, 9092);
        assertThat(config.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(config.spec("admin-ui").orElseThrow().args()).containsExactly("--server.port=8088",
                "--sluice.admin-ui.gateway-url=http://127.0.0.1:8080");
        assertThat(config.spec("gateway").orElseThrow().jar())
                .isEqualTo(Path.of("/repo/gateway-service/target/gateway-service-" + BuildInfo.version() + ".jar"));
    }

    /** A route (a test's link proxy) is what the others are told; the service still binds its own port. */
    @Test
    void routesAreGivenToTheOtherServicesWhileEachBindsItsOwnPort() {
        ClusterConfig config = ClusterConfig.defaults(ROOT)
                .withRoute("coordinator", URI.create("http://127.0.0.1:40001"))
                .withRoute("partition-2", URI.create("http://127.0.0.1:40002"))
                .withRoute("gateway", URI.create("http://127.0.0.1:40003"));

        assertThat(config.spec("coordinator").orElseThrow().args()).contains("--server.port=9400",
                "--sluice.coordinator.advertised-url=http://127.0.0.1:40001");
        assertThat(config.partition(2).args()).contains("--server.port=9502",
                "--sluice.partition.coordinator-urls=http://127.0.0.1:40001",
                "--sluice.partition.advertised-url=http://127.0.0.1:40002");
        assertThat(config.partition(1).args()).contains("--sluice.partition.advertised-url=http://127.0.0.1:9501");
        assertThat(config.spec("gateway").orElseThrow().args()).containsExactly("--server.port=8080",
                "--sluice.gateway.coordinator-urls=http://127.0.0.1:40001", "--sluice.gateway.kafka.port=9092");
        assertThat(config.spec("admin-ui").orElseThrow().args()).contains(
                "--sluice.admin-ui.gateway-url=http://127.0.0.1:40003");
        assertThat(config.nodeUrl(2)).as("the test's own address of the node").hasToString("http://127.0.0.1:9502");
        assertThat(config.withNodes(4).routes()).isEqualTo(config.routes());
    }

    @Test
    void settingsOverrideDefaultsAndARelativeBaseDirIsTheCallersOne() {
        ClusterConfig config = ClusterConfig.fromSettings(ROOT, Path.of("/home/me"), Map.of(
                Setting.BASE_DIR, "cluster", Setting.NODES, "5", Setting.PARTITION_PORT, "9601",
                Setting.JVM_OPTS, " -Xmx1g  -XX:+UseZGC ", Setting.READY_TIMEOUT, "90s", Setting.STOP_GRACE, "500ms"));

        assertThat(config.baseDir()).isEqualTo(Path.of("/home/me/cluster"));
        assertThat(config.services()).filteredOn(spec -> spec.kind() == ServiceKind.PARTITION)
                .extracting(ServiceSpec::port).containsExactly(9601, 9602, 9603, 9604, 9605);
        assertThat(config.jvmOptions()).containsExactly("-Xmx1g", "-XX:+UseZGC");
        assertThat(config.readyTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.stopGrace()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void settingsAreReadFromTheEnvironmentIgnoringBlankOnes() {
        assertThat(Setting.fromEnvironment(Map.of("SLUICE_NODES", "1", "SLUICE_GATEWAY_PORT", " ", "HOME", "/x")))
                .containsExactly(Map.entry(Setting.NODES, "1"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "NODES           | -1    | nodes must be between 0 and 99",
            "NODES           | three | not a number: three",
            "GATEWAY_PORT    | 70000 | gateway port must be between 1 and 65535",
            "PARTITION_PORT  | 65535 | last partition port must be between 1 and 65535",
            "READY_TIMEOUT   | soon  | not a duration",
            "READY_TIMEOUT   | 0s    | ready timeout must be positive",
            "DATA_PATH       | both  | not a data path (direct or gateway)",
            "AOT_TRAIN       | yes   | not true or false: yes"})
    void whenASettingIsInvalidShouldNameIt(Setting setting, String value, String problem) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClusterConfig.fromSettings(ROOT, ROOT, Map.of(setting, value)))
                .withMessageContaining(problem)
                .withMessageContaining(setting.environmentVariable() + "/" + setting.option() + "=" + value);
    }

    @Test
    void aNodeBeyondTheConfiguredCountCanStillBeDescribed() {
        ClusterConfig config = ClusterConfig.defaults(ROOT).withNodes(1);

        assertThat(config.spec("partition-4")).map(ServiceSpec::port).contains(9504);
        assertThat(config.spec("partition-0")).isEmpty();
        assertThat(config.spec("broker")).isEmpty();
    }

    @Test
    void withKindsLimitsTheServices() {
        assertThat(ClusterConfig.defaults(ROOT).withKinds(ServiceKind.COORDINATOR).services())
                .extracting(ServiceSpec::name).containsExactly("coordinator");
    }

    @Test
    void freePortsAreDistinctAndFree() {
        ClusterConfig config = ClusterConfig.defaults(ROOT).withFreePorts();

        List<Integer> ports = config.services().stream().flatMap(spec -> spec.ports().stream()).toList();
        assertThat(ports).doesNotHaveDuplicates().allMatch(Ports::isFree).doesNotContain(9400, 9501, 8080, 8088, 9092)
                .contains(config.kafkaPort(), config.redisPort());
    }

    @Test
    void extraArgumentsAreAppendedToEveryInstanceOfAKind() {
        ClusterConfig config = ClusterConfig.defaults(ROOT)
                .withArgs(ServiceKind.PARTITION, "--sluice.partition.replica-lag-time-max=2s");

        assertThat(config.partition(3).args()).last().isEqualTo("--sluice.partition.replica-lag-time-max=2s");
        assertThat(config.spec("coordinator").orElseThrow().args()).noneMatch(arg -> arg.contains("replica-lag"));
    }

    @Test
    void inAPartitionServicesExtraArgumentsTheNodePlaceholderIsItsNodeId() {
        ClusterConfig config = ClusterConfig.defaults(ROOT)
                .withArgs(ServiceKind.PARTITION, "--sluice.partition.rack=rack-" + ClusterConfig.NODE_ID);

        assertThat(config.partition(1).args()).last().isEqualTo("--sluice.partition.rack=rack-1");
        assertThat(config.partition(3).args()).last().isEqualTo("--sluice.partition.rack=rack-3");
    }

    @Test
    void aSecureClustersInternalServersWantACertificateUnlessToldTheirOwnClientAuth() {
        ClusterConfig config = ClusterConfig.defaults(ROOT).withSecure(true)
                .withArgs(ServiceKind.COORDINATOR, "--server.ssl.client-auth=need");

        assertThat(config.spec("coordinator").orElseThrow().args()).filteredOn(arg -> arg.contains("client-auth"))
                .containsExactly("--server.ssl.client-auth=need");
        assertThat(config.partition(1).args()).contains("--server.ssl.client-auth=want")
                .as("the direct data path with security on too").contains("--sluice.partition.kafka.enabled=true");
    }

    @Test
    void onTheGatewayPathNoPartitionServiceRunsAKafkaListener() {
        ClusterConfig config = ClusterConfig.fromSettings(ROOT, ROOT, Map.of(Setting.DATA_PATH, "Gateway"));

        assertThat(config.directDataPath()).isFalse();
        assertThat(config.partition(1).args()).noneMatch(arg -> arg.startsWith("--sluice.partition.kafka."));
        assertThat(ClusterConfig.defaults(ROOT).withDirectDataPath(false).partition(1).args())
                .noneMatch(arg -> arg.startsWith("--sluice.partition.kafka."));
    }
}
