package io.sluice.testing;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.launcher.ClusterConfig;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.RepoRoot;
import io.sluice.launcher.ServiceKind;
import io.sluice.launcher.ServiceProcess;
import io.sluice.launcher.ServiceSpec;
import java.io.IOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One coordinator instance in a process of its own, for tests that run several against one Redis (failover) or
 * restart one: launched by the launcher like every other test process, from the checkout's coordinator jar, on a
 * free loopback port, in {@code dir} (its log in {@code dir/logs/<name>.log}). Signalled by PID only: {@link #kill()}
 * is SIGKILL, {@link #stop()} SIGTERM (an orderly shutdown that releases the lease), {@link #close()} kills it if it
 * is still alive.
 */
public final class CoordinatorProcess implements AutoCloseable {

    /**
     * How long a start may take before a test gives up: a loaded CI machine was seen to need 84 s for a service that
     * starts in 3 s on a quiet one. A wait that passes costs nothing.
     */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final String ADVERTISED_URL = "sluice.coordinator.advertised-url";
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String name;
    private final ServiceProcess process;

    private CoordinatorProcess(String name, ServiceProcess process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Clocks for multi-process tests: failover within about five seconds, a lease and node sessions that outlast the
     * multi-second stalls of a loaded CI machine (a 1.5 s lease changed hands mid-test there, and 3 s sessions expired);
     * no automatic preferred-leader election and no balancer.
     */
    public static Map<String, String> fastClocks() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sluice.coordinator.session-timeout", "6s");
        properties.put("sluice.coordinator.heartbeat-interval", "300ms");
        properties.put("sluice.coordinator.lease.ttl", "5s");
        properties.put("sluice.coordinator.lease.renew-interval", "500ms");
        properties.put("sluice.coordinator.election.liveness-check-interval", "100ms");
        properties.put("sluice.coordinator.election.preferred-leader-check-interval", "0s");
        // Replicas stay where a test placed them; a test of the balancer turns it on.
        properties.put("sluice.coordinator.balancer.enabled", "false");
        properties.put("sluice.coordinator.metadata.max-wait", "5s");
        return properties;
    }

    /**
     * Starts {@code name} (also its instance id) with {@code properties} ({@code sluice.coordinator.*} and any other
     * Spring property) as command-line arguments; does not wait for it.
     */
    public static CoordinatorProcess start(String name, Path dir, Map<String, String> properties) {
        return start(name, dir, freePort(), properties);
    }

    /**
     * Starts {@code name} on a given port: for a coordinator whose URL others were told before it started (a
     * standby in the coordinator list of a cluster), or one started again where it ran before. It advertises its own
     * URL, unless {@code properties} name another {@code sluice.coordinator.advertised-url} (a proxy in front of it).
     */
    public static CoordinatorProcess start(String name, Path dir, int port, Map<String, String> properties) {
        Path root = RepoRoot.find(Path.of("")).orElseThrow(() -> new IllegalStateException("not in a Sluice checkout"));
        ClusterConfig config = ClusterConfig.defaults(root)
                .withKinds(ServiceKind.COORDINATOR)
                .withBaseDir(dir)
                // Start-up speed over peak speed: these processes live for seconds.
                .withJvmOptions(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                        "-Dreactor.netty.ioShutdownQuietPeriod=0"))
                .withStopGrace(STOP_GRACE);
        String advertised = properties.getOrDefault(ADVERTISED_URL, "http://127.0.0.1:" + port);
        List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                "--" + ADVERTISED_URL + "=" + advertised, "--sluice.coordinator.instance-id=" + name));
        properties.forEach((key, value) -> {
            if (!key.equals(ADVERTISED_URL)) {
                args.add("--" + key + "=" + value);
            }
        });
        LocalCluster launcher = new LocalCluster(config, line -> System.out.println("[" + name + "] " + line))
                .stopOnJvmExit();
        ServiceSpec spec = new ServiceSpec(name, ServiceKind.COORDINATOR, config.jar(ServiceKind.COORDINATOR),
                List.of(port), args);
        return new CoordinatorProcess(name, launcher.launchInstance(spec));
    }

    public String name() {
        return name;
    }

    public URI url() {
        return process.url();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The coordinator's status route, or empty while the process does not answer. */
    public Optional<CoordinatorStatus> status() {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(url().resolve(CoordinatorPaths.STATUS))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(SluiceJson.mapper().readValue(response.body(), CoordinatorStatus.class));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    public boolean isActive() {
        return status().map(CoordinatorStatus::active).orElse(false);
    }

    /** Waits until the HTTP API answers; fails at once, with the log's end, if the process exits first. */
    public CoordinatorProcess awaitUp(Duration timeout) {
        Waits.await(name + " to answer", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitCode().orElse(-1) + ":\n" + logTail());
            }
            return status().isPresent() ? Boolean.TRUE : null;
        });
        return this;
    }

    public CoordinatorProcess awaitActive(Duration timeout) {
        awaitUp(timeout);
        Waits.await(name + " to become active", timeout, () -> isActive() ? Boolean.TRUE : null);
        return this;
    }

    /** SIGKILL: no shutdown hooks, the lease is left to expire, child processes are orphaned. */
    public void kill() {
        process.kill();
    }

    /**
     * SIGTERM: Spring shuts down in order (releases the lease, stops an embedded Redis); SIGKILL if that hangs. Only
     * this process is signalled: whether its embedded redis-server went with it is the coordinator's doing.
     */
    public void stop() {
        Optional<ProcessHandle> handle = ProcessHandle.of(process.pid());
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroy();
        try {
            handle.get().onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kill();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines the process printed, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(process.logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", " + url() + ")";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
