package io.sluice.coordinator.testing;

import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.web.CoordinatorStatus;
import io.sluice.metadata.SluiceJson;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/**
 * A coordinator in a process of its own, started from the packaged jar ({@code java -jar}, path in the system property
 * {@code sluice.coordinator.jar} that failsafe sets) on a free loopback port, with its output in
 * {@code <dir>/<name>.log}. It is stopped through its {@link Process} handle only: {@link #kill()} is SIGKILL,
 * {@link #stop()} is SIGTERM (an orderly shutdown that releases the lease), {@link #close()} kills it if still alive.
 */
public final class CoordinatorProcess implements AutoCloseable {

    /** Clocks for multi-process tests: failover within about two seconds, nodes tolerant of a busy machine. */
    public static Map<String, String> fastClocks() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sluice.coordinator.session-timeout", "3s");
        properties.put("sluice.coordinator.heartbeat-interval", "300ms");
        properties.put("sluice.coordinator.lease.ttl", "1500ms");
        properties.put("sluice.coordinator.lease.renew-interval", "300ms");
        properties.put("sluice.coordinator.election.liveness-check-interval", "100ms");
        properties.put("sluice.coordinator.election.preferred-leader-check-interval", "0s");
        properties.put("sluice.coordinator.metadata.max-wait", "5s");
        return properties;
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String name;
    private final URI url;
    private final Process process;
    private final Path log;

    private CoordinatorProcess(String name, URI url, Process process, Path log) {
        this.name = name;
        this.url = url;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code name} (also its instance id) with {@code properties} ({@code sluice.coordinator.*} and any other
     * Spring property) as command-line arguments; does not wait for it.
     */
    public static CoordinatorProcess start(String name, Path dir, Map<String, String> properties) {
        int port = TestPorts.freePort();
        URI url = URI.create("http://127.0.0.1:" + port);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Start-up speed over peak speed: these processes live for seconds.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-jar", jar().toString(),
                "--server.port=" + port,
                "--sluice.coordinator.advertised-url=" + url,
                "--sluice.coordinator.instance-id=" + name));
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = dir.resolve(name + ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new CoordinatorProcess(name, url, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start coordinator " + name, e);
        }
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("sluice.coordinator.jar", "target/coordinator-service-0.1.0-SNAPSHOT.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No coordinator jar at " + jar.toAbsolutePath() + ": run these tests with "
                    + "'./mvnw -pl coordinator-service verify' (failsafe runs them after package)");
        }
        return jar;
    }

    public String name() {
        return name;
    }

    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code GET /internal/coordinator}, or empty while the process does not answer. */
    public Optional<CoordinatorStatus> status() {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(url.resolve("/internal/coordinator"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
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
        await(name + " to answer").atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            return status().isPresent();
        });
        return this;
    }

    public CoordinatorProcess awaitActive(Duration timeout) {
        awaitUp(timeout);
        await(name + " to become active").atMost(timeout).pollInterval(Duration.ofMillis(50)).until(this::isActive);
        return this;
    }

    /** SIGKILL: no shutdown hooks, the lease is left to expire, child processes are orphaned. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    /** SIGTERM: Spring shuts down in order (releases the lease, stops an embedded Redis); SIGKILL if that hangs. */
    public void stop() {
        process.destroy();
        if (!waitForExit(Duration.ofSeconds(20))) {
            kill();
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The last lines the process printed, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
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
        return name + " (pid " + process.pid() + ", " + url + ")";
    }
}
