package io.sluice.coordinator.testing;

import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.internal.coordinator.CoordinatorStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A whole coordinator in the test JVM, on a random port, against the {@link TestRedis}, with clocks short enough that
 * node deaths and lease rounds happen within a test, and long enough for a loaded CI machine:
 * <ul>
 *   <li>nodes die after 6 s of silence (a busy virtual machine was seen to stall every thread of the JVM for 0.3 to
 *       0.7 s several times a minute; a 1 s timeout then declared healthy nodes dead mid-test, and on a CI machine
 *       with a load of 19 so did 3 s);</li>
 *   <li>the lease lives 10 s and is renewed every 300 ms (a flushed Redis is noticed at the next renewal whatever the
 *       ttl; a 1.5 s ttl made a coordinator stalled by a loaded CI machine step down mid-test, and its API answer
 *       503);</li>
 *   <li>sessions (of nodes and of group members) are checked every 100 ms, and group members may ask for sessions as
 *       short as 100 ms;</li>
 *   <li>automatic preferred-leader election is off, and so is the balancer (tests place replicas where they want
 *       them; decommissioned nodes are still drained).</li>
 * </ul>
 *
 * <p>Test classes share one coordinator (Spring's context cache: starting one costs seconds on a busy machine), but
 * not its state: {@link FreshRedis} flushes Redis before each class, the coordinator loses its lease with it, takes the
 * lease again on the empty Redis and starts over from metadata version 0; {@link #api()} waits for that. A class that
 * needs other settings gets a coordinator of its own, and must then run first and close it after itself
 * ({@code @Order} below {@link #SHARED_COORDINATOR_ORDER} and {@code @DirtiesContext}): two coordinators on one Redis
 * would make one of them a standby.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
        "sluice.coordinator.session-timeout=6s",
        "sluice.coordinator.heartbeat-interval=150ms",
        "sluice.coordinator.lease.ttl=10s",
        "sluice.coordinator.lease.renew-interval=300ms",
        "sluice.coordinator.election.liveness-check-interval=100ms",
        "sluice.coordinator.election.preferred-leader-check-interval=0s",
        "sluice.coordinator.balancer.enabled=false",
        "sluice.coordinator.metadata.history=50",
        "sluice.coordinator.metadata.max-wait=5s",
        "sluice.coordinator.groups.min-session-timeout=100ms",
        "sluice.coordinator.groups.heartbeat-interval=200ms",
        "sluice.coordinator.groups.session-check-interval=100ms",
        // As in a cluster whose partition services have remote storage: topics may turn tiered storage on.
        "sluice.coordinator.remote-storage-enabled=true",
})
@AutoConfigureWebTestClient(timeout = "PT30S") // not 5 s: a machine that stalls for seconds is slow, not wrong
@ExtendWith(FreshRedis.class)
public abstract class CoordinatorTestSupport {

    /** The class order of test classes that use the shared coordinator (those without {@code @Order}). */
    public static final int SHARED_COORDINATOR_ORDER = org.junit.jupiter.api.Order.DEFAULT;

    /** How often the {@link TestNodes} heartbeat: well inside the 6 s session timeout. */
    protected static final Duration HEARTBEAT = Duration.ofMillis(150);

    @LocalServerPort
    protected int port;

    @Autowired
    protected WebTestClient web;

    private CoordinatorApi api;
    private final List<TestNodes> nodesOfThisTest = new ArrayList<>();

    @DynamicPropertySource
    static void coordinatorProperties(DynamicPropertyRegistry registry) {
        registry.add("sluice.coordinator.redis.url", () -> TestRedis.shared().url().toString());
        registry.add("sluice.coordinator.data-dir", () -> TestRedis.shared().scratchDirectory().toString());
    }

    /**
     * The API of the coordinator, once it holds the lease on the Redis as this class found it and has loaded the
     * metadata from there.
     */
    protected CoordinatorApi api() {
        if (api == null) {
            CoordinatorApi candidate = new CoordinatorApi(web);
            await("the coordinator to become active").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> activeOnThisRedis(candidate.status()));
            api = candidate;
        }
        return api;
    }

    /** The lease key exists only once a coordinator took it after the flush; active means the metadata is loaded. */
    private static boolean activeOnThisRedis(CoordinatorStatus status) {
        String token = TestRedis.shared().commands().get(RedisKeys.FENCING_TOKEN);
        return status.active() && TestRedis.shared().commands().exists(RedisKeys.LEASE) == 1
                && token != null && Long.parseLong(token) == status.fencingToken();
    }

    protected URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Fresh stand-in partition services for this coordinator; close them when the test ends. */
    protected TestNodes newNodes() {
        api();
        return new TestNodes(baseUrl(), HEARTBEAT);
    }

    /** Fresh stand-in partition services that stop when the current test ends. */
    protected TestNodes nodesForThisTest() {
        TestNodes nodes = newNodes();
        nodesOfThisTest.add(nodes);
        return nodes;
    }

    @AfterEach
    void stopNodesOfThisTest() {
        nodesOfThisTest.forEach(TestNodes::close);
        nodesOfThisTest.clear();
    }
}
