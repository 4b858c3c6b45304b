package io.sluice.gateway.kafka;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A Kafka Connect worker in distributed mode ({@code ConnectDistributed}), as a process of its own: Connect 4.3.1 with
 * the file connectors, on the classpath the sluice-connect-worker module resolves, apart from this test JVM's Kafka
 * 4.4.0 (connect-file is not published for 4.4.0, and 4.3.1's does not load beside kafka-clients 4.4.0). Its REST
 * API listens on a free loopback port; its output (Log4j 2, {@code connect-log4j2.properties}) goes to
 * {@code logFile}, which outlives the test. Every signal goes to the PID this object started.
 */
final class ConnectWorker implements AutoCloseable {

    /** The classpath file's path, set by the failsafe configuration of this module's pom. */
    private static final String CLASSPATH_PROPERTY = "sluice.connect.worker-classpath";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final TestJvm jvm;
    private final URI restUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectWorker(String name, TestJvm jvm, URI restUrl) {
        this.name = name;
        this.jvm = jvm;
        this.restUrl = restUrl;
    }

    /**
     * Starts a worker with {@code settings} (worker properties) beside its REST listener's, writing its properties
     * to {@code workDir} and its output to {@code logFile}; waits until its REST API answers.
     */
    static ConnectWorker start(String name, Map<String, String> settings, Path workDir, Path logFile) {
        int port = freePort();
        Map<String, String> properties = new TreeMap<>(settings);
        properties.put("listeners", "http://127.0.0.1:" + port);
        properties.put("rest.advertised.host.name", "127.0.0.1");
        properties.put("rest.advertised.port", Integer.toString(port));
        try {
            Path propertiesFile = workDir.resolve(name + ".properties");
            Files.writeString(propertiesFile, properties.entrySet().stream()
                    .map(setting -> setting.getKey() + "=" + setting.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(SluiceCluster.testJvm("256m"));
            command.addAll(List.of("-cp", TestJvm.classpath(CLASSPATH_PROPERTY, "sluice-connect-worker"),
                    "-Dlog4j2.configurationFile=" + Path.of(ConnectWorker.class.getResource("/connect-log4j2.properties")
                            .toURI()),
                    "org.apache.kafka.connect.cli.ConnectDistributed", propertiesFile.toString()));
            TestJvm jvm = TestJvm.start(name, command, logFile);
            ConnectWorker worker = new ConnectWorker(name, jvm, URI.create("http://127.0.0.1:" + port));
            try {
                Waits.await(name + "'s REST API (log: " + logFile + ")", Duration.ofSeconds(90), () -> {
                    AssertionError ended = jvm.endedBefore("its REST API answered");
                    if (ended != null) {
                        throw ended;
                    }
                    return worker.get("/connectors").status() == 200 ? worker : null;
                });
            } catch (RuntimeException | AssertionError e) {
                worker.close();
                throw e;
            }
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return jvm.pid();
    }

    /** The worker's id in Connect's REST answers (its advertised REST host and port). */
    String workerId() {
        return restUrl.getHost() + ":" + restUrl.getPort();
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    /** SIGKILL: the worker leaves its group only when its session times out, and commits nothing more. */
    void kill() {
        jvm.kill();
    }

    /** A REST call answered with its status and body. */
    GatewayCluster.Response get(String path) {
        return send(HttpRequest.newBuilder(restUrl.resolve(path)).GET());
    }

    GatewayCluster.Response put(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(restUrl.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    GatewayCluster.Response delete(String path) {
        return send(HttpRequest.newBuilder(restUrl.resolve(path)).DELETE());
    }

    private GatewayCluster.Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new GatewayCluster.Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM (Connect's shutdown hook leaves the group and stops its tasks), SIGKILL after a grace. */
    @Override
    public void close() {
        jvm.stop(STOP_GRACE);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", " + restUrl + ")";
    }
}
