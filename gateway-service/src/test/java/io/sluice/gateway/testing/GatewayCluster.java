package io.sluice.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * End-to-end tests' view of a {@link SluiceCluster} with a gateway: the small client helpers these tests share (JSON
 * calls that return the parsed answer, creating a topic and waiting until it is served, describing it) over the one
 * real-process harness.
 */
public final class GatewayCluster implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final SluiceCluster cluster;
    private final int nodes;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayCluster(SluiceCluster cluster, int nodes) {
        this.cluster = cluster;
        this.nodes = nodes;
    }

    /**
     * Starts a coordinator, {@code nodes} partition services and a gateway, and waits until every service is ready.
     *
     * @param name  names the directory under {@code target/cluster-logs/} that keeps the services' logs after
     *              {@link #close}
     * @param args  application arguments ({@code --key=value}) per kind of service
     */
    public static GatewayCluster start(String name, int nodes, Map<ServiceKind, List<String>> args) {
        // The gateway path: these clusters test the gateway's own Kafka listener, through which every byte of a
        // Kafka client passes there (KafkaBrokersTest covers what the direct path changes in its answers, and the
        // direct path's clients run in sluice-it, KafkaDirectPathIT and the chaos run among them).
        SluiceCluster.Builder builder = SluiceCluster.builder(name).nodes(nodes).withGateway().gatewayDataPath()
                .readyTimeout(Duration.ofMinutes(3));
        args.forEach((kind, values) -> builder.args(kind, values.toArray(String[]::new)));
        return new GatewayCluster(builder.start(), nodes);
    }

    /**
     * Starts every service of this cluster that is not running (a test killed it and failed before starting it
     * again), and waits until the coordinator counts every partition service alive.
     */
    public void heal() {
        List<String> services = new ArrayList<>(List.of(LocalCluster.COORDINATOR, LocalCluster.GATEWAY));
        for (int id = 1; id <= nodes; id++) {
            services.add(LocalCluster.partition(id));
        }
        services.stream().filter(service -> processes().process(service).isEmpty()).forEach(processes()::start);
        cluster.awaitNodesAlive(nodes, Duration.ofSeconds(60));
    }

    /** A partition service's data directory. */
    public Path dataDir(int nodeId) {
        return cluster.dataDir(nodeId);
    }

    public LocalCluster processes() {
        return cluster.processes();
    }

    public String coordinatorUrl() {
        return cluster.coordinatorUrl().toString();
    }

    public String gatewayUrl() {
        return cluster.gatewayUrl().toString();
    }

    /** The gateway's Kafka listener, as a Kafka client's {@code bootstrap.servers}. */
    public String kafkaBootstrap() {
        return cluster.kafkaBootstrap();
    }

    /**
     * Starts one more gateway, a broker of its own to Kafka clients, with {@code settings} ({@code --key=value})
     * replacing the cluster gateway's own (see {@link SluiceCluster#startGateway}); returns its URL.
     */
    public String startGateway(String name, String... settings) {
        return cluster.startGateway(name, settings).toString();
    }

    /** The Kafka listener of a gateway from {@link #startGateway}. */
    public String kafkaBootstrap(String gateway) {
        return cluster.kafkaBootstrap(gateway);
    }

    /** SIGKILL of a gateway from {@link #startGateway}. */
    public void kill(String gateway) {
        cluster.kill(gateway);
    }

    /**
     * A graceful restart of a service by name ({@code partition-<id>}, {@code gateway}, or a gateway from
     * {@link #startGateway}) on its own ports, as {@link SluiceCluster#restart} does it; how long it took.
     */
    public Duration restart(String service) {
        return cluster.restart(service);
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
        request.put("partition_count", partitions);
        request.put("replication_factor", replicationFactor);
        request.put("configs", configs.entrySet().stream()
                .map(config -> Map.of("name", config.getKey(), "value", config.getValue())).toList());
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

    /** The topic as the admin API describes it (leaders, ISR, log start offsets and high watermarks). */
    public JsonNode describe(String topic) {
        Response response = call("GET", "/v1/topics/" + topic, null, null);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Each partition's high watermark, in partition order. */
    public List<Long> highWatermarks(String topic) {
        List<Long> offsets = new ArrayList<>();
        for (JsonNode partition : describe(topic).path("partitions")) {
            offsets.add(partition.path("high_watermark").asLong(-1));
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
        Waits.sleep(duration);
    }

    /** Stops every process, keeps their logs, deletes the data (see {@link SluiceCluster#close}). */
    @Override
    public void close() {
        cluster.close();
    }

    /** Reads the page {@code pathAndQuery} answers until its records' values are {@code expected} (30 s at most). */
    public void awaitValues(String pathAndQuery, String... expected) {
        List<String> read = values(pathAndQuery);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!read.equals(List.of(expected)) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
            read = values(pathAndQuery);
        }
        assertThat(read).as(pathAndQuery).containsExactly(expected);
    }

    /** The values (as text) of the records of the page {@code pathAndQuery} answers. */
    public List<String> values(String pathAndQuery) {
        Response page = call("GET", pathAndQuery, null, null);
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        List<String> values = new ArrayList<>();
        page.json().get("records").forEach(record -> values.add(record.get("value").asString()));
        return values;
    }

    /** An HTTP answer: status and body text, parsed as JSON on demand. */
    public record Response(int status, String text) {
        public JsonNode json() {
            return JSON.readTree(text);
        }
    }
}
