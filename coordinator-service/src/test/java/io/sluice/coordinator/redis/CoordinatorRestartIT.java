package io.sluice.coordinator.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.coordinator.testing.TestNodes;
import io.sluice.coordinator.testing.TestPorts;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.testing.BlockingCoordinator;
import io.sluice.testing.CoordinatorProcess;
import io.sluice.testing.RedisProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost across crashes (Redis with {@code appendfsync always}, docs/coordinator.md): not when
 * the coordinator and its embedded Redis are killed and started again on the same data directory, not when an
 * external Redis is killed under a running coordinator and restarted on its directory. The build's
 * coordinator-redis7-tests module repeats the external case on Debian's redis-server ({@link TestRedis#installedBinary}),
 * the Redis 7 that deployments run; the embedded case is the embedded binary's and is skipped there.
 */
class CoordinatorRestartIT {

    /** Nodes must not expire while a test restarts things: their heartbeats stop reaching a killed coordinator. */
    private static final Map<String, String> CLOCKS = withLongSessions();

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Long> redisPids = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        for (long pid : redisPids) {
            ProcessHandle.of(pid).ifPresent(orphan -> {
                orphan.destroyForcibly();
                orphan.onExit().join();
            });
        }
    }

    @Test
    void whenACoordinatorWithEmbeddedRedisIsKilledTheNextStartStopsTheOrphanedRedisAndHasAllMetadata() throws Exception {
        assumeTrue(TestRedis.installedBinary().isEmpty(), "the coordinator's own embedded redis-server is under test");
        Path dataDir = dir.resolve("data");
        Map<String, String> embedded = new LinkedHashMap<>(CLOCKS);
        embedded.put("sluice.coordinator.data-dir", dataDir.toString());
        embedded.put("sluice.coordinator.redis.embedded-port", Integer.toString(TestPorts.freePort()));
        CoordinatorProcess first = started(CoordinatorProcess.start("embedded-first", dir, embedded))
                .awaitActive(CoordinatorProcess.START_TIMEOUT);
        long orphan = redisPid(dataDir);
        List<TopicMetadata> written = writeTopics(first.url(), "kept");
        long version = first.status().orElseThrow().metadataVersion();

        first.kill();
        assertThat(isAlive(orphan)).as("its redis-server outlives a SIGKILL").isTrue();

        CoordinatorProcess second = started(CoordinatorProcess.start("embedded-second", dir, embedded))
                .awaitActive(CoordinatorProcess.START_TIMEOUT);

        assertThat(isAlive(orphan)).as("the orphan was stopped").isFalse();
        long restarted = redisPid(dataDir);
        assertThat(restarted).isNotEqualTo(orphan);
        assertThat(second.status().orElseThrow().metadataVersion()).isEqualTo(version);
        try (BlockingCoordinator client = new BlockingCoordinator(List.of(second.url()), Duration.ofSeconds(30))) {
            assertThat(client.topics()).isEqualTo(written);
        }
        second.stop();
        assertThat(isAlive(restarted)).as("an orderly stop stops the embedded redis-server too").isFalse();
    }

    @Test
    void whenTheExternalRedisIsKilledAndRestartedTheCoordinatorReconnectsWithEveryAcknowledgedChange() throws Exception {
        RedisProcess redis = RedisProcess.start(dir.resolve("redis"), TestRedis.installedBinary().orElse(null));
        resources.add(redis);
        TestRedis.requireVersion(redis.toString(), TestRedis.version(redis.url()));
        Map<String, String> external = new LinkedHashMap<>(CLOCKS);
        external.put("sluice.coordinator.redis.url", redis.url().toString());
        external.put("sluice.coordinator.data-dir", dir.resolve("coordinator").toString());
        CoordinatorProcess coordinator = started(CoordinatorProcess.start("external-redis", dir, external))
                .awaitActive(CoordinatorProcess.START_TIMEOUT);
        List<TopicMetadata> acknowledged = writeTopics(coordinator.url(), "durable");

        redis.kill();
        await("the coordinator to step down without Redis").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> !coordinator.isActive());
        redis.restart();

        coordinator.awaitActive(CoordinatorProcess.START_TIMEOUT);
        try (BlockingCoordinator client = new BlockingCoordinator(List.of(coordinator.url()), Duration.ofSeconds(30))) {
            assertThat(client.topics()).isEqualTo(acknowledged);
            client.createTopic("after-restart", 1, 1, Map.of());
            assertThat(client.topics()).hasSize(acknowledged.size() + 1);
        }
    }

    /** A node and a few topics, each acknowledged; returns the topics as the coordinator lists them. */
    private List<TopicMetadata> writeTopics(URI coordinator, String prefix) {
        TestNodes nodes = new TestNodes(coordinator, Duration.ofMillis(300));
        resources.add(nodes);
        nodes.start(1);
        try (BlockingCoordinator client = new BlockingCoordinator(List.of(coordinator), Duration.ofSeconds(30))) {
            for (int i = 0; i < 4; i++) {
                client.createTopic(prefix + "-" + i, 2, 1, Map.of("retention.ms", "6000" + i));
            }
            client.setConfigs(prefix + "-0", Map.of("segment.ms", "60000"));
            return client.topics();
        }
    }

    private long redisPid(Path dataDir) throws Exception {
        long pid = Long.parseLong(Files.readString(dataDir.resolve("redis").resolve("redis.pid")).trim());
        redisPids.add(pid);
        return pid;
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private CoordinatorProcess started(CoordinatorProcess process) {
        resources.add(process);
        return process;
    }

    private static Map<String, String> withLongSessions() {
        Map<String, String> clocks = CoordinatorProcess.fastClocks();
        clocks.put("sluice.coordinator.session-timeout", "60s");
        return clocks;
    }
}
