package io.sluice.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.testing.CoordinatorProcess;
import io.sluice.testing.Links;
import io.sluice.testing.RedisProcess;
import io.sluice.testing.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * (c) The active coordinator cut off from Redis while a standby still reaches it (issue 47). Two coordinator processes
 * share a redis-server that each reaches through the test's {@link Links}. The active one's link to Redis is first
 * slowed in one direction (Redis's answers reach it 1.5 s late: its lease renewals still succeed, late), then dropped.
 * Its lease expires in Redis a ttl after Redis last renewed it, and the standby takes it then; the active one must have
 * stepped down by that time, so that at no moment do both act as active. Both coordinators' status is sampled every
 * 50 ms throughout (coordinator-b, then coordinator-a); the test asserts that no sample finds both active, and prints
 * when each changed.
 */
class CoordinatorRedisPartitionIT {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final Duration ANSWER_DELAY = Duration.ofMillis(1500);

    @Test
    void anActiveCoordinatorCutOffFromRedisStepsDownBeforeTheStandbyTakesOver() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "clusters").toAbsolutePath()),
                "coordinator-redis-");
        List<AutoCloseable> resources = new ArrayList<>();
        try (Links links = Links.create()) {
            RedisProcess redis = RedisProcess.start(dir.resolve("redis"));
            resources.add(redis);
            String redisUrl = links.proxy("redis", redis.url()).url().toString();
            CoordinatorProcess a = start("coordinator-a", dir, redisUrl, resources).awaitActive(CoordinatorProcess.START_TIMEOUT);
            CoordinatorProcess b = start("coordinator-b", dir, redisUrl, resources).awaitUp(CoordinatorProcess.START_TIMEOUT);
            assertThat(b.isActive()).as("the second coordinator is a standby").isFalse();

            Sampler sampler = new Sampler(a, b);
            Thread sampling = Thread.ofPlatform().name("coordinator-sampler").start(sampler);
            try {
                Waits.sleep(Duration.ofSeconds(1));
                sampler.note("Redis's answers to coordinator-a delayed by " + ANSWER_DELAY.toMillis() + " ms");
                links.delay("redis", a.name(), ANSWER_DELAY);
                Waits.sleep(Duration.ofSeconds(4));
                sampler.note("coordinator-a ↔ redis dropped");
                links.drop(a.name(), "redis");
                Waits.await("coordinator-b to become active", Duration.ofSeconds(60),
                        () -> b.isActive() ? Boolean.TRUE : null);
                Waits.sleep(Duration.ofSeconds(3));
                sampler.note("healed");
                links.healAll();
                Waits.sleep(Duration.ofSeconds(5));
            } finally {
                sampler.stop();
                sampling.join(Duration.ofSeconds(10));
            }
            System.out.print(sampler.report());
            assertThat(sampler.bothActive()).as("samples in which both coordinators answered active:%n%s",
                    sampler.report()).isEmpty();
            assertThat(b.isActive()).as("coordinator-b active at the end").isTrue();
        } finally {
            for (AutoCloseable resource : resources.reversed()) {
                resource.close();
            }
            keepLogs(dir);
            delete(dir);
        }
    }

    private static CoordinatorProcess start(String name, Path dir, String redisUrl, List<AutoCloseable> resources) {
        Map<String, String> properties = new LinkedHashMap<>(CoordinatorProcess.fastClocks());
        properties.put("sluice.coordinator.redis.url", redisUrl);
        properties.put("sluice.coordinator.lease.ttl", TTL.toMillis() + "ms");
        properties.put("sluice.coordinator.lease.renew-interval", "500ms");
        properties.put("sluice.coordinator.data-dir", dir.resolve(name).resolve("data").toString());
        CoordinatorProcess process = CoordinatorProcess.start(name, dir.resolve(name), properties);
        resources.add(process);
        return process;
    }

    /** Both coordinators' status every 50 ms, from the test's own (direct) links. */
    private static final class Sampler implements Runnable {

        private record Sample(long atNanos, Optional<CoordinatorStatus> a, Optional<CoordinatorStatus> b) {

            boolean active(Optional<CoordinatorStatus> status) {
                return status.map(CoordinatorStatus::active).orElse(false);
            }
        }

        private final CoordinatorProcess a;
        private final CoordinatorProcess b;
        private final long start = System.nanoTime();
        private final List<Sample> samples = new ArrayList<>();
        private final List<String> timeline = new ArrayList<>();
        private volatile boolean running = true;
        private String last = "";

        Sampler(CoordinatorProcess a, CoordinatorProcess b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void run() {
            while (running) {
                // The standby first: if it answers active and the old holder answers active after it, both were
                // active at that moment (the reverse order could straddle an honest hand-over).
                Optional<CoordinatorStatus> second = b.status();
                Sample sample = new Sample(System.nanoTime(), a.status(), second);
                String state = describe(sample);
                synchronized (this) {
                    samples.add(sample);
                    if (!state.equals(last)) {
                        timeline.add(line(sample.atNanos(), state));
                        last = state;
                    }
                }
                Waits.sleep(Duration.ofMillis(50));
            }
        }

        private String describe(Sample sample) {
            return "coordinator-a " + describe(sample.a()) + ", coordinator-b " + describe(sample.b());
        }

        private static String describe(Optional<CoordinatorStatus> status) {
            return status.map(s -> (s.active() ? "ACTIVE" : "standby") + " (token " + s.fencingToken() + ")")
                    .orElse("no answer");
        }

        synchronized void note(String event) {
            timeline.add(line(System.nanoTime(), "-- " + event));
        }

        private String line(long atNanos, String text) {
            return String.format(Locale.ROOT, "  t+%6.2f s  %s", (atNanos - start) / 1e9, text);
        }

        void stop() {
            running = false;
        }

        synchronized List<String> bothActive() {
            return samples.stream().filter(s -> s.active(s.a()) && s.active(s.b()))
                    .map(s -> line(s.atNanos(), describe(s))).toList();
        }

        synchronized String report() {
            StringBuilder text = new StringBuilder("[partitions] active coordinator cut off from Redis (lease ttl "
                    + TTL.toMillis() + " ms, renewed every 500 ms), " + samples.size() + " samples\n");
            timeline.forEach(line -> text.append(line).append('\n'));
            long overlap = samples.stream().filter(s -> s.active(s.a()) && s.active(s.b())).count();
            text.append("  samples with both active: ").append(overlap).append('\n');
            return text.toString();
        }
    }

    /** The coordinators' and Redis's logs, kept in {@code target/cluster-logs/coordinator-redis/}. */
    private static void keepLogs(Path dir) {
        Path kept = Path.of("target", "cluster-logs", "coordinator-redis").toAbsolutePath();
        try (Stream<Path> all = Files.walk(dir)) {
            Files.createDirectories(kept);
            for (Path log : all.filter(path -> path.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (Exception e) {
            System.out.println("[partitions] could not keep the logs of " + dir + ": " + e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (Exception e) {
            System.out.println("[partitions] could not delete " + dir + ": " + e);
        }
    }
}
