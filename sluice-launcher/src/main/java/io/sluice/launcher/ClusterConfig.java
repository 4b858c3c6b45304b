package io.sluice.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a local cluster is: where it keeps its files, which services it runs on which loopback ports, and how their
 * JVMs are started. The defaults, as docs/operations.md ("Local cluster") lists them: gateway 8080 (its Kafka
 * listener 9092), admin UI 8088,
 * coordinator 9400, partition services 9501.., embedded Redis 6390, three nodes, data under {@code <repo>/var};
 * {@link Setting} lists the environment variables and options that override them.
 *
 * <p>Layout under {@code baseDir}: {@code coordinator/} (the coordinator's data, with its embedded Redis),
 * {@code node-<id>/} (a partition service's replicas), {@code logs/<service>.log}, {@code run/<service>.pid}.
 *
 * @param repoRoot    the checkout whose jars are launched ({@code <module>/target/<module>-<version>.jar})
 * @param baseDir     absolute; data, logs and pid files
 * @param java        the java binary; by default the one running this launcher
 * @param kinds       the kinds of service to run; those whose jar is absent are skipped
 * @param extraArgs   application arguments appended for every instance of a kind (tests: shorter timeouts); in a
 *                    partition service's, {@value #NODE_ID} stands for its node id (a rack per node, say)
 * @param stopGrace   how long {@code stop} waits after SIGTERM before SIGKILL
 * @param secure      {@code up --secure}: every service with security and TLS on, from the {@link SecureMaterial} in
 *                    {@code <base>/secure/}; every URL https
 * @param routes      by service name, the URL the other services are given for it where that is not its own: a
 *                    test's link proxy in front of it ({@code Links} in sluice-test-support). A partition service
 *                    advertises its route, a coordinator advertises its route and is given to the others by it, the
 *                    admin UI is given the gateway's. The service still binds its own port, and {@link #nodeUrl},
 *                    {@link #coordinatorUrl} and the other URL accessors stay its own address.
 * @param directDataPath every partition service runs a Kafka listener of its own, on a free port, and Kafka clients
 *                    produce to and fetch from the leaders there (docs/kafka.md, "The direct data path"); not with
 *                    {@code secure}, where the gateways serve every partition
 * @param aotTrain    every service records a start-up cache trained by this run, written as it stops ({@link AotCache})
 */
public record ClusterConfig(Path repoRoot, Path baseDir, Path java, List<String> jvmOptions, int coordinatorPort,
                            int redisPort, int firstPartitionPort, int nodes, int gatewayPort, int adminPort,
                            int kafkaPort, Set<ServiceKind> kinds, Map<ServiceKind, List<String>> extraArgs,
                            Duration readyTimeout, Duration stopGrace, boolean secure, Map<String, URI> routes,
                            boolean directDataPath, boolean aotTrain) {

    static final int MAX_NODES = 99;
    /** In a partition service's extra arguments, its node id. */
    public static final String NODE_ID = "{node}";
    private static final String CLIENT_AUTH = "--server.ssl.client-auth=";
    private static final String LOOPBACK = "127.0.0.1";

    public ClusterConfig {
        repoRoot = repoRoot.toAbsolutePath().normalize();
        baseDir = baseDir.toAbsolutePath().normalize();
        jvmOptions = List.copyOf(jvmOptions);
        kinds = Collections.unmodifiableSet(
                kinds.isEmpty() ? EnumSet.noneOf(ServiceKind.class) : EnumSet.copyOf(kinds));
        Map<ServiceKind, List<String>> args = new EnumMap<>(ServiceKind.class);
        extraArgs.forEach((kind, list) -> args.put(kind, List.copyOf(list)));
        extraArgs = Collections.unmodifiableMap(args);
        routes = Map.copyOf(routes);
        checkPort("coordinator port", coordinatorPort);
        checkPort("redis port", redisPort);
        checkPort("gateway port", gatewayPort);
        checkPort("admin UI port", adminPort);
        checkPort("Kafka listener port", kafkaPort);
        checkPort("first partition port", firstPartitionPort);
        if (nodes < 0 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("nodes must be between 0 and " + MAX_NODES + ": " + nodes);
        }
        checkPort("last partition port", firstPartitionPort + Math.max(nodes, 1) - 1);
        if (readyTimeout.isNegative() || readyTimeout.isZero() || stopGrace.isNegative()) {
            throw new IllegalArgumentException("ready timeout must be positive and stop grace not negative");
        }
    }

    /**
     * The defaults (docs/operations.md, "Local cluster") for a checkout: all services, data under
     * {@code <repoRoot>/var}.
     */
    public static ClusterConfig defaults(Path repoRoot) {
        return fromSettings(repoRoot, repoRoot, Map.of());
    }

    /**
     * A configuration from explicit settings (the environment overlaid with command-line options); unset ones take
     * their default. A relative base directory is resolved against {@code workingDir}.
     *
     * @throws IllegalArgumentException naming the setting, when a value does not parse or is out of range
     */
    static ClusterConfig fromSettings(Path repoRoot, Path workingDir, Map<Setting, String> settings) {
        try {
            String baseDir = settings.get(Setting.BASE_DIR);
            return new ClusterConfig(repoRoot,
                    baseDir == null ? repoRoot.resolve("var") : workingDir.resolve(baseDir),
                    Path.of(System.getProperty("java.home"), "bin", "java"),
                    splitOptions(value(settings, Setting.JVM_OPTS)),
                    intValue(settings, Setting.COORDINATOR_PORT), intValue(settings, Setting.REDIS_PORT),
                    intValue(settings, Setting.PARTITION_PORT), intValue(settings, Setting.NODES),
                    intValue(settings, Setting.GATEWAY_PORT), intValue(settings, Setting.ADMIN_PORT),
                    intValue(settings, Setting.KAFKA_PORT),
                    EnumSet.allOf(ServiceKind.class), Map.of(),
                    Setting.parseDuration(value(settings, Setting.READY_TIMEOUT)),
                    Setting.parseDuration(value(settings, Setting.STOP_GRACE)), false, Map.of(),
                    Setting.parseDataPath(value(settings, Setting.DATA_PATH)),
                    Setting.parseBoolean(value(settings, Setting.AOT_TRAIN)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe(settings, e), e);
        }
    }

    /** The instances to run, in start order: coordinator, partition services 1..nodes, gateway, admin UI. */
    public List<ServiceSpec> services() {
        List<ServiceSpec> services = new ArrayList<>();
        for (ServiceKind kind : ServiceKind.values()) {
            if (!kinds.contains(kind)) {
                continue;
            }
            if (kind == ServiceKind.PARTITION) {
                for (int id = 1; id <= nodes; id++) {
                    services.add(partition(id));
                }
            } else {
                services.add(spec(kind, 0));
            }
        }
        return services;
    }

    /**
     * The spec of any instance by name, also of a partition service beyond {@link #nodes()} (a test adding a
     * node): node N listens on {@code firstPartitionPort + N - 1}.
     */
    public Optional<ServiceSpec> spec(String name) {
        return ServiceKind.ofServiceName(name)
                .map(kind -> spec(kind, ServiceKind.nodeId(name).orElse(0)))
                .filter(spec -> spec.ports().stream().allMatch(port -> port <= 65535));
    }

    public ServiceSpec partition(int nodeId) {
        if (nodeId < 1) {
            throw new IllegalArgumentException("node ids start at 1: " + nodeId);
        }
        return spec(ServiceKind.PARTITION, nodeId);
    }

    public Path jar(ServiceKind kind) {
        return kind.jar(repoRoot);
    }

    public Path logDir() {
        return baseDir.resolve("logs");
    }

    public Path runDir() {
        return baseDir.resolve("run");
    }

    /** The coordinator's data directory (its embedded Redis keeps its files there). */
    public Path coordinatorDataDir() {
        return baseDir.resolve("coordinator");
    }

    public URI coordinatorUrl() {
        return loopbackUrl(coordinatorPort, secure);
    }

    public URI nodeUrl(int nodeId) {
        return loopbackUrl(firstPartitionPort + nodeId - 1, secure);
    }

    public URI gatewayUrl() {
        return loopbackUrl(gatewayPort, secure);
    }

    /** Where Kafka clients reach the gateway's Kafka listener: their {@code bootstrap.servers}. */
    public String kafkaBootstrap() {
        return LOOPBACK + ":" + kafkaPort;
    }

    public URI adminUrl() {
        return loopbackUrl(adminPort, secure);
    }

    public ClusterConfig withBaseDir(Path dir) {
        return new ClusterConfig(repoRoot, dir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, readyTimeout, stopGrace, secure, routes,
                directDataPath, aotTrain);
    }

    public ClusterConfig withNodes(int count) {
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                count, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, readyTimeout, stopGrace, secure, routes,
                directDataPath, aotTrain);
    }

    /** Only these kinds of service; e.g. {@code withKinds(COORDINATOR)} for a coordinator on its own. */
    public ClusterConfig withKinds(ServiceKind... only) {
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, Set.of(only), extraArgs, readyTimeout, stopGrace, secure,
                routes, directDataPath, aotTrain);
    }

    public ClusterConfig withPorts(int coordinator, int redis, int firstPartition, int gateway, int admin, int kafka) {
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinator, redis, firstPartition, nodes,
                gateway, admin, kafka, kinds, extraArgs, readyTimeout, stopGrace, secure, routes, directDataPath,
                aotTrain);
    }

    /**
     * Free loopback ports for every service, so that a test cluster runs beside a developer's cluster and other
     * test clusters. The partition services get a block with room for node ids up to {@code max(nodes, 10)}, so a
     * test can add nodes; set {@link #withNodes} first.
     */
    public ClusterConfig withFreePorts() {
        // One block: the chosen ports are only checked, not held, so they must not overlap one another.
        int block = Math.max(nodes, 10);
        int first = freePortBlock(5 + block);
        return withPorts(first, first + 1, first + 5, first + 2, first + 3, first + 4);
    }

    public ClusterConfig withJvmOptions(List<String> options) {
        return new ClusterConfig(repoRoot, baseDir, java, options, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, readyTimeout, stopGrace, secure, routes,
                directDataPath, aotTrain);
    }

    /** Appends application arguments ({@code --key=value}) to every instance of a kind. */
    public ClusterConfig withArgs(ServiceKind kind, String... args) {
        Map<ServiceKind, List<String>> updated = new EnumMap<>(ServiceKind.class);
        updated.putAll(extraArgs);
        List<String> list = new ArrayList<>(extraArgs.getOrDefault(kind, List.of()));
        list.addAll(Arrays.asList(args));
        updated.put(kind, list);
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, updated, readyTimeout, stopGrace, secure, routes,
                directDataPath, aotTrain);
    }

    public ClusterConfig withReadyTimeout(Duration timeout) {
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, timeout, stopGrace, secure, routes,
                directDataPath, aotTrain);
    }

    /** With security and TLS on ({@code up --secure}). */
    public ClusterConfig withSecure(boolean on) {
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, readyTimeout, stopGrace, on, routes,
                directDataPath, aotTrain);
    }

    /** With the partition services' own Kafka listeners on or off (see {@code directDataPath}). */
    public ClusterConfig withDirectDataPath(boolean on) {
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, readyTimeout, stopGrace, secure, routes,
                on, aotTrain);
    }

    /** With the services recording start-up caches trained by the run, or not (see {@code aotTrain}). */
    public ClusterConfig withAotTrain(boolean on) {
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, readyTimeout, stopGrace, secure, routes,
                directDataPath, on);
    }

    /** The secure cluster's files, whether made yet or not. */
    SecureMaterial secureMaterial() {
        return SecureMaterial.of(baseDir);
    }

    /** With other services given {@code route} for service {@code name} instead of its own URL (see {@code routes}). */
    public ClusterConfig withRoute(String name, URI route) {
        Map<String, URI> updated = new HashMap<>(routes);
        updated.put(name, route);
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, readyTimeout, stopGrace, secure, updated,
                directDataPath, aotTrain);
    }

    /** The URL the other services are given for service {@code name}: its route, else {@code own}. */
    private URI reachedAt(String name, URI own) {
        return routes.getOrDefault(name, own);
    }

    public ClusterConfig withStopGrace(Duration grace) {
        return new ClusterConfig(repoRoot, baseDir, java, jvmOptions, coordinatorPort, redisPort, firstPartitionPort,
                nodes, gatewayPort, adminPort, kafkaPort, kinds, extraArgs, readyTimeout, grace, secure, routes,
                directDataPath, aotTrain);
    }

    static URI loopbackUrl(int port) {
        return loopbackUrl(port, false);
    }

    static URI loopbackUrl(int port, boolean tls) {
        return URI.create((tls ? "https" : "http") + "://" + LOOPBACK + ":" + port);
    }

    private ServiceSpec spec(ServiceKind kind, int nodeId) {
        String name = kind.serviceName(nodeId);
        URI coordinator = reachedAt(ServiceKind.COORDINATOR.serviceName(0), coordinatorUrl());
        String coordinatorUrls = "--%s.coordinator-urls=" + coordinator;
        List<Integer> ports;
        List<String> args = new ArrayList<>();
        switch (kind) {
            case COORDINATOR -> {
                ports = List.of(coordinatorPort, redisPort);
                args.add("--sluice.coordinator.data-dir=" + coordinatorDataDir());
                args.add("--sluice.coordinator.redis.embedded-port=" + redisPort);
                args.add("--sluice.coordinator.advertised-url=" + coordinator);
            }
            case PARTITION -> {
                ports = List.of(firstPartitionPort + nodeId - 1);
                args.add("--sluice.partition.node-id=" + nodeId);
                args.add("--sluice.partition.data-dir=" + baseDir.resolve("node-" + nodeId));
                args.add(coordinatorUrls.formatted("sluice.partition"));
                args.add("--sluice.partition.advertised-url="
                        + reachedAt(name, loopbackUrl(ports.getFirst(), secure)));
                if (directDataPath) {
                    args.add("--sluice.partition.kafka.enabled=true");
                }
            }
            case GATEWAY -> {
                ports = List.of(gatewayPort, kafkaPort);
                args.add(coordinatorUrls.formatted("sluice.gateway"));
                args.add("--sluice.gateway.kafka.port=" + kafkaPort);
            }
            case ADMIN_UI -> {
                ports = List.of(adminPort);
                args.add("--sluice.admin-ui.gateway-url="
                        + reachedAt(ServiceKind.GATEWAY.serviceName(0), gatewayUrl()));
            }
            default -> throw new AssertionError(kind);
        }
        args.addFirst("--server.port=" + ports.getFirst());
        if (secure) {
            args.addAll(secureArgs(kind));
        }
        extraArgs.getOrDefault(kind, List.of()).forEach(arg -> args.add(kind == ServiceKind.PARTITION
                ? arg.replace(NODE_ID, String.valueOf(nodeId)) : arg));
        return new ServiceSpec(name, kind, jar(kind), ports, args);
    }

    /**
     * A secured service's arguments, none of them secret: the import of the secure material (security on, secrets,
     * the SSL bundle), HTTPS from the bundle, and for the internal plane's servers a client certificate asked for
     * (mutual TLS; a caller without one needs the cluster secret) unless {@link #withArgs} gives the kind its own
     * {@code --server.ssl.client-auth}. The console signs its users in and trusts the CA.
     */
    private List<String> secureArgs(ServiceKind kind) {
        List<String> args = new ArrayList<>();
        args.add(secureMaterial().importArgument());
        args.add(ServiceSpec.TLS_ARGUMENT + SecureMaterial.BUNDLE);
        switch (kind) {
            case COORDINATOR, PARTITION -> {
                // Unless the kind is given its own (need: no call without a certificate).
                if (extraArgs.getOrDefault(kind, List.of()).stream().noneMatch(arg -> arg.startsWith(CLIENT_AUTH))) {
                    args.add(CLIENT_AUTH + "want");
                }
            }
            case ADMIN_UI -> {
                args.add("--sluice.admin-ui.sign-in.enabled=true");
                args.add("--spring.http.clients.ssl.bundle=" + SecureMaterial.BUNDLE);
            }
            default -> {
            }
        }
        return args;
    }

    private static String value(Map<Setting, String> settings, Setting setting) {
        return settings.getOrDefault(setting, setting.defaultValue());
    }

    private static int intValue(Map<Setting, String> settings, Setting setting) {
        String text = value(settings, setting);
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + text);
        }
    }

    private static List<String> splitOptions(String options) {
        return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
    }

    /** Names the settings that were given, so a bad value can be traced to its variable or option. */
    private static String describe(Map<Setting, String> settings, IllegalArgumentException e) {
        StringBuilder given = new StringBuilder();
        settings.forEach((setting, value) -> given.append(given.isEmpty() ? "" : ", ")
                .append(setting.environmentVariable()).append('/').append(setting.option()).append('=').append(value));
        return "Invalid cluster settings: " + e.getMessage() + (given.isEmpty() ? "" : " (given: " + given + ")");
    }

    private static void checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " must be between 1 and 65535: " + port);
        }
    }

    /**
     * The first port of a free block of {@code count} consecutive loopback ports, drawn below the usual ephemeral
     * range (32768.. on Linux, 49152.. elsewhere) so that outgoing connections do not take it before the service
     * binds it.
     */
    private static int freePortBlock(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(20000, 32000 - count);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                free = Ports.isFree(port);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("No block of " + count + " free loopback ports found in 20000..31999");
    }
}
