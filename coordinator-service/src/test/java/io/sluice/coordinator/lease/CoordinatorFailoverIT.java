package io.sluice.coordinator.lease;

import static io.sluice.coordinator.testing.CoordinatorApi.topicRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.sync.RedisCommands;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.FreshRedis;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.client.MetadataWatcher;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.testing.BlockingCoordinator;
import io.sluice.testing.CoordinatorProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two coordinator processes on one Redis (docs/coordinator.md, "High availability"): exactly one holds the lease and
 * answers, the other redirects to it; when the active one dies or loses its lease the other takes over with all
 * metadata, and a coordinator that lost its lease can no longer write (its fencing token is refused inside Redis). A
 * {@link MetadataWatcher} following both throughout sees every version exactly once, in order: nothing lost, nothing
 * written twice.
 *
 * <p>The tests of the pair share its two processes and three test nodes (a coordinator start costs tens of seconds on
 * a loaded machine, and each test started two): they run in order, each finding whichever coordinator is active at
 * its start, and the last kills it. The lone coordinator's test runs first, before the pair exists: a second
 * coordinator on the Redis would be a standby.
 */
@ExtendWith(FreshRedis.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatorFailoverIT {

    private static final Map<String, String> CLOCKS = CoordinatorProcess.fastClocks();

    @TempDir
    static Path dir;

    /** Closed after each test. */
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** The pair and its nodes, closed after the class. */
    private final List<AutoCloseable> pairResources = new ArrayList<>();
    private CoordinatorProcess first;
    private CoordinatorProcess second;

    @AfterEach
    void stopThisTestsResources() throws Exception {
        closeAll(resources);
    }

    @AfterAll
    void stopThePair() throws Exception {
        closeAll(pairResources);
    }

    @Test
    @Order(1)
    void whenAnotherHolderTakesTheLeaseTheOldActivesNextWriteIsFencedAndChangesNothing() throws Exception {
        // Renewals every 5 s leave the old holder a wide window between losing the lease and noticing it, wider than
        // the stalls of a loaded CI machine (a 1 s window was overrun: the holder renewed first and stepped down).
        Map<String, String> slowRenewal = onTestRedis(CLOCKS);
        slowRenewal.put("sluice.coordinator.lease.ttl", "12s");
        slowRenewal.put("sluice.coordinator.lease.renew-interval", "5s");
        CoordinatorProcess coordinator = CoordinatorProcess.start("lone", dir, slowRenewal);
        resources.add(coordinator);
        coordinator.awaitActive(CoordinatorProcess.START_TIMEOUT);
        TestNodes nodes = new TestNodes(List.of(coordinator.url()), Duration.ofMillis(300));
        resources.add(nodes);
        nodes.start(1);
        try (BlockingCoordinator client = client(coordinator.url())) {
            client.createTopic("before", 1, 1, Map.of());
        }
        String versionBefore = redis().get(RedisKeys.METADATA_VERSION);

        awaitRenewal();
        redis().psetex(RedisKeys.LEASE, 12_000, "another-coordinator");
        redis().incr(RedisKeys.FENCING_TOKEN);
        HttpResponse<String> fenced = postWithoutFollowing(coordinator.url(), "/internal/topics",
                SluiceJson.mapper().writeValueAsString(topicRequest("after-losing-the-lease", 1, 1, Map.of())));

        assertThat(fenced.statusCode()).as(fenced.body()).isEqualTo(409);
        assertThat(fenced.body()).contains("\"error_code\":\"FENCED_COORDINATOR\"");
        assertThat(redis().hexists(RedisKeys.TOPICS, "after-losing-the-lease")).isFalse();
        assertThat(redis().get(RedisKeys.METADATA_VERSION)).isEqualTo(versionBefore);
        assertThat(coordinator.status().orElseThrow().active()).as("steps down on the fenced write").isFalse();
    }

    @Test
    @Order(2)
    void whenTwoCoordinatorsShareOneRedisExactlyOneIsActiveAndTheStandbyRedirectsToIt() throws Exception {
        Pair pair = pair();

        assertThat(pair.standby().status().orElseThrow())
                .returns(false, CoordinatorStatus::active)
                .returns(pair.active().url().toString(), CoordinatorStatus::activeUrl)
                .returns(null, CoordinatorStatus::fencingToken);
        assertThat(pair.active().status().orElseThrow().fencingToken())
                .isEqualTo(Long.parseLong(redis().get(RedisKeys.FENCING_TOKEN)));
        HttpResponse<String> redirected = postWithoutFollowing(pair.standby().url(), "/internal/topics?x=1", "{}");
        assertThat(redirected.statusCode()).isEqualTo(307);
        assertThat(redirected.headers().firstValue("Location"))
                .contains(pair.active().url().resolve("/internal/topics?x=1").toString());

        try (BlockingCoordinator standbyFirst = client(pair.standby().url(), pair.active().url());
             BlockingCoordinator activeFirst = client(pair.active().url(), pair.standby().url())) {
            standbyFirst.createTopic("via-standby", 3, 3, Map.of());
            activeFirst.createTopic("via-active", 3, 3, Map.of());

            assertThat(topicNames(standbyFirst)).containsExactly("via-active", "via-standby");
            assertThat(topicNames(activeFirst)).containsExactly("via-active", "via-standby");
        }
    }

    @Test
    @Order(3)
    void whenTheLeaseKeyIsDeletedTheActiveStepsDownUnderItsOldTokenAndNoWriteIsLostOrSplit() throws Exception {
        Pair pair = pair();
        BlockingCoordinator client = client(pair.active().url(), pair.standby().url());
        client.createTopic("before", 1, 3, Map.of());
        Set<String> topicsBefore = Set.copyOf(redis().hkeys(RedisKeys.TOPICS));
        Follower follower = follow(client);
        CoordinatorStatus active = pair.active().status().orElseThrow();
        assertThat(active.active()).as("still active: the lease outlasts a loaded machine's stalls").isTrue();
        long oldToken = active.fencingToken();
        long baseline = active.metadataVersion();
        follower.awaitVersion(baseline);
        Writer writer = new Writer(client);
        Thread writing = Thread.ofPlatform().name("test-writer").start(writer);
        resources.add(() -> {
            writer.stop();
            writing.join();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged.size() >= 5);

        redis().del(RedisKeys.LEASE);

        await("a coordinator active under a new token").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> Stream.of(pair.active(), pair.standby()).anyMatch(c -> activeWithNewerToken(c, oldToken)));
        // The old holder may answer as active until its next renewal finds the lease gone; its writes are fenced
        // meanwhile (the refusals below), and it steps down at that renewal.
        await("nobody still active under the old token").atMost(Duration.ofSeconds(30))
                .until(() -> Stream.of(pair.active(), pair.standby())
                        .noneMatch(c -> c.status().map(s -> s.active() && s.fencingToken() == oldToken).orElse(false)));
        int acknowledgedAtTakeover = writer.acknowledged.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.acknowledged.size() >= acknowledgedAtTakeover + 5);
        writer.stop();
        writing.join();

        System.out.printf("Lease deleted: %d writes acknowledged, refused: %s%n", writer.acknowledged.size(), writer.refused);
        assertThat(writer.refused.keySet()).as("refusals are 'not the active coordinator', never a lost write")
                .isSubsetOf(ErrorCode.FENCED_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE,
                        ErrorCode.NOT_ACTIVE_COORDINATOR);
        long end = Long.parseLong(redis().get(RedisKeys.METADATA_VERSION));
        assertThat(end).as("one version per acknowledged write, none lost or doubled")
                .isEqualTo(baseline + writer.acknowledged.size());
        assertThat(redis().hkeys(RedisKeys.TOPICS)).containsExactlyInAnyOrderElementsOf(
                Stream.concat(topicsBefore.stream(), writer.acknowledged.stream()).toList());
        MetadataView last = follower.awaitVersion(end);
        follower.assertEveryVersionOnceInOrder();
        assertThat(last.metadata().topics()).isEqualTo(topics(client));
    }

    @Test
    @Order(4)
    void whenTheActiveCoordinatorIsKilledTheStandbyTakesOverWithEveryTopicAndWritesContinue() throws Exception {
        Pair pair = pair();
        BlockingCoordinator client = client(pair.active().url(), pair.standby().url());
        for (int i = 0; i < 5; i++) {
            client.createTopic("before-" + i, 2, 3, Map.of());
        }
        Follower follower = follow(client);
        List<TopicMetadata> before = topics(client);
        CoordinatorStatus active = pair.active().status().orElseThrow();
        assertThat(active.active()).as("still active: the lease outlasts a loaded machine's stalls").isTrue();
        long oldToken = active.fencingToken();
        follower.awaitVersion(active.metadataVersion());

        long killedAt = System.nanoTime();
        pair.active().kill();
        CoordinatorStatus now = await("the standby to take over").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> pair.standby().status().orElse(null), s -> s != null && s.active());
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("Coordinator takeover after SIGKILL of the active: %d ms (lease ttl %s, renew %s)%n",
                takeover.toMillis(), CLOCKS.get("sluice.coordinator.lease.ttl"),
                CLOCKS.get("sluice.coordinator.lease.renew-interval"));

        assertThat(now.fencingToken()).isGreaterThan(oldToken);
        assertThat(topics(client)).isEqualTo(before);
        for (int i = 0; i < 3; i++) {
            client.createTopic("after-" + i, 2, 3, Map.of());
        }
        long end = pair.standby().status().orElseThrow().metadataVersion();
        MetadataView last = follower.awaitVersion(end);
        follower.assertEveryVersionOnceInOrder();
        assertThat(last.metadata().topics()).isEqualTo(topics(client)).hasSize(before.size() + 3);
    }

    private record Pair(CoordinatorProcess active, CoordinatorProcess standby) {
    }

    /**
     * The pair as it is now: on first use two coordinators started together on an emptied Redis, with test nodes 1 to
     * 3 heartbeating to them; returns once exactly one is active and the other knows which.
     */
    private Pair pair() {
        if (first == null) {
            TestRedis.shared().flush();
            Map<String, String> withRedis = onTestRedis(CLOCKS);
            first = CoordinatorProcess.start("coordinator-a", dir, withRedis);
            pairResources.add(first);
            second = CoordinatorProcess.start("coordinator-b", dir, withRedis);
            pairResources.add(second);
            first.awaitUp(CoordinatorProcess.START_TIMEOUT);
            second.awaitUp(CoordinatorProcess.START_TIMEOUT);
            TestNodes nodes = new TestNodes(List.of(first.url(), second.url()), Duration.ofMillis(300));
            pairResources.add(nodes);
            nodes.start(1, 2, 3);
        }
        await("exactly one active coordinator, named by the other").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> exactlyOneActive(first, second) || exactlyOneActive(second, first));
        return exactlyOneActive(first, second) ? new Pair(first, second) : new Pair(second, first);
    }

    private static void closeAll(List<AutoCloseable> closeables) throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        closeables.clear();
    }

    private static Map<String, String> onTestRedis(Map<String, String> properties) {
        Map<String, String> withRedis = new LinkedHashMap<>(properties);
        withRedis.put("sluice.coordinator.redis.url", TestRedis.shared().url().toString());
        withRedis.put("sluice.coordinator.data-dir", dir.toString());
        return withRedis;
    }

    private static boolean exactlyOneActive(CoordinatorProcess active, CoordinatorProcess standby) {
        CoordinatorStatus first = active.status().orElse(null);
        CoordinatorStatus second = standby.status().orElse(null);
        return first != null && second != null && first.active() && !second.active()
                && active.url().toString().equals(second.activeUrl());
    }

    private static boolean activeWithNewerToken(CoordinatorProcess coordinator, long oldToken) {
        return coordinator.status().map(s -> s.active() && s.fencingToken() > oldToken).orElse(false);
    }

    /** Returns right after the lease's holder renewed it (its remaining ttl jumped back up). */
    private static void awaitRenewal() {
        long[] last = {redis().pttl(RedisKeys.LEASE)};
        await("a lease renewal").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)).until(() -> {
            long now = redis().pttl(RedisKeys.LEASE);
            boolean renewed = now > last[0];
            last[0] = now;
            return renewed;
        });
    }

    private BlockingCoordinator client(URI... coordinators) {
        BlockingCoordinator client = new BlockingCoordinator(Arrays.asList(coordinators), Duration.ofSeconds(30));
        resources.add(client);
        return client;
    }

    private Follower follow(BlockingCoordinator client) {
        MetadataWatcher watcher = client.watcher(Duration.ofSeconds(1));
        Follower follower = new Follower(watcher);
        watcher.addListener(view -> follower.versions.add(view.version()));
        watcher.start();
        resources.add(watcher);
        return follower;
    }

    private static List<TopicMetadata> topics(BlockingCoordinator client) {
        return client.topics();
    }

    private static List<String> topicNames(BlockingCoordinator client) {
        return topics(client).stream().map(TopicMetadata::name).toList();
    }

    private static RedisCommands<String, String> redis() {
        return TestRedis.shared().commands();
    }

    private static HttpResponse<String> postWithoutFollowing(URI coordinator, String path, String json) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            return http.send(HttpRequest.newBuilder(coordinator.resolve(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** A {@link MetadataWatcher} and the versions its listener saw. */
    private record Follower(MetadataWatcher watcher, List<Long> versions) {

        Follower(MetadataWatcher watcher) {
            this(watcher, new CopyOnWriteArrayList<>());
        }

        MetadataView awaitVersion(long version) throws InterruptedException {
            MetadataView view = watcher.awaitVersion(version, Duration.ofSeconds(20)).block();
            assertThat(view.version()).isEqualTo(version);
            await().atMost(Duration.ofSeconds(30)).until(() -> versions.contains(version));
            return view;
        }

        void assertEveryVersionOnceInOrder() {
            List<Long> seen = List.copyOf(versions);
            assertThat(seen).isNotEmpty();
            for (int i = 1; i < seen.size(); i++) {
                assertThat(seen.get(i)).as("version after %s in %s", seen.get(i - 1), seen).isEqualTo(seen.get(i - 1) + 1);
            }
        }
    }

    /** Creates topics one after another until stopped, recording which were acknowledged and why others were refused. */
    private static final class Writer implements Runnable {

        private final BlockingCoordinator client;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        final Map<ErrorCode, Integer> refused = new ConcurrentHashMap<>();

        Writer(BlockingCoordinator client) {
            this.client = client;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            for (int i = 0; running.get(); i++) {
                String name = "written-" + i;
                try {
                    client.createTopic(name, 1, 1, Map.of());
                    acknowledged.add(name);
                } catch (SluiceException e) {
                    refused.merge(e.errorCode(), 1, Integer::sum);
                    i--;
                    pause(50);
                }
                pause(20);
            }
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
