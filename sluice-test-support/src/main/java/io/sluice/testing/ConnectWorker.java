package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Kafka Connect worker in distributed mode ({@code ConnectDistributed}), as a process of its own: Connect 4.3.1 with
 * the file connectors, on the classpath the sluice-connect-worker module resolves, apart from the test JVM's Kafka
 * 4.4.0 (connect-file is not published for 4.4.0, and 4.3.1's does not load beside kafka-clients 4.4.0). The testing
 * module's failsafe configuration names that classpath file in system property {@value #CLASSPATH_PROPERTY}. Its REST
 * API listens on a loopback port; its output (Log4j 2, {@code connect-log4j2.properties}) goes to {@code logFile},
 * which outlives the test. Every signal goes to the PID this object started. Used by the gateway's KafkaConnectIT and
 * the console's browser test.
 */
public final class ConnectWorker implements AutoCloseable {

    /** The classpath file's path, set by the failsafe configuration of the testing module's pom. */
    public static final String CLASSPATH_PROPERTY = "sluice.connect.worker-classpath";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    /** A REST answer: its status and body. */
    public record Response(int status, String text) {

        public JsonNode json() {
            return JSON.readTree(text);
        }
    }

    /**
     * The settings of a distributed worker of group {@code group} on {@code bootstrap}: its config, offset and status
     * topics named after {@code topicPrefix} with three replicas, string converters, offsets flushed every second, and
     * short session timeouts and rebalance delays (a test does not wait long for a killed worker to come back).
     */
    public static Map<String, String> settings(String bootstrap, String group, String topicPrefix) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("group.id", group);
        settings.put("config.storage.topic", topicPrefix + "-configs");
        settings.put("offset.storage.topic", topicPrefix + "-offsets");
        settings.put("status.storage.topic", topicPrefix + "-status");
        settings.put("config.storage.replication.factor", "3");
        settings.put("offset.storage.replication.factor", "3");
        settings.put("status.storage.replication.factor", "3");
        settings.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        settings.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        settings.put("offset.flush.interval.ms", "1000");
        settings.put("session.timeout.ms", "6000");
        settings.put("heartbeat.interval.ms", "2000");
        settings.put("consumer.session.timeout.ms", "6000");
        settings.put("consumer.heartbeat.interval.ms", "2000");
        settings.put("scheduled.rebalance.max.delay.ms", "3000");
        return settings;
    }

    /** Starts a worker whose REST API listens on a free loopback port; see {@link #start(String, int, Map, Path, Path)}. */
    public static ConnectWorker start(String name, Map<String, String> settings, Path workDir, Path logFile) {
        return start(name, freePort(), settings, workDir, logFile);
    }

    /**
     * Starts a worker with {@code settings} (worker properties) beside its REST listener's on {@code port}, writing its
     * properties and log configuration to {@code workDir} and its output to {@code logFile}; waits until its REST API
     * answers.
     */
    public static ConnectWorker start(String name, int port, Map<String, String> settings, Path workDir,
                                      Path logFile) {
        Map<String, String> properties = new TreeMap<>(settings);
        properties.put("listeners", "http://127.0.0.1:" + port);
        properties.put("rest.advertised.host.name", "127.0.0.1");
        properties.put("rest.advertised.port", Integer.toString(port));
        try {
            Path propertiesFile = workDir.resolve(name + ".properties");
            Files.writeString(propertiesFile, properties.entrySet().stream()
                    .map(setting -> setting.getKey() + "=" + setting.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            // Copied out of this module's jar: Log4j reads its configuration from a file.
            Path log4j = workDir.resolve("connect-log4j2.properties");
            try (InputStream in = ConnectWorker.class.getResourceAsStream("/connect-log4j2.properties")) {
                Files.copy(in, log4j, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(SluiceCluster.testJvm("256m"));
            command.addAll(List.of("-cp", TestJvm.classpath(CLASSPATH_PROPERTY, "sluice-connect-worker"),
                    "-Dlog4j2.configurationFile=" + log4j,
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
        }
    }

    /** A loopback port free now, for a worker whose REST URL must be known before it starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return jvm.pid();
    }

    public URI restUrl() {
        return restUrl;
    }

    /** The worker's id in Connect's REST answers (its advertised REST host and port). */
    public String workerId() {
        return restUrl.getHost() + ":" + restUrl.getPort();
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    /** SIGKILL: the worker leaves its group only when its session times out, and commits nothing more. */
    public void kill() {
        jvm.kill();
    }

    /** A REST call answered with its status and body. */
    public Response get(String path) {
        return send(HttpRequest.newBuilder(restUrl.resolve(path)).GET());
    }

    public Response put(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(restUrl.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(restUrl.resolve(path)).DELETE());
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
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

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", " + restUrl + ")";
    }
}
