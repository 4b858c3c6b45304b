package io.sluice.it.chaos;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.BlockingCoordinator;
import io.sluice.testing.CoordinatorProcess;
import io.sluice.testing.Links;
import io.sluice.testing.PowerLoss;
import io.sluice.testing.RedisProcess;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The cluster a chaos run works against, every part a real process on loopback: a redis-server of its own (so that
 * it can be crashed apart from the coordinators), two coordinators on it (the launcher's {@code coordinator} and a
 * second, {@code coordinator-b}, started by {@link CoordinatorProcess}; whichever holds the lease is active), three
 * partition services and a gateway, each service told both coordinator URLs. Every process reaches the coordinators,
 * the partition services and Redis through the run's {@link Links}, so that a fault may cut links between live
 * processes; the test itself talks to them directly. Faults are signals by PID through the launcher, {@link PowerLoss}
 * on a dead node's files, and dropped links.
 *
 * <p>Drive it from one thread (the launcher is not thread-safe). {@link #close} stops every process, keeps every log
 * in its cluster's own directory, {@code target/cluster-logs/<name>/<start time>-<test JVM pid>/}, and deletes the
 * data.
 */
final class ChaosCluster implements AutoCloseable {

    /** The partition services the cluster starts with; a run may add one and retire one (see {@link #members}). */
    static final int NODES = 3;
    /** Node ids a run may use: the first {@link #NODES}, and one more, which a node added later takes. */
    static final int SLOTS = NODES + 1;
    /** The second coordinator's service name; the launcher's own is {@link LocalCluster#COORDINATOR}. */
    static final String COORDINATOR_B = "coordinator-b";
    /** The redis-server's name in the {@link Links}. */
    static final String REDIS = "redis";
    /** How long a node is dead before the balancer recreates its replicas on the live nodes. */
    static final Duration REPAIR_AFTER = Duration.ofSeconds(8);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final ChaosSettings settings;
    private final RedisProcess redis;
    private final Path redisDir;
    private final SluiceCluster cluster;
    private final Path coordinatorBDir;
    private final int coordinatorBPort;
    private final Map<String, String> coordinatorProperties;
    private final BlockingCoordinator metadata;
    /** The nodes that are part of the cluster now: started, and not retired. Changed by the test thread only. */
    private final Set<Integer> members = new TreeSet<>();
    private CoordinatorProcess coordinatorB;

    private ChaosCluster(ChaosSettings settings, RedisProcess redis, Path redisDir, SluiceCluster cluster,
                         Path coordinatorBDir, int coordinatorBPort, Map<String, String> coordinatorProperties) {
        this.settings = settings;
        this.redis = redis;
        this.redisDir = redisDir;
        this.cluster = cluster;
        this.coordinatorBDir = coordinatorBDir;
        this.coordinatorBPort = coordinatorBPort;
        this.coordinatorProperties = coordinatorProperties;
        this.metadata = new BlockingCoordinator(List.of(cluster.coordinatorUrl(), coordinatorBUrl()),
                Duration.ofSeconds(5));
        for (int id = 1; id <= NODES; id++) {
            members.add(id);
        }
    }

    /** Starts Redis, the launcher's cluster (coordinator, nodes, gateway), then the second coordinator. */
    static ChaosCluster start(String name, ChaosSettings settings) {
        Path clusters = Path.of("target", "clusters").toAbsolutePath();
        Path redisDir = tempDir(clusters, name + "-redis-");
        RedisProcess redis = RedisProcess.start(redisDir);
        Path coordinatorBDir = tempDir(clusters, name + "-" + COORDINATOR_B + "-");
        Links links = Links.create();
        Map<String, String> coordinator = coordinatorProperties(settings, links.proxy(REDIS, redis.url()).url());
        SluiceCluster cluster;
        int coordinatorBPort;
        // Held while the launcher picks its ports, so that it cannot pick this one.
        try (ServerSocket reserved = reservePort()) {
            coordinatorBPort = reserved.getLocalPort();
            URI coordinatorB = links.proxy(COORDINATOR_B, URI.create("http://127.0.0.1:" + coordinatorBPort)).url();
            cluster = SluiceCluster.builder(name).nodes(NODES).spareNodes(SLOTS - NODES).withGateway()
                    .withLinks(links)
                    .args(ServiceKind.COORDINATOR, asArgs(coordinator))
                    // The launcher names its coordinator; a second value of the same option is appended to the list.
                    .args(ServiceKind.PARTITION,
                            "--sluice.partition.coordinator-urls=" + coordinatorB,
                            "--sluice.partition.replication.lag-time-max=" + settings.lagTimeMax().toMillis() + "ms",
                            "--sluice.partition.replication.shutdown-timeout=5s",
                            "--spring.lifecycle.timeout-per-shutdown-phase=10s")
                    .args(ServiceKind.GATEWAY, "--sluice.gateway.coordinator-urls=" + coordinatorB)
                    .start();
        } catch (IOException e) {
            links.close();
            redis.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            links.close();
            redis.close();
            throw e;
        }
        ChaosCluster chaos = new ChaosCluster(settings, redis, redisDir, cluster, coordinatorBDir,
                coordinatorBPort, coordinator);
        try {
            chaos.startCoordinatorB();
        } catch (RuntimeException | AssertionError e) {
            chaos.close();
            throw e;
        }
        return chaos;
    }

    private static Map<String, String> coordinatorProperties(ChaosSettings settings, URI redis) {
        // The multi-process tests' clocks (lease, liveness checks, metadata wait), with the run's own session timeout.
        Map<String, String> properties = new LinkedHashMap<>(CoordinatorProcess.fastClocks());
        properties.put("sluice.coordinator.redis.url", redis.toString());
        properties.put("sluice.coordinator.session-timeout", settings.sessionTimeout().toMillis() + "ms");
        properties.put("sluice.coordinator.heartbeat-interval", "500ms");
        // Leadership moves back to returning nodes during the run: more leader changes under load.
        properties.put("sluice.coordinator.election.preferred-leader-check-interval", "5s");
        // The cluster changes shape during the run: a node added takes replicas, a node lost for good has its
        // replicas recreated on the others (FaultKind.ADD_NODE, LOSE_NODE_FOR_GOOD).
        properties.put("sluice.coordinator.balancer.enabled", "true");
        properties.put("sluice.coordinator.balancer.interval", "2s");
        properties.put("sluice.coordinator.balancer.repair-after", REPAIR_AFTER.toMillis() + "ms");
        return properties;
    }

    private static String[] asArgs(Map<String, String> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    // ------------------------------------------------------------------ links

    /** The links between the processes: drop or heal them by the processes' names. */
    Links links() {
        return cluster.links();
    }

    // ------------------------------------------------------------- partition services

    URI gatewayUrl() {
        return cluster.gatewayUrl();
    }

    /** The gateway's Kafka listener, as a Kafka client's {@code bootstrap.servers}. */
    String kafkaBootstrap() {
        return cluster.kafkaBootstrap();
    }

    /** A partition service's own URL (not through a link proxy: the test reaches every process directly). */
    URI nodeUrl(int nodeId) {
        return cluster.nodeUrl(nodeId);
    }

    Path dataDir(int nodeId) {
        return cluster.dataDir(nodeId);
    }

    /** SIGKILL. */
    void kill(int nodeId) {
        cluster.kill(nodeId);
    }

    /** SIGSTOP. */
    void pause(int nodeId) {
        cluster.pause(nodeId);
    }

    /** SIGCONT. */
    void resume(int nodeId) {
        cluster.resume(nodeId);
    }

    /** SIGTERM and wait for the exit (a controlled shutdown). */
    void stop(int nodeId) {
        cluster.stop(nodeId);
    }

    /** Starts a node on its data directory and waits until it is ready; returns how long that took. */
    Duration start(int nodeId) {
        return cluster.start(nodeId);
    }

    boolean isRunning(int nodeId) {
        return cluster.isRunning(nodeId);
    }

    /** Cuts a dead node's replicas back to what they had fsynced. */
    List<PowerLoss.Cut> powerLoss(int nodeId) {
        return PowerLoss.dropUnflushedTails(dataDir(nodeId));
    }

    // --------------------------------------------------------------- coordinators, Redis

    /** The name of the active coordinator ({@link LocalCluster#COORDINATOR} or {@link #COORDINATOR_B}), if any. */
    Optional<String> activeCoordinator() {
        if (status(cluster.coordinatorUrl()).map(CoordinatorStatus::active).orElse(false)) {
            return Optional.of(LocalCluster.COORDINATOR);
        }
        if (status(coordinatorBUrl()).map(CoordinatorStatus::active).orElse(false)) {
            return Optional.of(COORDINATOR_B);
        }
        return Optional.empty();
    }

    /** Whether {@code coordinator} ({@link LocalCluster#COORDINATOR} or {@link #COORDINATOR_B}) answers active. */
    boolean isActive(String coordinator) {
        URI url = coordinator.equals(COORDINATOR_B) ? coordinatorBUrl() : cluster.coordinatorUrl();
        return status(url).map(CoordinatorStatus::active).orElse(false);
    }

    /** Waits until one coordinator is active and returns its name. */
    String awaitActiveCoordinator(Duration timeout) {
        return Waits.await("an active coordinator", timeout, () -> activeCoordinator().orElse(null));
    }

    /** SIGKILL of one coordinator. */
    void killCoordinator(String coordinator) {
        if (coordinator.equals(COORDINATOR_B)) {
            coordinatorB.kill();
        } else {
            cluster.processes().kill(LocalCluster.COORDINATOR);
        }
    }

    /** Starts a killed coordinator again on its port; it answers (as standby or active) when this returns. */
    void startCoordinator(String coordinator) {
        if (coordinator.equals(COORDINATOR_B)) {
            startCoordinatorB();
        } else {
            cluster.processes().start(LocalCluster.COORDINATOR);
        }
    }

    private void startCoordinatorB() {
        Map<String, String> properties = new LinkedHashMap<>(coordinatorProperties);
        properties.put("sluice.coordinator.data-dir", coordinatorBDir.resolve("data").toString());
        // Standbys redirect to the active coordinator's advertised URL: coordinator-b's must be its proxy too.
        properties.put("sluice.coordinator.advertised-url", links().proxyOf(COORDINATOR_B).url().toString());
        coordinatorB = CoordinatorProcess.start(COORDINATOR_B, coordinatorBDir, coordinatorBPort, properties)
                .awaitUp(CoordinatorProcess.START_TIMEOUT);
    }

    private URI coordinatorBUrl() {
        return URI.create("http://127.0.0.1:" + coordinatorBPort);
    }

    /** SIGKILL of the redis-server. */
    void killRedis() {
        redis.kill();
    }

    void restartRedis() {
        redis.restart();
    }

    // ------------------------------------------------------------------- state

    /** The active coordinator's view of the nodes; empty while no coordinator answers. */
    List<NodeInfo> nodes() {
        try {
            return metadata.nodes();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    boolean isAliveAtCoordinator(int nodeId) {
        return nodes().stream().anyMatch(node -> node.id() == nodeId && node.isAlive());
    }

    /** Whether the coordinator answers and counts the node as not alive. */
    boolean isDeadAtCoordinator(int nodeId) {
        return nodes().stream().anyMatch(node -> node.id() == nodeId && !node.isAlive());
    }

    TopicMetadata topic(String topic) {
        return metadata.describeTopic(topic);
    }

    /** Partitions of {@code topic} that {@code nodeId} leads now; empty if the coordinator does not answer. */
    List<Integer> ledBy(String topic, int nodeId) {
        try {
            return topic(topic).partitions().stream().filter(p -> p.leader() == nodeId)
                    .map(PartitionState::partition).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Every member alive at the coordinator and every partition of {@code topic} with a leader. */
    boolean isServing(String topic) {
        try {
            List<Integer> alive = nodes().stream().filter(NodeInfo::isAlive).map(NodeInfo::id).toList();
            return alive.containsAll(members) && topic(topic).partitions().stream().allMatch(PartitionState::hasLeader);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * {@link #isServing}, nothing moving, and every replica of {@code topic} on a member: the cluster's shape as the
     * run made it.
     */
    boolean isShapeSettled(String topic) {
        try {
            return isServing(topic) && topic(topic).partitions().stream().allMatch(p -> p.addingReplicas().isEmpty()
                    && p.removingReplicas().isEmpty() && members.containsAll(p.replicas()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@link #isServing} and every ISR full. */
    boolean isFullyReplicated(String topic) {
        try {
            return isServing(topic) && topic(topic).partitions().stream().noneMatch(PartitionState::isUnderReplicated);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
    static boolean within(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Waits.sleep(Duration.ofMillis(100));
        }
        return condition.getAsBoolean();
    }

    /**
     * Brings every process and link back: every link healed, Redis, both coordinators, every node started or resumed.
     * After a failed fault step this is what lets the check run at all.
     */
    void restoreProcesses() {
        links().healAll();
        if (!redis.isAlive()) {
            redis.restart();
        }
        if (cluster.processes().process(LocalCluster.COORDINATOR).isEmpty()) {
            cluster.processes().start(LocalCluster.COORDINATOR);
        }
        if (coordinatorB == null || !coordinatorB.isAlive()) {
            startCoordinatorB();
        }
        for (int node : members) {
            if (cluster.isRunning(node)) {
                cluster.resume(node);
            } else {
                cluster.start(node);
            }
        }
    }

    // ------------------------------------------------------------------ shape

    /** A node id no member has (a slot never used, or one retired), or empty when every slot is a member. */
    Optional<Integer> freeSlot() {
        for (int id = 1; id <= SLOTS; id++) {
            if (!members.contains(id)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts node {@code id} as a new machine — an empty data directory; a decommission left on the id's record from
     * an earlier machine is cancelled first, so that it takes replicas — and makes it a member; returns how long the
     * start took.
     */
    Duration addNode(int id) {
        if (decommissioning(id)) {
            coordinatorCall("DELETE", decommissionPath(id));
        }
        delete(dataDir(id));
        Duration startup = cluster.start(id);
        members.add(id);
        return startup;
    }

    /** Node {@code id} is no longer part of the cluster (stopped, or lost for good). */
    void retire(int id) {
        members.remove(id);
    }

    /** A lost disk: node {@code id}'s data directory is gone. */
    void wipe(int id) {
        delete(dataDir(id));
    }

    /** Starts the decommission of node {@code id}: every replica moves off it. */
    void decommission(int id) {
        coordinatorCall("POST", decommissionPath(id));
    }

    /** Whether the coordinator counts node {@code id} as decommissioning. */
    boolean decommissioning(int id) {
        return nodes().stream().anyMatch(node -> node.id() == id && Boolean.TRUE.equals(node.decommissioning()));
    }

    private static String decommissionPath(int id) {
        return CoordinatorPaths.NODE_DECOMMISSION.replace("{id}", Integer.toString(id));
    }

    /** Whether no partition of any topic has a replica on node {@code id}, or is moving one there; false unknown. */
    boolean holdsNoReplica(int id) {
        try {
            return metadata.topics().stream().flatMap(topic -> topic.partitions().stream())
                    .noneMatch(p -> p.replicas().contains(id) || p.addingReplicas().contains(id));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether some partition has a replica on node {@code id}, or is moving one there; false when unknown. */
    boolean holdsReplicas(int id) {
        try {
            return metadata.topics().stream().flatMap(topic -> topic.partitions().stream())
                    .anyMatch(p -> p.replicas().contains(id) || p.addingReplicas().contains(id));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A call of the active coordinator's internal API; a failure is an AssertionError naming the answer. */
    private void coordinatorCall(String method, String path) {
        String active = awaitActiveCoordinator(Duration.ofSeconds(30));
        URI url = (active.equals(COORDINATOR_B) ? coordinatorBUrl() : cluster.coordinatorUrl()).resolve(path);
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                throw new AssertionError(method + " " + path + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Optional<CoordinatorStatus> status(URI coordinator) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(coordinator.resolve(CoordinatorPaths.STATUS))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(SluiceJson.mapper().readValue(response.body(), CoordinatorStatus.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            metadata.close();
            cluster.close();
        } finally {
            if (coordinatorB != null) {
                coordinatorB.stop();
            }
            redis.close();
            keep(coordinatorBDir.resolve("logs").resolve(COORDINATOR_B + ".log"), COORDINATOR_B + ".log");
            keep(redisDir.resolve("redis.log"), "redis.log");
            delete(coordinatorBDir);
            delete(redisDir);
        }
    }

    // ------------------------------------------------------------------ files

    private static Path tempDir(Path parent, String prefix) {
        try {
            return Files.createTempDirectory(Files.createDirectories(parent), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bound socket on a free loopback port below the ephemeral range. */
    private static ServerSocket reservePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            ServerSocket socket = new ServerSocket();
            try {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        ThreadLocalRandom.current().nextInt(20000, 32000)));
                return socket;
            } catch (IOException e) {
                socket.close();
            }
        }
        throw new IOException("No free loopback port found in 20000..31999");
    }

    /** Copies a log of a process run beside the cluster into the cluster's own directory of kept logs. */
    private void keep(Path log, String keptAs) {
        try {
            if (Files.exists(log)) {
                Files.copy(log, cluster.keptLogDirectory().resolve(keptAs), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.out.println("[chaos] could not keep " + log + ": " + e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.out.println("[chaos] could not delete " + dir + ": " + e);
        }
    }

    /** The members: the nodes that are part of the cluster now. */
    List<Integer> nodeIds() {
        return List.copyOf(members);
    }

    ChaosSettings settings() {
        return settings;
    }
}
