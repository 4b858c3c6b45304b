package io.sluice.it;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.it.PartitionApi.Consumed;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.ServiceKind;
import io.sluice.launcher.ServiceProcess;
import io.sluice.protocol.TopicPartition;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The replication suites' view of a three-node {@link SluiceCluster} (coordinator, partition services 1..3 and a
 * gateway): short timeouts so that faults show within seconds, partition-level calls ({@link PartitionApi}), the
 * coordinator's view of partitions, and the replicas' files on disk. The classes that test through the public API
 * take the same cluster as a {@link SluiceCluster} ({@link #sluice()}): the log cleaner runs as soon as there is work
 * and rolled segments are fsynced every 200 ms (it only cleans below the recovery point on disk), which the others
 * never notice.
 *
 * <p>Drive it from the test thread only (the launcher is not thread-safe); {@link PartitionApi} calls may come from
 * any thread.
 */
final class TestCluster implements AutoCloseable {

    static final int NODES = 3;
    /** A partition service that has not caught up for this long leaves the ISR. */
    static final Duration LAG_TIME_MAX = Duration.ofSeconds(2);
    /** A node silent this long is declared dead by the coordinator: longer than the lag time, so that a paused
     *  follower is dropped from the ISR by its leader before the coordinator notices. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    private final SluiceCluster cluster;
    private final PartitionApi api;

    private TestCluster(SluiceCluster cluster) {
        this.cluster = cluster;
        this.api = new PartitionApi(this::nodeUrl);
    }

    /**
     * Starts the coordinator, three partition services and the gateway and waits until every one is ready. The
     * coordinator checks preferred leaders every 2 s, so leadership also moves back after a node returns.
     */
    static TestCluster start() {
        return new TestCluster(SluiceCluster.builder("replication").nodes(NODES).withGateway()
                .jvmOptions(SluiceCluster.testJvm("384m"))
                .args(ServiceKind.COORDINATOR,
                        "--sluice.coordinator.session-timeout=" + SESSION_TIMEOUT.toMillis() + "ms",
                        "--sluice.coordinator.heartbeat-interval=500ms",
                        // One coordinator, never killed here: a long ttl costs nothing, and a short one made a coordinator
                        // stalled by a loaded machine step down and answer 503 until it took the lease again.
                        "--sluice.coordinator.lease.ttl=10s",
                        "--sluice.coordinator.lease.renew-interval=300ms",
                        "--sluice.coordinator.election.preferred-leader-check-interval=2s",
                        // Consumer groups (ConsumerGroupsIT, GroupHandOffIT): sessions and rebalances within seconds,
                        // and the partitions' ownership history kept long enough to be checked whole.
                        "--sluice.coordinator.groups.session-timeout=4s",
                        "--sluice.coordinator.groups.min-session-timeout=1s",
                        "--sluice.coordinator.groups.heartbeat-interval=500ms",
                        "--sluice.coordinator.groups.rebalance-timeout=10s",
                        "--sluice.coordinator.groups.session-check-interval=200ms",
                        "--sluice.coordinator.groups.ownership-history=20000")
                .args(ServiceKind.PARTITION,
                        "--sluice.partition.replication.lag-time-max=" + LAG_TIME_MAX.toMillis() + "ms",
                        "--sluice.partition.replication.shutdown-timeout=5s",
                        "--spring.lifecycle.timeout-per-shutdown-phase=10s",
                        "--sluice.partition.cleaner.backoff=200ms",
                        "--sluice.partition.housekeeping.flush-check-interval=200ms")
                // A manual committer's commit on the assignment event lands before the release even when it comes
                // several heartbeats (500 ms) later: a slow client, or a loaded machine. Group lag is measured every
                // second, and the group calls are logged for ConsumerGroupsIT to read.
                .args(ServiceKind.GATEWAY, "--sluice.gateway.groups.lag-interval=1s",
                        "--sluice.gateway.groups.revocation-hold=6s",
                        "--logging.level.io.sluice.gateway.group=DEBUG")
                .start());
    }

    /** The same cluster, for the classes that drive it through the gateway and the launcher. */
    SluiceCluster sluice() {
        return cluster;
    }

    PartitionApi api() {
        return api;
    }

    static String service(int nodeId) {
        return SluiceCluster.service(nodeId);
    }

    URI nodeUrl(int nodeId) {
        return cluster.nodeUrl(nodeId);
    }

    // ------------------------------------------------------------------ faults

    /** SIGKILL, as a crash. */
    void kill(int nodeId) {
        cluster.kill(nodeId);
    }

    /** SIGSTOP: the JVM freezes, its sockets stay open. */
    void pause(int nodeId) {
        cluster.pause(nodeId);
    }

    /** SIGCONT, if it is paused. */
    void resume(int nodeId) {
        cluster.resume(nodeId);
    }

    /** SIGTERM: a controlled shutdown that hands leaderships away, then a clean close of the logs. */
    void stop(int nodeId) {
        cluster.stop(nodeId);
    }

    /** Starts a node again (on the same data directory) and waits until it serves with metadata. */
    Duration start(int nodeId) {
        return cluster.start(nodeId);
    }

    /** Starts several nodes at once (their JVMs start in parallel) and waits until every one is ready. */
    Duration startAll(List<Integer> nodeIds) {
        return cluster.startAll(nodeIds, Duration.ofSeconds(90));
    }

    boolean isRunning(int nodeId) {
        return cluster.isRunning(nodeId);
    }

    /**
     * Brings every node back after a test that left some killed, stopped or paused (and the coordinator and the
     * gateway, if a test left them down), and waits until the coordinator sees all of them alive, so the next test
     * starts from a whole cluster.
     */
    void heal() {
        for (String service : List.of(LocalCluster.COORDINATOR, LocalCluster.GATEWAY)) {
            if (cluster.processes().process(service).isEmpty()) {
                cluster.processes().start(service);
            }
        }
        for (int id = 1; id <= NODES; id++) {
            Optional<ServiceProcess> process = cluster.process(id);
            if (process.isEmpty()) {
                start(id);
            } else {
                resume(id);
            }
        }
        awaitNodesAlive();
    }

    private void awaitNodesAlive() {
        cluster.awaitNodesAlive(NODES, Duration.ofSeconds(30));
    }

    // ------------------------------------------------------------ metadata

    /** Creates a topic through the coordinator; replicas take it up as the metadata reaches them. */
    TopicMetadata createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        return cluster.coordinator().createTopic(name, partitions, replicationFactor, configs);
    }

    /** The coordinator's current state of a partition. */
    PartitionState partition(TopicPartition tp) {
        return cluster.coordinator().describeTopic(tp.topic()).partition(tp.partition());
    }

    /**
     * Everything the partition's leader serves, read from whoever leads when asked. Leadership may move between the
     * coordinator's answer and the read (the preferred replica takes it back once it is in sync again); a node that
     * answers NOT_LEADER is asked again under the coordinator's newer state.
     */
    List<Consumed> readFromLeader(TopicPartition tp) {
        return await(tp + ": a full read from the leader", Duration.ofSeconds(20), () -> {
            PartitionState state = partition(tp);
            if (!state.hasLeader()) {
                return null;
            }
            try {
                return api.readAll(state.leader(), tp);
            } catch (AssertionError e) {
                if (String.valueOf(e.getMessage()).contains("NOT_LEADER")) {
                    return null;
                }
                throw e;
            }
        });
    }

    /** Waits until the coordinator's state of {@code tp} satisfies {@code condition}; returns that state. */
    PartitionState awaitPartition(TopicPartition tp, String description, Duration timeout,
                                  Predicate<PartitionState> condition) {
        return await(tp + ": " + description, timeout, () -> {
            PartitionState state = partition(tp);
            return condition.test(state) ? state : null;
        });
    }

    /**
     * Waits until {@code tp} has a leader that accepts acks=all writes with all replicas in sync, by producing an
     * empty-valued probe until one is acknowledged; returns the state it was acknowledged under. Each probe reads the
     * state again: after restarts, a late registration can still move leadership (a new incarnation is fenced) once
     * the ISR looked full, and a probe at the older epoch would be refused for ever.
     */
    PartitionState awaitWritable(TopicPartition tp) {
        awaitPartition(tp, "a leader and a full ISR", Duration.ofSeconds(30),
                s -> s.hasLeader() && s.isr().size() == s.replicas().size());
        return await(tp + ": a leader with a full ISR acknowledging acks=all", Duration.ofSeconds(30), () -> {
            PartitionState full = partition(tp);
            if (!full.hasLeader() || full.isr().size() != full.replicas().size()) {
                return null;
            }
            PartitionApi.ProduceResult result = api.produce(full.leader(), tp, full.leaderEpoch(),
                    Batches.of("probe"), "all", 5_000);
            return result.ok() ? full : null;
        });
    }

    /** How many nodes the coordinator considers alive. */
    List<NodeInfo> nodes() {
        return cluster.coordinator().nodes();
    }

    // ---------------------------------------------------------------- files

    /** A node's directory for one partition replica: {@code <base>/node-<id>/<topic>-<partition>}. */
    Path replicaDir(int nodeId, TopicPartition tp) {
        return cluster.baseDir().resolve("node-" + nodeId).resolve(tp.topic() + "-" + tp.partition());
    }

    /** A node's service log (stdout and stderr of every start). */
    Path logFile(int nodeId) {
        return cluster.logFile(nodeId);
    }

    /** The active (last) segment file of a replica. */
    Path activeSegment(int nodeId, TopicPartition tp) {
        return ReplicaFiles.segmentFiles(replicaDir(nodeId, tp)).getLast();
    }

    /**
     * Waits until every replica of {@code tp} holds the same batches in its files, byte for byte, and returns them:
     * followers have caught up with the leader and nothing more is being written.
     */
    List<ReplicaFiles.StoredBatch> awaitIdenticalReplicas(TopicPartition tp, Duration timeout) {
        List<Integer> replicas = partition(tp).replicas();
        Map<Integer, List<ReplicaFiles.StoredBatch>> last = new HashMap<>();
        try {
            return await("identical replica files of " + tp + " on nodes " + replicas, timeout, () -> {
                last.clear();
                for (int node : replicas) {
                    last.put(node, ReplicaFiles.batches(replicaDir(node, tp)));
                }
                List<ReplicaFiles.StoredBatch> first = last.get(replicas.getFirst());
                boolean same = !first.isEmpty() && last.values().stream().allMatch(first::equals);
                return same ? first : null;
            });
        } catch (AssertionError e) {
            StringBuilder detail = new StringBuilder(e.getMessage());
            last.forEach((node, batches) -> detail.append(String.format("%n  node %d: %d batches, log end %d, last %s",
                    node, batches.size(), ReplicaFiles.logEndOffset(batches),
                    batches.isEmpty() ? "-" : batches.getLast())));
            throw new AssertionError(detail.toString(), e);
        }
    }

    // ---------------------------------------------------------------- waits

    /** Polls {@code probe} until it returns non-null; fails naming {@code what} after {@code timeout}. */
    static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        return Waits.await(what, timeout, probe);
    }

    static void sleep(Duration duration) {
        Waits.sleep(duration);
    }

    /** Stops every process, keeps the service logs in {@code target/cluster-logs/}, deletes the data. */
    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            api.close();
        }
    }
}
