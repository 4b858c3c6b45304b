package io.sluice.deploy;

import io.sluice.launcher.ServiceKind;
import io.sluice.testing.RedisProcess;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the containers a deployment file describes as processes on loopback, each as its image would run it: the
 * service jar extracted into the Dockerfile's layers, started by the image's ENTRYPOINT from its WORKDIR, with
 * exactly the container's environment (the image's ENV and the file's) and nothing of this JVM's. What cannot be the
 * same on one machine is remapped, and only that:
 * <ul>
 *   <li>bind addresses become 127.0.0.1 and every container gets its own HTTP and management ports (a gateway its
 *       Kafka port too, a partition service's Kafka listener any free one), advertised at 127.0.0.1;</li>
 *   <li>every URL naming a container ({@code http://partition-1:9501}, a pod's DNS name or IP, a Service) is rewritten
 *       to that container's loopback port; a URL naming no container of the deployment fails the start;</li>
 *   <li>Redis is a redis-server of the test's ({@link RedisProcess}, append-only with an fsync per write);</li>
 *   <li>{@code /var/lib/sluice/data} becomes a directory per container, and JAVA_TOOL_OPTIONS a small heap;</li>
 *   <li>files mounted from Secrets and ConfigMaps are written under the container's directory, and the paths that
 *       name them (in the environment and in those files) point there.</li>
 * </ul>
 * Services start tier by tier (coordinators, partition services, gateways, console), each tier ready before the next.
 * Every process is stopped by its PID on {@link #close}.
 */
final class LoopbackCluster implements AutoCloseable {

    static final List<String> TIERS = List.of("coordinator-service", "partition-service", "gateway-service",
            "admin-ui");
    private static final String JVM_OPTIONS = "-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1"
            + " -XX:+ExitOnOutOfMemoryError -Dreactor.netty.ioShutdownQuietPeriod=0";
    private static final Pattern URL = Pattern.compile("(https?|redis)://([A-Za-z0-9.\\-]+):(\\d+)");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The extracted images, shared by every cluster of a test JVM; {@link #EXTRACTED}: those made by this JVM. */
    private static final Path IMAGES = Path.of("target", "loopback-images").toAbsolutePath();
    private static final Set<String> EXTRACTED = new HashSet<>();

    /** A started container: its configuration as given and as run, its process and loopback ports. */
    record Running(ContainerConfig given, Map<String, String> env, int port, int managementPort, Path dir,
                   List<String> command, Path workdir, Process process) {

        URI url() {
            return URI.create("http://127.0.0.1:" + port);
        }

        URI managementUrl() {
            return URI.create("http://127.0.0.1:" + managementPort);
        }

        /** A gateway's Kafka listener's loopback port. */
        int kafkaPort() {
            return Integer.parseInt(env.get("SLUICE_GATEWAY_KAFKA_PORT"));
        }
    }

    private final Path dir;
    private final Map<String, Integer> loopbackPorts = new HashMap<>();
    private final List<Running> running = new ArrayList<>();
    private final Set<Integer> handedOut = new HashSet<>();
    private RedisProcess redis;

    private LoopbackCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code containers} with everything under {@code dir}, which is emptied first (no state from a past run). */
    static LoopbackCluster start(Path dir, List<ContainerConfig> containers, Set<String> redisHosts) {
        deleteTree(dir);
        LoopbackCluster cluster = new LoopbackCluster(dir.toAbsolutePath());
        try {
            cluster.launch(containers, redisHosts);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    List<Running> running() {
        return List.copyOf(running);
    }

    List<Running> of(String module) {
        return running.stream().filter(r -> r.given().module().equals(module)).toList();
    }

    Running named(String name) {
        return running.stream().filter(r -> r.given().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No container " + name));
    }

    /** {@code value} with every URL that names a container pointing at its loopback port instead. */
    String rewrite(String value, String context) {
        Matcher url = URL.matcher(value);
        StringBuilder rewritten = new StringBuilder();
        while (url.find()) {
            String key = url.group(2) + ":" + url.group(3);
            Integer port = loopbackPorts.get(key);
            if (port == null) {
                throw new AssertionError(context + ": " + value + " names " + key
                        + ", which no container of this deployment serves (known: " + loopbackPorts.keySet() + ")");
            }
            url.appendReplacement(rewritten, Matcher.quoteReplacement(url.group(1) + "://127.0.0.1:" + port));
        }
        url.appendTail(rewritten);
        return rewritten.toString();
    }

    private void launch(List<ContainerConfig> containers, Set<String> redisHosts) {
        redis = RedisProcess.start(dir.resolve("redis"));
        for (String host : redisHosts) {
            loopbackPorts.put(host + ":6379", redis.url().getPort());
        }
        Map<ContainerConfig, int[]> ports = new LinkedHashMap<>();
        for (ContainerConfig container : containers) {
            int[] pair = {freePort(), freePort()};
            ports.put(container, pair);
            for (String host : container.hostNames()) {
                loopbackPorts.put(host + ":" + container.port(), pair[0]);
                loopbackPorts.put(host + ":" + container.managementPort(), pair[1]);
            }
        }
        Dockerfile dockerfile = Dockerfile.read();
        for (String tier : TIERS) {
            List<Running> started = new ArrayList<>();
            for (ContainerConfig container : containers) {
                if (container.module().equals(tier)) {
                    int[] pair = ports.get(container);
                    started.add(launch(container, dockerfile.image(tier), pair[0], pair[1]));
                }
            }
            running.addAll(started);
            started.forEach(this::awaitReady);
        }
        List<String> unknown = containers.stream().map(ContainerConfig::module).filter(m -> !TIERS.contains(m)).toList();
        if (!unknown.isEmpty()) {
            throw new AssertionError("Containers of unknown services: " + unknown);
        }
    }

    private Running launch(ContainerConfig container, Dockerfile.Image image, int port, int managementPort) {
        Path containerDir = dir.resolve(container.name());
        UnaryOperator<String> mounted = mountFiles(container, containerDir.resolve("mounts"));
        Map<String, String> env = new LinkedHashMap<>();
        container.env().forEach((name, value) -> env.put(name,
                rewrite(mounted.apply(value.replace("/var/lib/sluice/data", containerDir.resolve("data").toString())),
                        container.name() + " " + name)));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
        // A gateway's Kafka listener binds loopback too, on a port of its own (Running.kafkaPort), advertised
        // there; so does a partition service's (the direct data path), on any free port.
        if (container.module().equals("gateway-service")) {
            env.put("SLUICE_GATEWAY_KAFKA_HOST", "127.0.0.1");
            env.put("SLUICE_GATEWAY_KAFKA_PORT", Integer.toString(freePort()));
            env.put("SLUICE_GATEWAY_KAFKA_ADVERTISEDHOST", "127.0.0.1");
            env.remove("SLUICE_GATEWAY_KAFKA_ADVERTISEDPORT");
            // The name the cluster's services reach it by (Compose's container name, the chart's Service) is no host
            // here: they reach it where clients do.
            env.remove("SLUICE_GATEWAY_KAFKA_INTERNALHOST");
            env.remove("SLUICE_GATEWAY_KAFKA_INTERNALPORT");
        }
        if (env.containsKey("SLUICE_PARTITION_KAFKA_ENABLED")) {
            env.put("SLUICE_PARTITION_KAFKA_HOST", "127.0.0.1");
            env.put("SLUICE_PARTITION_KAFKA_PORT", "0");
            env.put("SLUICE_PARTITION_KAFKA_ADVERTISEDHOST", "127.0.0.1");
            env.remove("SLUICE_PARTITION_KAFKA_ADVERTISEDPORT");
        }
        env.put("JAVA_TOOL_OPTIONS", JVM_OPTIONS + " -Djava.io.tmpdir=" + containerDir.resolve("tmp"));
        List<String> command = new ArrayList<>(image.entrypoint());
        if (command.isEmpty() || !command.getFirst().equals("java")) {
            throw new AssertionError(image.target() + ": the ENTRYPOINT does not start java: " + image.entrypoint());
        }
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        container.args().forEach(arg -> command.add(rewrite(arg, container.name() + " args")));
        try {
            Files.createDirectories(containerDir.resolve("tmp"));
            Path log = containerDir.resolve("service.log");
            Path workdir = appDir(image);
            return new Running(container, Map.copyOf(env), port, managementPort, containerDir, List.copyOf(command),
                    workdir, startProcess(command, workdir, env, log));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + container.name(), e);
        }
    }

    /**
     * Writes the container's mounted files under {@code root} (a mount at /etc/sluice/tls lands in
     * root/etc/sluice/tls) and answers what points a value's mount paths there; the files' contents are pointed
     * too (a properties file names other mounts' files).
     */
    private static UnaryOperator<String> mountFiles(ContainerConfig container, Path root) {
        if (container.mounts().isEmpty()) {
            return UnaryOperator.identity();
        }
        Map<String, String> local = new HashMap<>();
        container.mounts().keySet().forEach(path -> local.put(path, root.resolve(path.substring(1)).toString()));
        Pattern paths = Pattern.compile(local.keySet().stream().sorted(Comparator.comparing(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|")));
        UnaryOperator<String> mounted = value -> paths.matcher(value)
                .replaceAll(match -> Matcher.quoteReplacement(local.get(match.group())));
        try {
            for (Map.Entry<String, Map<String, String>> mount : container.mounts().entrySet()) {
                for (Map.Entry<String, String> file : mount.getValue().entrySet()) {
                    Path target = Path.of(local.get(mount.getKey())).resolve(file.getKey());
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, mounted.apply(file.getValue()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the files mounted in " + container.name(), e);
        }
        return mounted;
    }

    private static Process startProcess(List<String> command, Path workdir, Map<String, String> env, Path log)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    /**
     * SIGTERM to {@code name}, as the orchestrator stops a container; how long it took to exit, or empty when it was
     * still running after {@code grace} (it is then killed, as SIGKILL would end it).
     */
    Optional<Duration> stop(String name, Duration grace) {
        Running container = named(name);
        long start = System.nanoTime();
        container.process().destroy();
        try {
            if (container.process().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            }
            container.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            container.process().destroyForcibly();
            return Optional.empty();
        }
    }

    /** Starts a stopped container again: the same environment, ports and data directory, as a restarted pod. */
    void restart(String name) {
        Running stopped = named(name);
        if (stopped.process().isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        try {
            Running restarted = new Running(stopped.given(), stopped.env(), stopped.port(), stopped.managementPort(),
                    stopped.dir(), stopped.command(), stopped.workdir(), startProcess(stopped.command(),
                    stopped.workdir(), stopped.env(), stopped.dir().resolve("service.log")));
            running.set(running.indexOf(stopped), restarted);
            awaitReady(restarted);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not restart " + name, e);
        }
    }

    /**
     * The image's application directory: the service jar extracted as the Dockerfile's build stage extracts it, its
     * layers copied into one directory in the order the service stage copies them. Made once per module and test JVM,
     * and shared by the clusters it starts (the jars do not change during a run; a new run extracts them anew).
     */
    private static synchronized Path appDir(Dockerfile.Image image) throws IOException {
        Path images = IMAGES.resolve(image.target());
        Path app = images.resolve("app");
        if (EXTRACTED.contains(image.target())) {
            return app;
        }
        deleteTree(images);
        Path jar = Stream.of(ServiceKind.values()).filter(kind -> kind.module().equals(image.target())).findFirst()
                .orElseThrow(() -> new AssertionError("No service module " + image.target())).jar(Repo.root());
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is not built; run ./mvnw package first (this module is after the services"
                    + " in the reactor)");
        }
        Path layers = images.resolve("layers");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djarmode=tools", "-jar",
                jar.toString(), "extract", "--layers", "--launcher", "--destination", layers.toString()));
        if (image.copiedLayers().isEmpty()) {
            throw new AssertionError(image.target() + " copies no layers from the build stage");
        }
        for (String layer : image.copiedLayers()) {
            copyTree(layers.resolve(layer), app);
        }
        EXTRACTED.add(image.target());
        return app;
    }

    private void awaitReady(Running container) {
        URI readiness = container.managementUrl().resolve("/actuator/health/readiness");
        Waits.await(container.given().name() + " ready at " + readiness, READY_TIMEOUT, () -> {
            if (!container.process().isAlive()) {
                throw new AssertionError(container.given().name() + " exited with "
                        + container.process().exitValue() + ":\n" + tail(container.dir().resolve("service.log")));
            }
            return status(readiness) == 200 ? Boolean.TRUE : null;
        });
    }

    static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM to every process, latest tier first, SIGKILL to any still running after 30 s; then Redis. */
    @Override
    public void close() {
        for (String tier : TIERS.reversed()) {
            List<Running> stopping = running.stream().filter(r -> r.given().module().equals(tier)).toList();
            stopping.forEach(r -> r.process().destroy());
            for (Running container : stopping) {
                try {
                    if (!container.process().waitFor(30, TimeUnit.SECONDS)) {
                        container.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    container.process().destroyForcibly();
                }
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not empty " + dir, e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * A free loopback port below the usual ephemeral range (as the launcher picks them), so that outgoing connections
     * do not take it before the service binds it; never one handed out before.
     */
    private int freePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            if (!handedOut.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("No free loopback port found in 20000..31999");
    }
}
