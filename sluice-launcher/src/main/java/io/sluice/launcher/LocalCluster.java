package io.sluice.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A local Sluice cluster: real service processes on loopback, described by a {@link ClusterConfig}. The same class
 * serves {@code bin/sluice} (one short-lived invocation per command, finding earlier ones' processes through their
 * pid files) and the multi-process test suites (one object for a test's life: start, stop, kill, pause and resume
 * single services, then {@link #close}).
 *
 * <p>{@link #up} starts services tier by tier (coordinator, partition services, gateway, admin UI), each tier ready
 * before the next starts, and starts nothing that already runs. {@link #down} stops, in reverse order, exactly the
 * processes it can prove it started: those this object launched, and those named by pid files in
 * {@code <base>/run/} whose command line is still that service's launch ({@link LaunchCommand#isLaunchOf}); a pid
 * file whose PID now belongs to another process is removed and that process left alone.
 *
 * <p>Progress goes to the reporter, one line per event. Not thread-safe: drive it from one thread.
 */
public final class LocalCluster implements AutoCloseable {

    public static final String COORDINATOR = ServiceKind.COORDINATOR.serviceName(0);
    public static final String GATEWAY = ServiceKind.GATEWAY.serviceName(0);
    public static final String ADMIN_UI = ServiceKind.ADMIN_UI.serviceName(0);
    /**
     * The least stop grace of a service recording a trained start-up cache: it writes the cache as it exits (such
     * stops took 12.6 to 22.1 s for this project's services on the 2-core box, run AOT1).
     */
    static final Duration AOT_TRAINING_STOP_GRACE = Duration.ofSeconds(120);

    private static final Comparator<String> START_ORDER = Comparator
            .comparingInt((String name) -> ServiceKind.ofServiceName(name).map(Enum::ordinal).orElse(99))
            .thenComparingInt(name -> ServiceKind.nodeId(name).orElse(0))
            .thenComparing(Comparator.naturalOrder());

    private final ClusterConfig config;
    private final Consumer<String> reporter;
    /** Trusts the cluster's CA and presents its certificate once there is secure material; replaced when it is made. */
    private HealthProbe probe;
    /** Live processes by service name, launched here or attached from pid files. */
    private final Map<String, ServiceProcess> processes = new HashMap<>();
    /** Processes that exited (killed, crashed) and may have left child processes running. */
    private final List<ServiceProcess> exited = new ArrayList<>();

    public LocalCluster(ClusterConfig config) {
        this(config, System.out::println);
    }

    public LocalCluster(ClusterConfig config, Consumer<String> reporter) {
        this.config = config;
        this.reporter = reporter;
        this.probe = probe(config);
    }

    private static HealthProbe probe(ClusterConfig config) {
        SecureMaterial material = config.secureMaterial();
        return new HealthProbe(HealthProbe.DEFAULT_TIMEOUT,
                material.exists() ? Optional.of(material.sslContext()) : Optional.empty());
    }

    /** The name of partition service {@code nodeId}: {@code partition-<nodeId>}. */
    public static String partition(int nodeId) {
        return ServiceKind.PARTITION.serviceName(nodeId);
    }

    public ClusterConfig config() {
        return config;
    }

    /**
     * Starts every configured service that is not running yet, tier by tier, and waits until each is ready; skips,
     * with a note, services whose module is absent or whose jar is not built. A secure cluster's material
     * ({@link SecureMaterial}) is made first unless it exists.
     *
     * @return the services started by this call; empty when the cluster was already up
     * @throws LaunchException when a service cannot start or is not ready in time; services already started keep
     *                         running ({@link #down} stops them)
     */
    public List<ServiceProcess> up() {
        if (config.secure()) {
            config.secureMaterial().ensure(reporter);
            config.secureMaterial().writeKafkaClientProperties(config.kafkaBootstrap());
            probe = probe(config);
        }
        List<ServiceProcess> started = new ArrayList<>();
        List<ServiceSpec> services = config.services();
        for (ServiceKind kind : ServiceKind.values()) {
            List<ServiceSpec> tier = services.stream().filter(spec -> spec.kind() == kind).toList();
            if (tier.isEmpty() || !launchable(kind)) {
                continue;
            }
            List<ServiceProcess> waiting = new ArrayList<>();
            for (ServiceSpec spec : tier) {
                Optional<ServiceProcess> running = running(spec.name());
                if (running.isPresent()) {
                    report("%-12s already running (pid %d) on %s", spec.name(), running.get().pid(),
                            running.get().url());
                    waiting.add(running.get());
                } else {
                    ServiceProcess process = launch(spec);
                    started.add(process);
                    waiting.add(process);
                }
            }
            for (ServiceProcess process : waiting) {
                Duration took = process.awaitReady(config.readyTimeout());
                if (started.contains(process)) {
                    report("%-12s ready in %.1f s", process.name(), took.toMillis() / 1000.0);
                }
            }
        }
        if (started.isEmpty()) {
            report("The cluster in %s was already running; started nothing.", config.baseDir());
        }
        return List.copyOf(started);
    }

    /**
     * Stops every service this cluster started, in reverse start order: SIGTERM, then SIGKILL after the stop grace;
     * then any child processes they left. Removes their pid files, and stale ones.
     */
    public void down() {
        Set<String> names = new TreeSet<>(START_ORDER.reversed());
        names.addAll(processes.keySet());
        names.addAll(pidFileNames());
        int stopped = 0;
        for (String name : names) {
            Optional<ServiceProcess> process = running(name);
            if (process.isPresent()) {
                stop(process.get());
                stopped++;
            } else {
                maybeRemoveStalePidFile(name);
            }
        }
        exited.forEach(ServiceProcess::stopLeftovers);
        exited.clear();
        if (stopped == 0) {
            report("Nothing was running in %s.", config.baseDir());
        }
    }

    /** Each configured or recorded service's state, and the coordinator's metadata summary when it is ready. */
    public ClusterStatus status() {
        Set<String> names = new TreeSet<>(START_ORDER);
        config.services().forEach(spec -> names.add(spec.name()));
        names.addAll(processes.keySet());
        names.addAll(pidFileNames());
        List<ServiceStatus> rows = new ArrayList<>();
        for (String name : names) {
            rows.add(statusOf(name));
        }
        Optional<MetadataSummary> metadata = rows.stream()
                .filter(row -> row.kind() == ServiceKind.COORDINATOR && row.state() == ServiceStatus.State.READY)
                .findFirst()
                .flatMap(row -> metadataFrom(row.url()));
        return new ClusterStatus(config.baseDir(), rows, metadata);
    }

    /**
     * Starts one service and waits until it is ready; for example a node again after {@link #kill}, or a node
     * beyond {@link ClusterConfig#nodes()}.
     *
     * @throws IllegalStateException when it is already running
     * @throws LaunchException       when it cannot start or is not ready in time
     */
    public ServiceProcess start(String name) {
        ServiceProcess process = launch(name);
        Duration took = process.awaitReady(config.readyTimeout());
        report("%-12s ready in %.1f s", name, took.toMillis() / 1000.0);
        return process;
    }

    /** Starts one service without waiting for it to be ready (see {@link ServiceProcess#awaitReady}). */
    public ServiceProcess launch(String name) {
        ServiceSpec spec = config.spec(name).orElseThrow(() -> new IllegalArgumentException(
                "Unknown service '" + name + "'; services are coordinator, partition-<node id>, gateway, admin-ui"));
        running(name).ifPresent(process -> {
            throw new IllegalStateException(process + " is already running");
        });
        return launch(spec);
    }

    /**
     * Stops what a killed instance of {@code name} left running, which would hold a port its next instance needs: the
     * child processes this object saw it start, and for the coordinator the embedded redis-server its data directory
     * records, when a coordinator killed before this invocation left it. The coordinator stops such a redis-server
     * itself as it starts, but the launcher checks the ports first.
     */
    private void stopLeftoversOf(String name) {
        exited.removeIf(process -> {
            if (!process.name().equals(name)) {
                return false;
            }
            process.leftovers().forEach(ServiceProcess::stopLeftover);
            return true;
        });
        if (name.equals(COORDINATOR)) {
            Path redisDir = config.coordinatorDataDir().resolve("redis").toAbsolutePath().normalize();
            new PidFile(redisDir.resolve("redis.pid")).read().stream()
                    .mapToObj(ProcessHandle::of)
                    .flatMap(Optional::stream)
                    .filter(redis -> redis.info().command().map(Path::of)
                            .filter(redisDir.resolve("redis-server")::equals).isPresent())
                    .forEach(redis -> {
                        report("%-12s stopping the redis-server (pid %d) a killed coordinator left", name, redis.pid());
                        ServiceProcess.stopLeftover(redis);
                    });
        }
    }

    /**
     * Starts an instance that is not one of this configuration's own services (a test's second coordinator sharing
     * an external Redis), exactly as {@code spec} says; does not wait for it to be ready.
     */
    public ServiceProcess launchInstance(ServiceSpec spec) {
        running(spec.name()).ifPresent(process -> {
            throw new IllegalStateException(process + " is already running");
        });
        return launch(spec);
    }

    /**
     * Stops one service gracefully (SIGTERM, SIGKILL after the stop grace); nothing happens if it is not running.
     *
     * @return false when it had to be killed: it ignored SIGTERM for the stop grace
     */
    public boolean stop(String name) {
        Optional<ServiceProcess> process = running(name);
        if (process.isEmpty()) {
            maybeRemoveStalePidFile(name);
            return true;
        }
        return stop(process.get());
    }

    /** SIGKILL, as a crash: its pid file stays, and children it started stay until {@link #down}. */
    public void kill(String name) {
        ServiceProcess process = require(name);
        process.kill();
        processes.remove(name);
        exited.add(process);
        report("%-12s killed (pid %d)", name, process.pid());
    }

    /** SIGSTOP: the service freezes (connections hang) until {@link #resume}. */
    public void pause(String name) {
        ServiceProcess process = require(name);
        process.pause();
        report("%-12s paused (pid %d)", name, process.pid());
    }

    /** SIGCONT after {@link #pause}. */
    public void resume(String name) {
        ServiceProcess process = require(name);
        process.resume();
        report("%-12s resumed (pid %d)", name, process.pid());
    }

    /** The running process of a service, if any: one launched here, or found through its (verified) pid file. */
    public Optional<ServiceProcess> process(String name) {
        return running(name);
    }

    public URI coordinatorUrl() {
        return config.coordinatorUrl();
    }

    public URI nodeUrl(int nodeId) {
        return config.nodeUrl(nodeId);
    }

    /** The URLs of partition services 1..{@link ClusterConfig#nodes()}, in node id order. */
    public List<URI> nodeUrls() {
        return Stream.iterate(1, id -> id <= config.nodes(), id -> id + 1).map(config::nodeUrl).toList();
    }

    public URI gatewayUrl() {
        return config.gatewayUrl();
    }

    /** The gateway's Kafka listener, as a Kafka client's {@code bootstrap.servers}. */
    public String kafkaBootstrap() {
        return config.kafkaBootstrap();
    }

    public URI adminUrl() {
        return config.adminUrl();
    }

    public Path logFile(String name) {
        return config.logDir().resolve(name + ".log");
    }

    /** The log files that exist, by service name in start order. */
    public Map<String, Path> logFiles() {
        Map<String, Path> logs = new LinkedHashMap<>();
        try (Stream<Path> files = listing(config.logDir())) {
            files.map(path -> path.getFileName().toString())
                    .filter(file -> file.endsWith(".log"))
                    .map(file -> file.substring(0, file.length() - ".log".length()))
                    .sorted(START_ORDER)
                    .forEach(name -> logs.put(name, logFile(name)));
        }
        return logs;
    }

    /**
     * For tests: when this JVM exits (also on SIGTERM or Ctrl-C), SIGKILL what this object still knows to run, so a
     * test run that dies does not leave services behind. Not for {@code bin/sluice up}, whose services outlive it.
     */
    public LocalCluster stopOnJvmExit() {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            List<ServiceProcess> all = new ArrayList<>(processes.values());
            all.addAll(exited);
            for (ServiceProcess process : all) {
                process.leftovers().forEach(ProcessHandle::destroyForcibly);
                if (process.isAlive()) {
                    process.kill();
                }
            }
        }));
        return this;
    }

    /** {@link #down}. */
    @Override
    public void close() {
        down();
    }

    private ServiceProcess launch(ServiceSpec spec) {
        stopLeftoversOf(spec.name());
        ServiceProcess process = ServiceProcess.start(config, spec, probe);
        processes.put(spec.name(), process);
        report("%-12s started (pid %d) on %s, log %s", spec.name(), process.pid(), process.url(), process.logFile());
        return process;
    }

    /** @return false when {@code process} had to be killed */
    private boolean stop(ServiceProcess process) {
        long start = System.nanoTime();
        Duration grace = process.recordsAotCache() && config.stopGrace().compareTo(AOT_TRAINING_STOP_GRACE) < 0
                ? AOT_TRAINING_STOP_GRACE : config.stopGrace();
        boolean forced = process.stop(grace);
        processes.remove(process.name());
        report("%-12s stopped (pid %d) in %.1f s%s", process.name(), process.pid(),
                (System.nanoTime() - start) / 1e9,
                forced ? " with SIGKILL: it ignored SIGTERM for the grace period" : "");
        return !forced;
    }

    private ServiceProcess require(String name) {
        return running(name).orElseThrow(() -> new IllegalStateException(name + " is not running"));
    }

    private boolean launchable(ServiceKind kind) {
        switch (kind.availability(config.repoRoot())) {
            case BUILT -> {
                return true;
            }
            case NOT_BUILT -> report("%-12s skipped: %s is not built (bin/sluice up builds it; or ./mvnw -pl %s -am"
                    + " package -DskipTests)", label(kind), config.jar(kind), kind.module());
            case ABSENT -> report("%-12s skipped: module %s is not in this checkout", label(kind), kind.module());
            default -> throw new AssertionError(kind);
        }
        return false;
    }

    private static String label(ServiceKind kind) {
        return kind == ServiceKind.PARTITION ? partition(1).replace("1", "*") : kind.serviceName(0);
    }

    /**
     * The live process of a service: the one this object knows, else the one its pid file names if that is still
     * this service's launch. A known process that has exited is moved to {@link #exited}.
     */
    private Optional<ServiceProcess> running(String name) {
        ServiceProcess known = processes.get(name);
        if (known != null) {
            if (known.isAlive()) {
                return Optional.of(known);
            }
            processes.remove(name);
            exited.add(known);
        }
        Optional<ServiceProcess> recorded = inspectPidFile(name).process();
        recorded.ifPresent(process -> processes.put(name, process));
        return recorded;
    }

    /** What a service's pid file says: nothing, a live process proven to be this service, or a stale claim. */
    private record PidFileFinding(OptionalLong pid, Optional<ServiceProcess> process, String problem) {
    }

    private PidFileFinding inspectPidFile(String name) {
        PidFile pidFile = PidFile.of(config.runDir(), name);
        Optional<ServiceKind> kind = ServiceKind.ofServiceName(name);
        if (!pidFile.exists() || kind.isEmpty()) {
            return new PidFileFinding(OptionalLong.empty(), Optional.empty(), "");
        }
        OptionalLong pid = pidFile.read();
        if (pid.isEmpty()) {
            return new PidFileFinding(pid, Optional.empty(), "unreadable pid file " + pidFile.path());
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return new PidFileFinding(pid, Optional.empty(), "pid " + pid.getAsLong() + " (from "
                    + pidFile.path().getFileName() + ") is not running");
        }
        ProcessHandle.Info info = handle.get().info();
        if (!LaunchCommand.isLaunchOf(info.command(), info.arguments(), name, config.jar(kind.get()),
                config.baseDir())) {
            return new PidFileFinding(pid, Optional.empty(), "pid " + pid.getAsLong() + " (from "
                    + pidFile.path().getFileName() + ") is now another process: "
                    + info.commandLine().orElse("(command line unknown)"));
        }
        ServiceSpec configured = config.spec(name).orElseThrow();
        int port = LaunchCommand.port(info.arguments()).orElse(configured.port());
        List<Integer> ports = new ArrayList<>(configured.ports());
        ports.set(0, port);
        // The process's own arguments, not this invocation's settings: they say whether it serves HTTPS.
        ServiceSpec actual = new ServiceSpec(name, configured.kind(), configured.jar(), ports,
                LaunchCommand.applicationArgs(info.arguments()).orElse(configured.args()));
        return new PidFileFinding(pid, Optional.of(ServiceProcess.attach(config, actual, handle.get(), probe)), "");
    }

    private void maybeRemoveStalePidFile(String name) {
        PidFileFinding finding = inspectPidFile(name);
        if (finding.process().isEmpty() && !finding.problem().isEmpty()) {
            PidFile.of(config.runDir(), name).delete();
            report("%-12s was not running: %s; removed the stale pid file, signalled nothing", name,
                    finding.problem());
        }
    }

    private ServiceStatus statusOf(String name) {
        ServiceKind kind = ServiceKind.ofServiceName(name).orElseThrow();
        Path log = logFile(name);
        Optional<ServiceProcess> process = running(name);
        if (process.isPresent()) {
            ServiceStatus.State state = switch (process.get().readiness()) {
                case READY -> ServiceStatus.State.READY;
                case NOT_READY -> ServiceStatus.State.NOT_READY;
                case NO_ANSWER -> ServiceStatus.State.NO_ANSWER;
            };
            return new ServiceStatus(name, kind, state, OptionalLong.of(process.get().pid()), process.get().port(),
                    process.get().url().getScheme().equals("https"), log, process.get().isPaused() ? "paused" : "");
        }
        Optional<ServiceSpec> configured = config.spec(name);
        int port = configured.map(ServiceSpec::port).orElse(0);
        boolean tls = configured.map(ServiceSpec::tls).orElse(false);
        ServiceStatus.State state = switch (kind.availability(config.repoRoot())) {
            case BUILT -> ServiceStatus.State.STOPPED;
            case NOT_BUILT -> ServiceStatus.State.NOT_BUILT;
            case ABSENT -> ServiceStatus.State.NOT_IN_CHECKOUT;
        };
        return new ServiceStatus(name, kind, state, OptionalLong.empty(), port, tls, log,
                inspectPidFile(name).problem());
    }

    private Optional<MetadataSummary> metadataFrom(URI coordinator) {
        Optional<String> topics = probe.get(coordinator.resolve("/internal/topics"));
        Optional<String> nodes = probe.get(coordinator.resolve("/internal/nodes"));
        if (topics.isEmpty() || nodes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MetadataSummary.parse(topics.get(), nodes.get()));
        } catch (IllegalArgumentException e) {
            report("The coordinator's metadata could not be read: %s", e.getMessage());
            return Optional.empty();
        }
    }

    private List<String> pidFileNames() {
        try (Stream<Path> files = listing(config.runDir())) {
            return files.filter(path -> path.getFileName().toString().endsWith(PidFile.SUFFIX))
                    .map(path -> new PidFile(path).service())
                    .filter(name -> ServiceKind.ofServiceName(name).isPresent())
                    .toList();
        }
    }

    private static Stream<Path> listing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try {
            return Files.list(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void report(String format, Object... args) {
        reporter.accept(String.format(Locale.ROOT, format, args));
    }
}
