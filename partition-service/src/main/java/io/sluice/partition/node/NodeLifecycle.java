package io.sluice.partition.node;

import io.sluice.internal.client.MetadataWatcher;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.RegisterRequest;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.log.LogManager;
import io.sluice.partition.Incarnation;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.cleaner.LogCleanerService;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.replication.ReplicaFetcherManager;
import io.sluice.protocol.SluiceException;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The node's life: register with the coordinator, heartbeat, follow the metadata (taking up and dropping replicas
 * as it says), keep logs flushed, checkpointed and within retention, run the log cleaner, keep leaders' ISRs honest — and, on SIGTERM,
 * a controlled shutdown: leaderships handed to other in-sync replicas through the coordinator while this node still
 * serves their last fetches, then logs flushed and closed.
 *
 * <p>It reports ready (health group "readiness") once registered and holding a metadata view. Stops before the web
 * server (highest phase), so followers can still fetch from it while its leaderships move.
 */
@Component
class NodeLifecycle implements SmartLifecycle, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycle.class);

    private final PartitionProperties properties;
    /**
     * Drawn once per process: every registration of this process carries it, so the coordinator tells a retried
     * registration from a restart (which it must treat as the node having failed).
     */
    private final String incarnation;
    private final OfflineLogReporter offlineLogs;
    private final CoordinatorApi coordinator;
    private final MetadataWatcher watcher;
    private final ReplicaManager replicas;
    private final ReplicaFetcherManager fetchers;
    private final LogManager logs;
    private final LogCleanerService cleaner;
    private final KafkaAddress kafkaAddress;
    private final Heartbeats heartbeats;
    private volatile boolean running;
    private volatile boolean metadataApplied;
    private Disposable heartbeatRounds;
    private Housekeeping housekeeping;

    NodeLifecycle(PartitionProperties properties, Incarnation incarnation, CoordinatorApi coordinator,
                  MetadataWatcher watcher, ReplicaManager replicas, ReplicaFetcherManager fetchers, LogManager logs,
                  LogCleanerService cleaner, KafkaAddress kafkaAddress) {
        this.properties = properties;
        this.incarnation = incarnation.id();
        this.coordinator = coordinator;
        this.watcher = watcher;
        this.replicas = replicas;
        this.fetchers = fetchers;
        this.logs = logs;
        this.cleaner = cleaner;
        this.kafkaAddress = kafkaAddress;
        this.offlineLogs = new OfflineLogReporter(properties.nodeId(), coordinator, logs::offlinePartitions);
        this.heartbeats = new Heartbeats(this::register, () -> coordinator.heartbeat(properties.nodeId()));
    }

    @Override
    public synchronized void start() {
        running = true;
        watcher.addListener(this::onMetadata);
        heartbeatRounds = heartbeats.start(() -> running);
        housekeeping = new Housekeeping(housekeepingRound(), Duration.ofMillis(
                Math.max(50, Math.min(500, properties.replication().lagTimeMax().toMillis() / 4))));
        housekeeping.start();
        cleaner.start();
    }

    private void onMetadata(MetadataView view) {
        replicas.applyMetadata(view);
        if (!metadataApplied) {
            replicas.setAsideStrayLogs();
            metadataApplied = true;
            LOG.info("Node {} serving with metadata version {}", properties.nodeId(), view.version());
        }
    }

    /** Registers this node; answers the heartbeat interval the coordinator gave (see {@link Heartbeats}). */
    private Mono<Duration> register() {
        RegisterRequest request = new RegisterRequest(properties.nodeId(), properties.advertisedUrl().toString(),
                properties.rack(), incarnation, kafkaAddress.get());
        return coordinator.register(request).map(response -> {
            Duration interval = Duration.ofMillis(Math.max(100, response.heartbeatIntervalMs()));
            watcher.start();
            LOG.info("Node {} registered at {}; heartbeating every {}", properties.nodeId(), properties.advertisedUrl(),
                    interval);
            return interval;
        });
    }

    /** One housekeeping round; {@link Housekeeping} runs it every ISR-check interval and says when each task is due. */
    private Runnable housekeepingRound() {
        long flushEvery = properties.housekeeping().flushCheckInterval().toMillis();
        long checkpointEvery = properties.housekeeping().checkpointInterval().toMillis();
        long retentionEvery = properties.housekeeping().retentionCheckInterval().toMillis();
        long producerExpiryEvery = properties.housekeeping().producerIdExpirationCheckInterval().toMillis();
        long producerExpiration = properties.housekeeping().producerIdExpiration().toMillis();
        long started = System.currentTimeMillis();
        // Last runs, touched only by the housekeeping thread.
        long[] last = {0, 0, started, started};
        return () -> {
            long now = System.currentTimeMillis();
            replicas.maybeUpdateIsrs();
            if (heartbeats.registered()) {
                offlineLogs.reportNewlyOffline();
            }
            if (now - last[0] >= flushEvery) {
                logs.maybeFlush();
                last[0] = now;
            }
            if (now - last[1] >= checkpointEvery) {
                logs.checkpoint();
                last[1] = now;
            }
            if (now - last[2] >= retentionEvery) {
                int deleted = logs.deleteOldSegments();
                if (deleted > 0) {
                    LOG.info("Retention deleted {} segments", deleted);
                }
                last[2] = now;
            }
            if (now - last[3] >= producerExpiryEvery) {
                int expired = logs.removeExpiredProducers(producerExpiration);
                if (expired > 0) {
                    LOG.info("Forgot {} producer ids not seen for {}", expired,
                            properties.housekeeping().producerIdExpiration());
                }
                last[3] = now;
            }
        };
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("stopped through stop(Runnable)");
    }

    /** Controlled shutdown, then close the logs cleanly (so the next start needs no recovery). */
    @Override
    public void stop(Runnable callback) {
        controlledShutdown()
                .publishOn(Schedulers.boundedElastic())
                .doFinally(signal -> {
                    running = false;
                    heartbeatRounds.dispose();
                    // The round under way finishes first: the logs close right after (Housekeeping says why).
                    if (!housekeeping.stop(Duration.ofSeconds(30))) {
                        LOG.warn("A housekeeping round did not end within 30 s; closing the logs regardless");
                    }
                    watcher.close();
                    fetchers.close();
                    cleaner.stop(Duration.ofSeconds(10));
                    try {
                        logs.close();
                    } catch (IOException e) {
                        LOG.error("Closing the logs failed; the next start will recover them", e);
                    }
                    callback.run();
                })
                .subscribe();
    }

    /**
     * Asks the coordinator to move this node's leaderships, then waits (up to the shutdown timeout) until the
     * metadata shows them moved. Leaderships with no other in-sync replica cannot move: only the others are awaited.
     */
    private Mono<Void> controlledShutdown() {
        if (!heartbeats.registered()) {
            return Mono.empty();
        }
        Duration timeout = properties.replication().shutdownTimeout();
        return coordinator.shutdown(properties.nodeId())
                .flatMap(answer -> Flux.interval(Duration.ZERO, Duration.ofMillis(100))
                        .filter(tick -> leaderships(watcher.current()) <= answer.remainingLeaderships())
                        .next()
                        .timeout(timeout, Mono.empty()))
                .doOnTerminate(() -> LOG.info("Controlled shutdown of node {}: {} leaderships left (no in-sync replica "
                        + "could take them)", properties.nodeId(), leaderships(watcher.current())))
                .onErrorResume(SluiceException.class, e -> {
                    LOG.warn("Controlled shutdown through the coordinator failed ({}); stopping anyway", e.getMessage());
                    return Mono.empty();
                })
                .then();
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
        if (heartbeats.registered() && metadataApplied) {
            Health.Builder health = Health.up().withDetail("node_id", properties.nodeId())
                    .withDetail("metadata_version", watcher.current().version());
            if (watcher.refusedRegressions() > 0) {
                // Still serving with the last good view; the alarm is for the operator (see MetadataWatcher).
                health.withDetail("refused_metadata_regressions", watcher.refusedRegressions());
            }
            return health.build();
        }
        return Health.outOfService().withDetail("registered", heartbeats.registered())
                .withDetail("metadata", metadataApplied).build();
    }
}
