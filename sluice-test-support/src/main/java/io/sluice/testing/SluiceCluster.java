package io.sluice.testing;

import io.sluice.launcher.ClusterConfig;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.RepoRoot;
import io.sluice.launcher.ServiceKind;
import io.sluice.launcher.ServiceProcess;
import io.sluice.launcher.ServiceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real-process cluster every multi-process test uses: a coordinator (with its embedded Redis), partition services
 * and, if asked, a gateway, each its own JVM started by the launcher ({@link LocalCluster}, the code behind
 * {@code bin/sluice}) from the jars in this checkout, on free loopback ports, with data under a fresh directory in
 * the calling module's {@code target/clusters/}.
 *
 * <p>Every process is signalled by PID through the launcher. {@link #close} stops them all, keeps the service logs in
 * {@code target/cluster-logs/<name>/<start time>-<test JVM's pid>/} and deletes the data: a directory per cluster, as
 * clusters of one name run side by side in parallel test JVMs and one after another in a run. Drive it from the test thread (the launcher is not
 * thread-safe); {@link #coordinator()} may be called from any thread.
 */
public final class SluiceCluster implements AutoCloseable {

    /** The broker id of the first gateway {@link #startGateway} starts; the next ones count up from it. */
    public static final int FIRST_STARTED_GATEWAY_ID = 1001;

    /** Small heaps and C1 only: several JVMs share two cores and live for one test class. */
    private static final List<String> TEST_JVM = testJvm("384m");
    private static final Duration READY_TIMEOUT = CoordinatorProcess.START_TIMEOUT;
    private static final String BALANCER_SETTING = "--sluice.coordinator.balancer.enabled=";

    /**
     * The JVM options of a test service: small heaps, C1 only (short-lived processes on two cores), and no quiet
     * period before Netty's event loops stop (Reactor Netty waits 2 s per loop group by default, which every
     * service stop of every test paid).
     */
    public static List<String> testJvm(String maxHeap) {
        return List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms32m", "-Xmx" + maxHeap,
                "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED",
                "-Dreactor.netty.ioShutdownQuietPeriod=0");
    }

    private final String name;
    private final LocalCluster cluster;
    private final Path baseDir;
    private final Path keptLogs;
    private final String startedAt = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now());
    private Path ownLogs;
    private volatile BlockingCoordinator coordinator;
    private final String clusterSecret;
    private final Links links;
    private final AtomicInteger startedGateways = new AtomicInteger();
    private final Map<String, Integer> kafkaPorts = new ConcurrentHashMap<>();
    private final Map<String, ServiceSpec> startedGatewaySpecs = new ConcurrentHashMap<>();

    private SluiceCluster(String name, LocalCluster cluster, Path baseDir, Path keptLogs, String clusterSecret,
                          Links links) {
        this.clusterSecret = clusterSecret;
        this.links = links;
        this.name = name;
        this.cluster = cluster;
        this.baseDir = baseDir;
        this.keptLogs = keptLogs;
    }

    /** A cluster named {@code name} (its kept logs' directory): a coordinator and three partition services. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public LocalCluster processes() {
        return cluster;
    }

    public Path baseDir() {
        return baseDir;
    }

    public URI coordinatorUrl() {
        return cluster.coordinatorUrl();
    }

    public URI gatewayUrl() {
        return cluster.gatewayUrl();
    }

    /** The gateway's Kafka listener, as a Kafka client's {@code bootstrap.servers}. */
    public String kafkaBootstrap() {
        return cluster.kafkaBootstrap();
    }

    public URI nodeUrl(int nodeId) {
        return cluster.nodeUrl(nodeId);
    }

    /**
     * The links between this cluster's processes, when it was built {@link Builder#withLinks()}: cut, drop, delay or
     * make one-way the link between two processes by name ({@code coordinator}, {@code partition-<id>},
     * {@code gateway}, {@link Links#TEST}).
     */
    public Links links() {
        if (links == null) {
            throw new IllegalStateException("this cluster's processes talk directly; build it withLinks()");
        }
        return links;
    }

    /** The admin UI's URL; it runs only when the cluster was built {@link Builder#withAdminUi()}. */
    public URI adminUrl() {
        return cluster.adminUrl();
    }

    /** A partition service's data directory: {@code <base>/node-<id>}. */
    public Path dataDir(int nodeId) {
        return baseDir.resolve("node-" + nodeId);
    }

    public static String service(int nodeId) {
        return LocalCluster.partition(nodeId);
    }

    /** The coordinator's internal API through the real client, for set-up and for checking its state. */
    public BlockingCoordinator coordinator() {
        BlockingCoordinator client = coordinator;
        if (client == null) {
            synchronized (this) {
                if (coordinator == null) {
                    coordinator = new BlockingCoordinator(List.of(coordinatorUrl()), Duration.ofSeconds(10), clusterSecret);
                }
                client = coordinator;
            }
        }
        return client;
    }

    /** Waits until the coordinator counts {@code count} nodes alive. */
    public void awaitNodesAlive(int count, Duration timeout) {
        Waits.await(count + " nodes alive at the coordinator", timeout, () ->
                coordinator().nodes().stream().filter(n -> n.isAlive()).count() == count ? Boolean.TRUE : null);
    }

    // ------------------------------------------------------------------ faults

    /**
     * Starts one more gateway, named {@code name} ({@code gateway-b}, say), with the same settings as the cluster's
     * own on free ports (its Kafka listener's too, as a broker id of its own: {@link #FIRST_STARTED_GATEWAY_ID} for the
     * first started, then one more for each), and waits until it is ready: gateways are stateless, so any number serve one cluster. It is stopped with the cluster,
     * or earlier by {@link #kill(String)}. {@code settings} ({@code --key=value}) are added, each replacing the cluster
     * gateway's own setting of that key.
     */
    public URI startGateway(String name, String... settings) {
        ServiceSpec gateway = cluster.config().spec(LocalCluster.GATEWAY).orElseThrow(() ->
                new IllegalStateException("this cluster has no gateway; build it withGateway()"));
        int port = freePort();
        int kafkaPort = freePort();
        List<String> args = new ArrayList<>(gateway.args());
        args.replaceAll(arg -> arg.startsWith("--server.port=") ? "--server.port=" + port
                : arg.startsWith("--sluice.gateway.kafka.port=") ? "--sluice.gateway.kafka.port=" + kafkaPort : arg);
        // Above the partition services' node ids: a gateway holding a node's id would take that node's partitions
        // off the direct data path.
        args.add("--sluice.gateway.kafka.node-id=" + (FIRST_STARTED_GATEWAY_ID + startedGateways.getAndIncrement()));
        for (String setting : settings) {
            // Spring joins two values of one command-line key with a comma: the added one must replace the other.
            String key = setting.substring(0, setting.indexOf('=') + 1);
            args.removeIf(arg -> arg.startsWith(key));
            args.add(setting);
        }
        ServiceSpec spec = new ServiceSpec(name, ServiceKind.GATEWAY, gateway.jar(), List.of(port, kafkaPort), args);
        cluster.launchInstance(spec).awaitReady(cluster.config().readyTimeout());
        kafkaPorts.put(name, kafkaPort);
        startedGatewaySpecs.put(name, spec);
        return spec.url();
    }

    /** The Kafka listener of a gateway from {@link #startGateway}, as a Kafka client's {@code bootstrap.servers}. */
    public String kafkaBootstrap(String gateway) {
        Integer port = kafkaPorts.get(gateway);
        if (port == null) {
            throw new IllegalArgumentException("no gateway named " + gateway + " was started");
        }
        return "127.0.0.1:" + port;
    }

    /** SIGKILL of a service by name: a gateway from {@link #startGateway}, or {@link LocalCluster#GATEWAY}. */
    public void kill(String service) {
        cluster.kill(service);
    }

    /**
     * A restart of a service by name, as a rolling restart does it: SIGTERM (a graceful stop; a partition service
     * hands its leaderships away first), then a start on the same ports and data, waiting until it is ready. Any
     * service: {@link #service(int) partition-<id>}, {@link LocalCluster#GATEWAY}, or a gateway from
     * {@link #startGateway} (it comes back with the same broker id and ports). Returns how long it took.
     */
    public Duration restart(String service) {
        long started = System.nanoTime();
        cluster.stop(service);
        ServiceSpec gateway = startedGatewaySpecs.get(service);
        if (gateway == null) {
            cluster.start(service);
        } else {
            cluster.launchInstance(gateway).awaitReady(cluster.config().readyTimeout());
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, as a crash. */
    public void kill(int nodeId) {
        cluster.kill(service(nodeId));
    }

    /** SIGSTOP: the JVM freezes, its sockets stay open. */
    public void pause(int nodeId) {
        cluster.pause(service(nodeId));
    }

    /** SIGCONT, if it is paused. */
    public void resume(int nodeId) {
        if (cluster.process(service(nodeId)).filter(ServiceProcess::isPaused).isPresent()) {
            cluster.resume(service(nodeId));
        }
    }

    /** SIGTERM: a controlled shutdown that hands leaderships away, then a clean close of the logs. */
    public void stop(int nodeId) {
        cluster.stop(service(nodeId));
    }

    /** Starts a node again (on the same data directory) and waits until it serves; returns how long that took. */
    public Duration start(int nodeId) {
        long started = System.nanoTime();
        cluster.start(service(nodeId));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Starts several nodes at once (their JVMs start in parallel) and waits until every one is ready. */
    public Duration startAll(List<Integer> nodeIds, Duration timeout) {
        long started = System.nanoTime();
        List<ServiceProcess> launched = nodeIds.stream().map(id -> cluster.launch(service(id))).toList();
        for (ServiceProcess process : launched) {
            process.awaitReady(timeout);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    public boolean isRunning(int nodeId) {
        return cluster.process(service(nodeId)).isPresent();
    }

    public Optional<ServiceProcess> process(int nodeId) {
        return cluster.process(service(nodeId));
    }

    /** A node's service log (stdout and stderr of every start). */
    public Path logFile(int nodeId) {
        return cluster.logFile(service(nodeId));
    }

    /** A service's log by name: a gateway from {@link #startGateway}, or {@link LocalCluster#GATEWAY}. */
    public Path logFile(String service) {
        return cluster.logFile(service);
    }

    /** Stops every process (SIGTERM, SIGKILL after the grace), keeps the service logs, deletes the data. */
    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            if (coordinator != null) {
                coordinator.close();
            }
            if (links != null) {
                links.close();
            }
            keepLogsAndDeleteData();
        }
    }

    private void keepLogsAndDeleteData() {
        try {
            Map<String, Path> logs = cluster.logFiles();
            if (!logs.isEmpty()) {
                Path kept = keptLogDirectory();
                for (Map.Entry<String, Path> log : logs.entrySet()) {
                    Files.copy(log.getValue(), kept.resolve(log.getKey() + ".log"));
                }
                System.out.println("[cluster] " + name + ": service logs kept in " + kept);
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

    /**
     * This cluster's own directory for its logs under {@code keptLogs}, created on the first call: no other cluster's
     * logs are overwritten. A test keeps the logs of processes it ran beside the cluster here too.
     */
    public synchronized Path keptLogDirectory() throws IOException {
        if (ownLogs == null) {
            Files.createDirectories(keptLogs);
            String own = startedAt + "-" + ProcessHandle.current().pid();
            for (int n = 1; ownLogs == null; n++) {
                try {
                    ownLogs = Files.createDirectory(keptLogs.resolve(n == 1 ? own : own + "-" + n));
                } catch (FileAlreadyExistsException taken) {
                    // Another cluster of this name started in the same second in this JVM.
                }
            }
        }
        return ownLogs;
    }

    /** What to start; {@link #start} starts it and waits until every service is ready. */
    public static final class Builder {

        private final String name;
        private int nodes = 3;
        private final Set<ServiceKind> kinds = EnumSet.of(ServiceKind.COORDINATOR, ServiceKind.PARTITION);
        private final Map<ServiceKind, List<String>> args = new EnumMap<>(ServiceKind.class);
        private List<String> jvmOptions = TEST_JVM;
        // Generous: a JVM that starts in 3 s on a quiet machine took 84 s on a loaded CI machine, and a wait that
        // passes costs nothing.
        private Duration readyTimeout = READY_TIMEOUT;
        private Duration stopGrace = Duration.ofSeconds(20);
        private String clusterSecret;
        private boolean withLinks;
        private Links links;
        private int spareNodes;
        private boolean directDataPath = true;

        private Builder(String name) {
            this.name = name;
        }

        public Builder nodes(int count) {
            this.nodes = count;
            return this;
        }

        /**
         * Room for {@code count} more nodes, started later ({@link #start(int)} with ids after the first ones): with
         * {@link #withLinks()} each gets its proxy now, so that the others reach it through the links too.
         */
        public Builder spareNodes(int count) {
            this.spareNodes = count;
            return this;
        }

        /**
         * The partition services run Kafka listeners of their own (the direct data path, which {@code bin/sluice up}
         * runs too): the default, with security on too.
         */
        public Builder directDataPath() {
            this.directDataPath = true;
            return this;
        }

        /** No partition service runs a Kafka listener: Kafka clients reach every partition through the gateway. */
        public Builder gatewayDataPath() {
            this.directDataPath = false;
            return this;
        }

        /** Also a gateway, started after the partition services. */
        public Builder withGateway() {
            kinds.add(ServiceKind.GATEWAY);
            return this;
        }

        /** Also a gateway and the admin UI (the web console) in front of it, started last. */
        public Builder withAdminUi() {
            kinds.add(ServiceKind.GATEWAY);
            kinds.add(ServiceKind.ADMIN_UI);
            return this;
        }

        /**
         * Every process reaches the coordinator and the partition services through {@link Links} of the test's: each
         * of them gets a {@link LinkProxy}, whose address the others are given as its advertised URL or coordinator
         * URL ({@link ClusterConfig#withRoute}); the test itself keeps the real addresses ({@link #nodeUrl},
         * {@link #coordinatorUrl}). Of the callers of a process killed behind a proxy, the first is reset and the
         * later ones are refused (see {@link Links}).
         */
        public Builder withLinks() {
            this.withLinks = true;
            return this;
        }

        /**
         * {@link #withLinks()} through the test's own {@code links}, which may already hold proxies in front of
         * processes outside this cluster (a second coordinator, a Redis of the test's); the cluster closes them.
         */
        public Builder withLinks(Links links) {
            this.withLinks = true;
            this.links = links;
            return this;
        }

        /**
         * Application arguments ({@code --key=value}) for every instance of {@code kind}; in a partition service's,
         * {@code {node}} stands for its node id ({@code --sluice.partition.rack=rack-{node}}: a rack per node).
         */
        public Builder args(ServiceKind kind, String... values) {
            args.computeIfAbsent(kind, k -> new ArrayList<>()).addAll(List.of(values));
            return this;
        }

        /**
         * The cluster secret of a secured cluster (its services get it from their own configuration, e.g. a file in
         * {@code --spring.config.import}): {@link #coordinator()} sends it on its internal calls.
         */
        public Builder clusterSecret(String secret) {
            this.clusterSecret = secret;
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public Builder stopGrace(Duration grace) {
            this.stopGrace = grace;
            return this;
        }

        public SluiceCluster start() {
            Path root = RepoRoot.find(Path.of("")).orElseThrow(() -> new IllegalStateException("not in a Sluice checkout"));
            for (ServiceKind kind : kinds) {
                if (!Files.isRegularFile(kind.jar(root))) {
                    throw new IllegalStateException(kind.jar(root) + " is missing; build it first: ./mvnw -pl "
                            + kind.module() + " -am package -DskipTests");
                }
            }
            Path target = Path.of("target").toAbsolutePath();
            Path baseDir;
            try {
                baseDir = Files.createTempDirectory(Files.createDirectories(target.resolve("clusters")), name + "-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ClusterConfig config = ClusterConfig.defaults(root)
                    .withKinds(kinds.toArray(ServiceKind[]::new))
                    .withNodes(nodes)
                    .withBaseDir(baseDir)
                    .withFreePorts()
                    .withJvmOptions(jvmOptions)
                    .withReadyTimeout(readyTimeout)
                    .withStopGrace(stopGrace)
                    .withDirectDataPath(directDataPath);
            for (Map.Entry<ServiceKind, List<String>> entry : args.entrySet()) {
                config = config.withArgs(entry.getKey(), entry.getValue().toArray(String[]::new));
            }
            // Replicas stay where a test placed them (CoordinatorProcess.fastClocks says the same): a test of the
            // balancer turns it on with its own setting, which Spring would otherwise join to this one with a comma.
            if (args.getOrDefault(ServiceKind.COORDINATOR, List.of()).stream()
                    .noneMatch(arg -> arg.startsWith(BALANCER_SETTING))) {
                config = config.withArgs(ServiceKind.COORDINATOR, BALANCER_SETTING + "false");
            }
            Links links = null;
            if (withLinks) {
                links = this.links != null ? this.links : Links.create();
                if (kinds.contains(ServiceKind.COORDINATOR)) {
                    config = config.withRoute(LocalCluster.COORDINATOR,
                            links.proxy(LocalCluster.COORDINATOR, config.coordinatorUrl()).url());
                }
                for (int id = 1; kinds.contains(ServiceKind.PARTITION) && id <= nodes + spareNodes; id++) {
                    config = config.withRoute(service(id), links.proxy(service(id), config.nodeUrl(id)).url());
                }
            }
            LocalCluster processes = new LocalCluster(config, line -> System.out.println("[cluster] " + line))
                    .stopOnJvmExit();
            SluiceCluster cluster = new SluiceCluster(name, processes, baseDir, target.resolve("cluster-logs").resolve(name),
                    clusterSecret, links);
            try {
                long started = System.nanoTime();
                processes.up();
                System.out.printf("[cluster] %s up in %.1f s (base %s)%n", name, (System.nanoTime() - started) / 1e9,
                        baseDir);
                if (kinds.contains(ServiceKind.PARTITION)) {
                    cluster.awaitNodesAlive(nodes, Duration.ofMinutes(2));
                }
            } catch (RuntimeException | AssertionError e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
