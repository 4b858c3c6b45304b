package io.sluice.partition.node;

import io.sluice.log.LogManager;
import io.sluice.metadata.CoordinatorClient;
import io.sluice.metadata.MetadataView;
import io.sluice.metadata.MetadataWatcher;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.replication.ReplicaFetcherManager;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The node's life: register with the coordinator, heartbeat, follow the metadata (taking up and dropping replicas
 * as it says), keep logs flushed, checkpointed and within retention, keep leaders' ISRs honest — and, on SIGTERM,
 * a controlled shutdown: leaderships handed to other in-sync replicas through the coordinator while this node still
 * serves their last fetches, then logs flushed and closed.
 *
 * <p>It reports ready (health group "readiness") once registered and holding a metadata view. Stops before the web
 * server (highest phase), so followers can still fetch from it while its leaderships move.
 */
@Component
public class NodeLifecycle implements SmartLifecycle, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);

    private final PartitionProperties properties;
    private final CoordinatorClient coordinator;
    private final MetadataWatcher watcher;
    private final ReplicaManager replicas;
    private final ReplicaFetcherManager fetchers;
    private final LogManager logs;
    private volatile boolean running;
    private volatile boolean registered;
    private volatile boolean metadataApplied;
    private volatile Duration heartbeatInterval = Duration.ofSeconds(1);
    private Thread heartbeats;
    private Thread housekeeping;

    public NodeLifecycle(PartitionProperties properties, CoordinatorClient coordinator, MetadataWatcher watcher,
                         ReplicaManager replicas, ReplicaFetcherManager fetchers, LogManager logs) {
        this.properties = properties;
        this.coordinator = coordinator;
        this.watcher = watcher;
        this.replicas = replicas;
        this.fetchers = fetchers;
        this.logs = logs;
    }

    @Override
    public synchronized void start() {
        running = true;
        watcher.addListener(this::onMetadata);
        heartbeats = Thread.ofVirtual().name("node-heartbeat").start(this::registerAndHeartbeat);
        housekeeping = Thread.ofVirtual().name("node-housekeeping").start(this::housekeeping);
    }

    private void onMetadata(MetadataView view) {
        replicas.applyMetadata(view);
        if (!metadataApplied) {
            replicas.removeStrayLogs();
            metadataApplied = true;
            LOG.info("Node {} serving with metadata version {}", properties.nodeId(), view.version());
        }
    }

    private void registerAndHeartbeat() {
        while (running) {
            try {
                if (!registered) {
                    register();
                    watcher.start();
                } else {
                    coordinator.post("/internal/nodes/" + properties.nodeId() + "/heartbeat", Map.of(), Void.class);
                }
            } catch (SluiceException e) {
                if (e.errorCode() == ErrorCode.UNKNOWN_NODE) {
                    registered = false;
                    continue;
                }
                if (e.errorCode() == ErrorCode.DUPLICATE_NODE) {
                    LOG.error("{}", e.getMessage());
                }
                LOG.debug("Coordinator call failed: {}", e.getMessage());
            }
            sleep(heartbeatInterval);
        }
    }

    private void register() {
        Map<String, Object> request = new java.util.HashMap<>();
        request.put("node_id", properties.nodeId());
        request.put("url", properties.advertisedUrl().toString());
        request.put("rack", properties.rack());
        RegisterResponse response = coordinator.post("/internal/nodes", request, RegisterResponse.class);
        heartbeatInterval = Duration.ofMillis(Math.max(100, response.heartbeatIntervalMs()));
        registered = true;
        LOG.info("Node {} registered at {}; heartbeating every {}", properties.nodeId(), properties.advertisedUrl(),
                heartbeatInterval);
    }

    private void housekeeping() {
        long flushEvery = properties.housekeeping().flushCheckInterval().toMillis();
        long retentionEvery = properties.housekeeping().retentionCheckInterval().toMillis();
        long isrEvery = Math.max(50, Math.min(500, properties.replication().lagTimeMax().toMillis() / 4));
        long lastFlush = 0;
        long lastRetention = System.currentTimeMillis();
        while (running) {
            long now = System.currentTimeMillis();
            try {
                replicas.maybeUpdateIsrs();
                if (now - lastFlush >= flushEvery) {
                    logs.maybeFlush();
                    logs.checkpoint();
                    lastFlush = now;
                }
                if (now - lastRetention >= retentionEvery) {
                    int deleted = logs.deleteOldSegments();
                    if (deleted > 0) {
                        LOG.info("Retention deleted {} segments", deleted);
                    }
                    lastRetention = now;
                }
            } catch (RuntimeException e) {
                LOG.warn("Housekeeping round failed: {}", e.toString());
            }
            sleep(Duration.ofMillis(isrEvery));
        }
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("stopped through stop(Runnable)");
    }

    /** Controlled shutdown, then close the logs cleanly (so the next start needs no recovery). */
    @Override
    public void stop(Runnable callback) {
        Thread.ofVirtual().name("node-shutdown").start(() -> {
            try {
                controlledShutdown();
            } finally {
                running = false;
                heartbeats.interrupt();
                housekeeping.interrupt();
                watcher.close();
                fetchers.close();
                try {
                    logs.close();
                } catch (IOException e) {
                    LOG.error("Closing the logs failed; the next start will recover them", e);
                }
                callback.run();
            }
        });
    }

    private void controlledShutdown() {
        if (!registered) {
            return;
        }
        long deadline = System.nanoTime() + properties.replication().shutdownTimeout().toNanos();
        try {
            Map<?, ?> answer = coordinator.post("/internal/nodes/" + properties.nodeId() + "/shutdown", Map.of(), Map.class);
            // Leaderships with no other in-sync replica cannot move; wait only for the others to show in the metadata.
            int stuck = answer.get("remaining_leaderships") instanceof Number n ? n.intValue() : 0;
            while (System.nanoTime() < deadline && leaderships(watcher.current()) > stuck) {
                sleep(Duration.ofMillis(100));
            }
            LOG.info("Controlled shutdown of node {}: {} leaderships left (no in-sync replica could take them)",
                    properties.nodeId(), leaderships(watcher.current()));
        } catch (SluiceException e) {
            LOG.warn("Controlled shutdown through the coordinator failed ({}); stopping anyway", e.getMessage());
        }
    }

    private long leaderships(MetadataView view) {
        return view.metadata().topics().stream()
                .flatMap(t -> t.partitions().stream())
                .filter(p -> p.leader() == properties.nodeId())
                .count();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    @Override
    public Health health() {
        if (registered && metadataApplied) {
            return Health.up().withDetail("node_id", properties.nodeId())
                    .withDetail("metadata_version", watcher.current().version()).build();
        }
        return Health.outOfService().withDetail("registered", registered).withDetail("metadata", metadataApplied).build();
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The coordinator's answer to a registration. */
    record RegisterResponse(int nodeId, long heartbeatIntervalMs, long sessionTimeoutMs) {
    }
}
