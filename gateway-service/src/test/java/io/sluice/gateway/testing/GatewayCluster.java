package io.sluice.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.launcher.ClusterConfig;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.RepoRoot;
import io.sluice.launcher.ServiceKind;
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
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real cluster for end-to-end tests: a coordinator (with its embedded Redis), {@code nodes} partition services and
 * a gateway, each its own JVM started from the jars in this checkout by the launcher, on free loopback ports, with
 * data and logs under a test's temporary directory. Also the small client helpers these tests share: JSON calls
 * that return the parsed answer, and waiting for a new topic to be served.
 */
public final class GatewayCluster implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Path keptLogs;

    private GatewayCluster(LocalCluster cluster, Path keptLogs) {
        this.cluster = cluster;
        this.keptLogs = keptLogs;
    }

    /**
     * Starts the cluster and waits until every service is ready.
     *
     * @param name  names the directory under {@code target/it-logs/} that keeps the services' logs after {@link #close}
     * @param args  application arguments ({@code --key=value}) per kind of service
     */
    public static GatewayCluster start(String name, Path baseDir, int nodes, Map<ServiceKind, List<String>> args) {
        Path root = RepoRoot.find(Path.of("")).orElseThrow(() -> new IllegalStateException("not in a Sluice checkout"));
        for (ServiceKind kind : List.of(ServiceKind.COORDINATOR, ServiceKind.PARTITION, ServiceKind.GATEWAY)) {
            if (!Files.isRegularFile(kind.jar(root))) {
                fail(kind.jar(root) + " is missing; build it first: ./mvnw -pl " + kind.module()
                        + " -am package -DskipTests");
            }
        }
        ClusterConfig config = ClusterConfig.defaults(root)
                .withKinds(ServiceKind.COORDINATOR, ServiceKind.PARTITION, ServiceKind.GATEWAY)
                .withNodes(nodes)
                .withBaseDir(baseDir)
                .withFreePorts()
                // Quick JIT start-up: these JVMs live for one test class on a small shared machine.
                .withJvmOptions(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms64m", "-Xmx384m",
                        "-XX:+ExitOnOutOfMemoryError"))
                .withReadyTimeout(Duration.ofMinutes(3))
                .withStopGrace(Duration.ofSeconds(20));
        for (Map.Entry<ServiceKind, List<String>> entry : args.entrySet()) {
            config = config.withArgs(entry.getKey(), entry.getValue().toArray(String[]::new));
        }
        LocalCluster cluster = new LocalCluster(config, line -> System.out.println("[cluster] " + line)).stopOnJvmExit();
        GatewayCluster started = new GatewayCluster(cluster, Path.of("target", "it-logs", name));
        try {
            cluster.up();
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    public LocalCluster processes() {
        return cluster;
    }

    public String gatewayUrl() {
        return cluster.gatewayUrl().toString();
    }

    public HttpClient http() {
        return http;
    }

    public WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl(gatewayUrl()).responseTimeout(Duration.ofSeconds(60)).build();
    }

    /** Creates a topic and waits until the gateway can read every partition of it. */
    public JsonNode createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("partitions", partitions);
        request.put("replication_factor", replicationFactor);
        request.put("configs", configs);
        Response created = call("POST", "/v1/topics", JSON.writeValueAsString(request), "application/json");
        assertThat(created.status()).as("create %s: %s", name, created.text()).isEqualTo(201);
        awaitServed(name, partitions);
        return created.json();
    }

    /** Waits until a read of each partition answers 200 through the gateway (its metadata has the topic, leaders up). */
    public void awaitServed(String topic, int partitions) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int p = 0; p < partitions; p++) {
            Response last;
            do {
                last = call("GET", "/v1/topics/" + topic + "/partitions/" + p + "/records?offset=latest", null, null);
                if (last.status() == 200) {
                    break;
                }
                sleep(Duration.ofMillis(100));
            } while (System.nanoTime() < deadline);
            assertThat(last.status()).as("partition %d of %s served: %s", p, topic, last.text()).isEqualTo(200);
        }
    }

    /** The topic as the admin API describes it (leaders, ISR, earliest and latest offsets). */
    public JsonNode describe(String topic) {
        Response response = call("GET", "/v1/topics/" + topic, null, null);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Each partition's latest offset (its high watermark), in partition order. */
    public List<Long> latestOffsets(String topic) {
        List<Long> offsets = new ArrayList<>();
        for (JsonNode partition : describe(topic).path("partitions")) {
            offsets.add(partition.path("latest_offset").asLong(-1));
        }
        return offsets;
    }

    /** The node leading {@code partition} of {@code topic}, from the coordinator. */
    public int leader(String topic, int partition) {
        return describe(topic).path("partitions").get(partition).path("leader").asInt();
    }

    /** A plain HTTP call to the gateway; {@code body} null sends none. */
    public Response call(String method, String pathAndQuery, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response postJson(String pathAndQuery, String body) {
        return call("POST", pathAndQuery, body, "application/json");
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stops every process (SIGTERM, SIGKILL after the grace) and the children they left, then copies their logs to
     * {@code target/it-logs/<name>/}: the base directory is a temporary one.
     */
    @Override
    public void close() {
        cluster.close();
        try {
            Files.createDirectories(keptLogs);
            for (Map.Entry<String, Path> log : cluster.logFiles().entrySet()) {
                Files.copy(log.getValue(), keptLogs.resolve(log.getKey() + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.out.println("[cluster] could not keep the logs in " + keptLogs + ": " + e);
        }
    }

    /** An HTTP answer: status and body text, parsed as JSON on demand. */
    public record Response(int status, String text) {
        public JsonNode json() {
            return JSON.readTree(text);
        }
    }
}
