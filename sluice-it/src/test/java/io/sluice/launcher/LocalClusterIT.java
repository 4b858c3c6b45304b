package io.sluice.launcher;

import static io.sluice.launcher.LocalCluster.COORDINATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher against real processes: the coordinator jar built earlier in the reactor (this test lives in sluice-it,
 * which runs after every service module), on free loopback ports in a temporary base directory, and a
 * {@code sleep} standing in for an unrelated process that reused a PID.
 */
class LocalClusterIT {

    @TempDir
    Path baseDir;

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private ClusterConfig config;

    @BeforeEach
    void coordinatorOnlyOnFreePorts() {
        Path root = RepoRoot.find(Path.of("")).orElseThrow();
        Path jar = ServiceKind.COORDINATOR.jar(root);
        if (!Files.isRegularFile(jar)) {
            fail(jar + " is missing; build it first: ./mvnw -pl coordinator-service -am package -DskipTests");
        }
        config = ClusterConfig.defaults(root)
                .withKinds(ServiceKind.COORDINATOR)
                .withBaseDir(baseDir)
                .withFreePorts()
                .withStopGrace(Duration.ofSeconds(20));
    }

    @Test
    void upStartsTheCoordinatorOnceAndDownStopsItWithItsRedis() {
        LocalCluster cluster = new LocalCluster(config, reports::add).stopOnJvmExit();
        try {
            List<ServiceProcess> started = cluster.up();

            assertThat(started).extracting(ServiceProcess::name).containsExactly(COORDINATOR);
            ServiceProcess coordinator = started.getFirst();
            List<ProcessHandle> redis = ProcessHandle.of(coordinator.pid()).orElseThrow().descendants().toList();
            assertThat(redis).as("the coordinator's embedded redis-server").isNotEmpty();

            // A later invocation (a new object) finds the coordinator through its pid file.
            LocalCluster later = new LocalCluster(config, reports::add);
            ClusterStatus status = later.status();
            assertThat(status.service(COORDINATOR)).get().satisfies(row -> {
                assertThat(row.state()).isEqualTo(ServiceStatus.State.READY);
                assertThat(row.pid()).hasValue(coordinator.pid());
                assertThat(row.port()).isEqualTo(config.coordinatorPort());
            });
            // Ready is not yet active: until the coordinator holds its lease, the internal API answers 503.
            assertThat(awaitMetadata(later)).isEqualTo(new MetadataSummary(0, 0, List.of(), 0, 0, 0));
            assertThat(status.isUp()).isTrue();

            assertThat(later.up()).as("a second up starts nothing").isEmpty();
            assertThat(reports).contains("The cluster in " + baseDir + " was already running; started nothing.");

            later.down();

            assertThat(coordinator.isAlive()).isFalse();
            assertThat(redis).noneMatch(ProcessHandle::isAlive);
            assertThat(Ports.isFree(config.coordinatorPort())).isTrue();
            assertThat(Ports.isFree(config.redisPort())).isTrue();
            assertThat(config.runDir().resolve("coordinator.pid")).doesNotExist();
            assertThat(later.status().isDown()).isTrue();
            assertThat(cluster.logFile(COORDINATOR)).content().contains("starting coordinator", "Started")
                    .as("the JVM took the start-up cache, when there is one (JDK 25 and later)")
                    .doesNotContain("[error][aot]");
        } finally {
            cluster.down();
        }
    }

    /**
     * A SIGKILLed coordinator leaves its embedded redis-server running on the Redis port. Starting it again — from the
     * same launcher, or from a later invocation that never saw it run ({@code bin/sluice up} after a crash) — stops
     * that redis-server first, instead of refusing the port as taken by another cluster.
     */
    @Test
    void aKilledCoordinatorStartsAgainThoughItsRedisServerOutlivedIt() {
        try (LocalCluster cluster = new LocalCluster(config, reports::add).stopOnJvmExit()) {
            ServiceProcess first = cluster.start(COORDINATOR);
            List<ProcessHandle> firstRedis = ProcessHandle.of(first.pid()).orElseThrow().descendants().toList();
            cluster.kill(COORDINATOR);
            assertThat(firstRedis).as("the redis-server outlives its coordinator").allMatch(ProcessHandle::isAlive);
            assertThat(Ports.isFree(config.redisPort())).isFalse();

            ServiceProcess second = cluster.start(COORDINATOR);

            assertThat(firstRedis).noneMatch(ProcessHandle::isAlive);
            List<ProcessHandle> secondRedis = ProcessHandle.of(second.pid()).orElseThrow().descendants().toList();
            cluster.kill(COORDINATOR);

            LocalCluster later = new LocalCluster(config, reports::add).stopOnJvmExit();
            try {
                assertThat(later.up()).extracting(ServiceProcess::name).containsExactly(COORDINATOR);
                assertThat(secondRedis).noneMatch(ProcessHandle::isAlive);
                assertThat(awaitMetadata(later)).isNotNull();
                assertThat(reports).anyMatch(line -> line.contains("stopping the redis-server"));
            } finally {
                later.down();
            }
        }
    }

    private static MetadataSummary awaitMetadata(LocalCluster cluster) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<MetadataSummary> metadata = cluster.status().metadata();
        while (metadata.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            metadata = cluster.status().metadata();
        }
        return metadata.orElseThrow(() -> new AssertionError("the coordinator served no metadata within 30 s"));
    }

    @Test
    void aPausedServiceDoesNotAnswerUntilResumedAndStillStops() {
        ServiceProcess coordinator;
        try (LocalCluster cluster = new LocalCluster(config, reports::add).stopOnJvmExit()) {
            coordinator = cluster.start(COORDINATOR);

            cluster.pause(COORDINATOR);

            assertThat(coordinator.readiness()).isEqualTo(Readiness.NO_ANSWER);
            assertThat(cluster.status().service(COORDINATOR)).map(ServiceStatus::state)
                    .contains(ServiceStatus.State.NO_ANSWER);

            cluster.resume(COORDINATOR);

            coordinator.awaitReady(Duration.ofSeconds(60));
            cluster.pause(COORDINATOR);
        }
        // close() stopped it although it was paused: SIGTERM is acted on once SIGCONT follows.
        assertThat(coordinator.isAlive()).isFalse();
        assertThat(coordinator.exitCode()).as("graceful exit on SIGTERM").contains(143);
    }

    @Test
    void downNeverSignalsAProcessThatReusedThePidOfAPidFile() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "120").start();
        try {
            Files.createDirectories(config.runDir());
            Files.writeString(config.runDir().resolve("coordinator.pid"), unrelated.pid() + "\n");
            LocalCluster cluster = new LocalCluster(config, reports::add);

            assertThat(cluster.status().service(COORDINATOR)).get().satisfies(row -> {
                assertThat(row.state()).isEqualTo(ServiceStatus.State.STOPPED);
                assertThat(row.detail()).contains("is now another process", "sleep 120");
            });

            cluster.down();

            assertThat(unrelated.isAlive()).isTrue();
            assertThat(config.runDir().resolve("coordinator.pid")).doesNotExist();
            assertThat(reports).anyMatch(line -> line.contains("signalled nothing"));
        } finally {
            unrelated.destroyForcibly().waitFor();
        }
    }
}
