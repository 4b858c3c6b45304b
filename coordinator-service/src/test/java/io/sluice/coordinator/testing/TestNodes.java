package io.sluice.coordinator.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.coordinator.RegisterRequest;
import io.sluice.internal.coordinator.RegisterResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for partition services, as the coordinator sees them: each registers over HTTP and then heartbeats on a
 * schedule until {@linkplain #silence silenced} (it "dies") or the fixture is closed. Closing stops every heartbeat
 * and announces a controlled shutdown for the nodes still heartbeating, so that later tests sharing the coordinator
 * do not place replicas on them. Thread-safe.
 */
public final class TestNodes implements AutoCloseable {

    private final InternalHttp http;
    private final CoordinatorClient client;
    private final Duration interval;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("test-node-heartbeats").factory());
    private final Map<Integer, ScheduledFuture<?>> heartbeats = new ConcurrentHashMap<>();
    /** Each node's current process, as the incarnation it registers with. */
    private final Map<Integer, String> incarnations = new ConcurrentHashMap<>();

    public TestNodes(List<URI> coordinators, Duration interval) {
        this.http = new InternalHttp(InternalClientSettings.defaults().withCallTimeout(Duration.ofSeconds(30)),
                new SimpleMeterRegistry());
        this.client = new CoordinatorClient(http, coordinators);
        this.interval = interval;
    }

    public TestNodes(URI coordinator, Duration interval) {
        this(List.of(coordinator), interval);
    }

    /** The URL node {@code id} registers with (nothing listens there: the coordinator never calls nodes). */
    public static String url(int id) {
        return "http://127.0.0.1:" + (20_000 + id);
    }

    /** Registers each node (no rack) and starts its heartbeats. */
    public void start(int... ids) {
        for (int id : ids) {
            start(id, null);
        }
    }

    public RegisterResponse start(int id, String rack) {
        RegisterResponse response = register(id, url(id), rack);
        resume(id);
        return response;
    }

    /** One registration call from the node's current process, without heartbeats. */
    public RegisterResponse register(int id, String url, String rack) {
        String incarnation = incarnations.computeIfAbsent(id, node -> UUID.randomUUID().toString());
        return client.register(new RegisterRequest(id, url, rack, incarnation)).block();
    }

    /** The incarnation node {@code id}'s current process registers with. */
    public String incarnation(int id) {
        return incarnations.get(id);
    }

    /** The node's process restarts at once (before its session could expire): it registers as a new incarnation. */
    public RegisterResponse restart(int id) {
        incarnations.put(id, UUID.randomUUID().toString());
        return register(id, url(id), null);
    }

    /** The node stops heartbeating: after the session timeout the coordinator declares it dead. */
    public void silence(int id) {
        ScheduledFuture<?> heartbeat = heartbeats.remove(id);
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }

    /** The node heartbeats again, starting now. */
    public void resume(int id) {
        heartbeats.computeIfAbsent(id, node -> timer.scheduleWithFixedDelay(() -> heartbeat(node), 0,
                interval.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void heartbeat(int id) {
        try {
            client.heartbeat(id).block();
        } catch (RuntimeException e) {
            // A missed heartbeat is what the coordinator must tolerate; the next one follows.
        }
    }

    @Override
    public void close() {
        List<Integer> running = List.copyOf(heartbeats.keySet());
        running.forEach(this::silence);
        timer.shutdownNow();
        for (int id : running) {
            try {
                client.shutdown(id).block();
            } catch (RuntimeException e) {
                // The coordinator may already be gone; the node then simply expires.
            }
        }
        http.close();
    }
}
