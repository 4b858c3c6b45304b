package io.sluice.it;

import io.sluice.launcher.ClusterConfig;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.RepoRoot;
import io.sluice.launcher.ServiceKind;
import io.sluice.launcher.ServiceProcess;
import io.sluice.metadata.CoordinatorClient;
import io.sluice.metadata.NodeInfo;
import io.sluice.metadata.PartitionState;
import io.sluice.metadata.TopicMetadata;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A real three-node cluster for the multi-process suites: the coordinator and partition services 1..3 started from
 * the jars in this checkout by {@link LocalCluster}, on free loopback ports, with data under a fresh directory in
 * {@code sluice-it/target/}. Timeouts are short so that faults show within seconds (see {@link #config}).
 *
 * <p>Every process is signalled by PID through the launcher; {@link #close} stops them all, copies the service logs
 * to {@code target/cluster-logs/} and deletes the data. Drive it from the test thread only (the launcher is not
 * thread-safe); {@link PartitionApi} calls may come from any thread.
 */
final class TestCluster implements AutoCloseable {

    static final int NODES = 3;
    /** A partition service that has not caught up for this long leaves the ISR. */
    static final Duration LAG_TIME_MAX = Duration.ofSeconds(2);
    /** A node silent this long is declared dead by the coordinator: longer than the lag time, so that a paused
     *  follower is dropped from the ISR by its leader before the coordinator notices. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    private final LocalCluster cluster;
    private final Path baseDir;
    private final CoordinatorClient coordinator;
    private final PartitionApi api;

    private TestCluster(LocalCluster cluster, Path baseDir) {
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.coordinator = new CoordinatorClient(List.of(cluster.coordinatorUrl()), Duration.ofSeconds(10));
        this.api = new PartitionApi(this::nodeUrl);
    }

    /** Starts the coordinator and three partition services, and waits until every one is ready. */
    static TestCluster start() {
        Path root = RepoRoot.find(Path.of("")).orElseThrow(() -> new IllegalStateException("not in a Sluice checkout"));
        for (ServiceKind kind : List.of(ServiceKind.COORDINATOR, ServiceKind.PARTITION)) {
            Path jar = kind.jar(root);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing; build the services first: ./mvnw -B -q -pl "
                        + "coordinator-service,partition-service,sluice-launcher -am install -DskipTests");
            }
        }
        Path baseDir;
        try {
            Path parent = Files.createDirectories(root.resolve("sluice-it/target/clusters"));
            baseDir = Files.createTempDirectory(parent, "cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalCluster cluster = new LocalCluster(config(root, baseDir), line -> System.out.println("[cluster] " + line))
                .stopOnJvmExit();
        TestCluster testCluster = new TestCluster(cluster, baseDir);
        try {
            long started = System.nanoTime();
            cluster.up();
            System.out.printf("[cluster] up in %.1f s (base %s)%n", (System.nanoTime() - started) / 1e9, baseDir);
            testCluster.awaitNodesAlive();
        } catch (RuntimeException e) {
            testCluster.close();
            throw e;
        }
        return testCluster;
    }

    /**
     * Short timeouts so faults show within seconds, small heaps and C1 only so four JVMs share two cores; the
     * coordinator checks preferred leaders every 2 s, so leadership also moves back after a node returns.
     */
    private static ClusterConfig config(Path root, Path baseDir) {
        return ClusterConfig.defaults(root)
                .withKinds(ServiceKind.COORDINATOR, ServiceKind.PARTITION)
                .withNodes(NODES)
                .withBaseDir(baseDir)
                .withFreePorts()
                .withJvmOptions(List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                        "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED"))
                .withArgs(ServiceKind.COORDINATOR,
                        "--sluice.coordinator.session-timeout=" + SESSION_TIMEOUT.toMillis() + "ms",
                        "--sluice.coordinator.heartbeat-interval=500ms",
                        "--sluice.coordinator.lease.ttl=1500ms",
                        "--sluice.coordinator.lease.renew-interval=300ms",
                        "--sluice.coordinator.election.preferred-leader-check-interval=2s")
                .withArgs(ServiceKind.PARTITION,
                        "--sluice.partition.replication.lag-time-max=" + LAG_TIME_MAX.toMillis() + "ms",
                        "--sluice.partition.replication.shutdown-timeout=5s",
                        "--spring.lifecycle.timeout-per-shutdown-phase=10s")
                .withReadyTimeout(Duration.ofSeconds(90))
                .withStopGrace(Duration.ofSeconds(20));
    }

    PartitionApi api() {
        return api;
    }

    static String service(int nodeId) {
        return LocalCluster.partition(nodeId);
    }

    URI nodeUrl(int nodeId) {
        return cluster.nodeUrl(nodeId);
    }

    // ------------------------------------------------------------------ faults

    /** SIGKILL, as a crash. */
    void kill(int nodeId) {
        cluster.kill(service(nodeId));
    }

    /** SIGSTOP: the JVM freezes, its sockets stay open. */
    void pause(int nodeId) {
        cluster.pause(service(nodeId));
    }

    /** SIGCONT, if it is paused. */
    void resume(int nodeId) {
        if (cluster.process(service(nodeId)).filter(ServiceProcess::isPaused).isPresent()) {
            cluster.resume(service(nodeId));
        }
    }

    /** SIGTERM: a controlled shutdown that hands leaderships away, then a clean close of the logs. */
    void stop(int nodeId) {
        cluster.stop(service(nodeId));
    }

    /** Starts a node again (on the same data directory) and waits until it serves with metadata. */
    Duration start(int nodeId) {
        long started = System.nanoTime();
        cluster.start(service(nodeId));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Starts several nodes at once (their JVMs start in parallel) and waits until every one is ready. */
    Duration startAll(List<Integer> nodeIds) {
        long started = System.nanoTime();
        List<ServiceProcess> launched = nodeIds.stream().map(id -> cluster.launch(service(id))).toList();
        for (ServiceProcess process : launched) {
            process.awaitReady(Duration.ofSeconds(90));
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    boolean isRunning(int nodeId) {
        return cluster.process(service(nodeId)).isPresent();
    }

    /**
     * Brings every node back after a test that left some killed, stopped or paused, and waits until the
     * coordinator sees all of them alive, so the next test starts from a whole cluster.
     */
    void heal() {
        for (int id = 1; id <= NODES; id++) {
            Optional<ServiceProcess> process = cluster.process(service(id));
            if (process.isEmpty()) {
                start(id);
            } else {
                resume(id);
            }
        }
        awaitNodesAlive();
    }

    private void awaitNodesAlive() {
        await("all " + NODES + " nodes alive at the coordinator", Duration.ofSeconds(30), () -> {
            NodeInfo[] nodes = coordinator.get("/internal/nodes", NodeInfo[].class);
            return Stream.of(nodes).filter(NodeInfo::isAlive).count() == NODES ? Boolean.TRUE : null;
        });
    }

    // ------------------------------------------------------------ metadata

    /** Creates a topic through the coordinator; replicas take it up as the metadata reaches them. */
    TopicMetadata createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        Map<String, Object> request = new HashMap<>();
        request.put("name", name);
        request.put("partitions", partitions);
        request.put("replication_factor", replicationFactor);
        request.put("configs", configs);
        return coordinator.post("/internal/topics", request, TopicMetadata.class);
    }

    /** The coordinator's current state of a partition. */
    PartitionState partition(TopicPartition tp) {
        return coordinator.get("/internal/topics/" + tp.topic(), TopicMetadata.class).partition(tp.partition());
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
     * empty-valued probe until one is acknowledged; returns the state it was acknowledged under.
     */
    PartitionState awaitWritable(TopicPartition tp) {
        PartitionState full = awaitPartition(tp, "a leader and a full ISR", Duration.ofSeconds(30),
                s -> s.hasLeader() && s.isr().size() == s.replicas().size());
        await(tp + ": node " + full.leader() + " acknowledging acks=all", Duration.ofSeconds(30), () -> {
            PartitionApi.ProduceResult result = api.produce(full.leader(), tp, full.leaderEpoch(),
                    Batches.of("probe"), "all", 5_000);
            return result.ok() ? Boolean.TRUE : null;
        });
        return full;
    }

    /** How many nodes the coordinator considers alive. */
    List<NodeInfo> nodes() {
        return List.of(coordinator.get("/internal/nodes", NodeInfo[].class));
    }

    // ---------------------------------------------------------------- files

    /** A node's directory for one partition replica: {@code <base>/node-<id>/<topic>-<partition>}. */
    Path replicaDir(int nodeId, TopicPartition tp) {
        return baseDir.resolve("node-" + nodeId).resolve(tp.topic() + "-" + tp.partition());
    }

    /** A node's service log (stdout and stderr of every start). */
    Path logFile(int nodeId) {
        return cluster.logFile(service(nodeId));
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

    /** Polls {@code probe} every 100 ms until it returns non-null; fails naming {@code what} after {@code timeout}. */
    static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError failure = new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for "
                        + what + (lastError == null ? "" : "; last error: " + lastError));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            sleep(Duration.ofMillis(100));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops every process, keeps the service logs in {@code target/cluster-logs/<base name>/}, deletes the data. */
    @Override
    public void close() {
        try {
            cluster.down();
        } finally {
            coordinator.close();
            api.close();
            keepLogsAndDeleteData();
        }
    }

    private void keepLogsAndDeleteData() {
        Path logs = baseDir.resolve("logs");
        Path kept = baseDir.getParent().resolveSibling("cluster-logs").resolve(baseDir.getFileName());
        try {
            if (Files.isDirectory(logs)) {
                Files.createDirectories(kept);
                try (Stream<Path> files = Files.list(logs)) {
                    for (Path file : files.toList()) {
                        Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                System.out.println("[cluster] service logs kept in " + kept);
            }
            try (Stream<Path> all = Files.walk(baseDir)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            System.out.println("[cluster] could not clean " + baseDir + ": " + e);
        }
    }
}
