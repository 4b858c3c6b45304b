package io.sluice.partition.simulation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.log.PowerLossDisk;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.partition.fetch.FetchService;
import io.sluice.partition.fetch.FetchServiceAccess;
import io.sluice.partition.produce.ProduceMetrics;
import io.sluice.partition.produce.ProduceService;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.replication.FetchTiming;
import io.sluice.partition.replication.ReplicaFetcherManager;
import io.sluice.partition.txn.WriteMarkersService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One incarnation of a partition service: the real log manager (on a disk that can lose power), replica manager,
 * fetch sessions, fetch, produce and transaction marker services, wired to the simulated network and coordinator
 * instead of HTTP. All of it runs on the simulation's thread (immediate schedulers). A crash abandons the incarnation; the next one opens a
 * copy of its data directory as the crash left it.
 */
final class SimulatedNode {

    final int id;
    final String incarnation;
    final Path dataDir;
    final PowerLossDisk disk = new PowerLossDisk();
    final LogManager logs;
    final ReplicaManager replicas;
    final ReplicaFetcherManager fetchers;
    final FetchService fetch;
    final ProduceService produce;
    final WriteMarkersService markers;
    private boolean running = true;
    private boolean registered;

    SimulatedNode(SimulatedCluster cluster, int id, String incarnation, Path dataDir, LogConfig logConfig)
            throws IOException {
        this.id = id;
        this.incarnation = incarnation;
        this.dataDir = dataDir;
        Simulation sim = cluster.sim();
        PartitionProperties defaults = TestPartitionProperties.of(id, dataDir);
        PartitionProperties properties = TestPartitionProperties.withReplication(defaults,
                new PartitionProperties.Replication(Duration.ofMillis(SimulatedCluster.LAG_TIME_MAX_MS),
                        Duration.ofMillis(200), defaults.replication().fetchMaxBytes(), Duration.ofSeconds(5),
                        defaults.replication().moveThrottle(), false,
                        defaults.replication().fetchResponseMaxBytes()));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        logs = LogManager.open(dataDir, tp -> logConfig, sim.clock(), Runnable::run, disk);
        ReplicationApi replication = new ReplicationApi() {
            @Override
            public Mono<List<FetchedPartition>> replicaFetch(NodeInfo leader, ReplicaFetchRequest request) {
                return cluster.call(SimulatedNode.this, leader.id(), "fetch",
                        target -> FetchServiceAccess.replicaFetch(target.fetch, request));
            }

            @Override
            public Mono<EpochEndOffsetsResponse> epochEndOffsets(NodeInfo leader, EpochEndOffsetsRequest request) {
                return cluster.call(SimulatedNode.this, leader.id(), "epochs",
                        target -> FetchServiceAccess.epochEndOffsets(target.fetch, request));
            }
        };
        fetchers = new ReplicaFetcherManager(properties, incarnation, replication, Schedulers.immediate(),
                leader -> cluster.reportUnreachable(this, leader), new FetchTiming(sim::nanoTime, 0));
        replicas = new ReplicaManager(logs, cluster.coordinatorClient(this), fetchers, properties, sim.clock(), meters,
                Schedulers.immediate());
        fetch = new FetchService(replicas, Schedulers.immediate(), properties, sim.clock(), meters);
        produce = new ProduceService(replicas, Schedulers.immediate(), new ProduceMetrics(meters),
                request -> cluster.transactions().verify(this, request));
        markers = new WriteMarkersService(replicas, Schedulers.immediate(), properties, meters);
    }

    boolean running() {
        return running;
    }

    boolean registered() {
        return registered;
    }

    void registered(boolean value) {
        registered = value;
    }

    /** Newer metadata than the replicas have: applied, as the metadata watcher does (older is ignored). */
    void offerMetadata(MetadataView view) {
        if (running && view.version() > replicas.metadata().version()) {
            replicas.applyMetadata(view);
        }
    }

    /** The node lifecycle's housekeeping round: ISR changes, and every {@code flush} also flush and checkpoint. */
    void housekeeping(boolean flush) {
        if (!running) {
            return;
        }
        replicas.maybeUpdateIsrs();
        if (flush) {
            logs.maybeFlush();
            logs.checkpoint();
        }
    }

    /** SIGKILL (or the power going): the process stops at once; nothing is flushed or closed. */
    void crash() {
        running = false;
        fetchers.close();
    }
}
