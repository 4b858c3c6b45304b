package io.sluice.bench.load;

import io.sluice.bench.load.LoadOptions.TopicSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's public HTTP API as the load generator uses it: URIs of the produce, read and stream resources, the
 * few admin calls a run needs (create, describe, wait for leaders), and a set of JDK HttpClients (HTTP/1.1, each with
 * its own selector thread and connection pool) that workers share. Thread-safe.
 */
final class GatewayClient implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.shared();

    private final URI base;
    private final Duration timeout;
    private final HttpClient[] clients;

    GatewayClient(URI base, Duration timeout, int clients) {
        this.base = base;
        this.timeout = timeout;
        this.clients = new HttpClient[clients];
        for (int i = 0; i < clients; i++) {
            this.clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    // response bodies are handed over on the selector thread's executor; a small pool of daemon
                    // threads keeps an idle run from holding the JVM open
                    .executor(Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "http-client");
                        t.setDaemon(true);
                        return t;
                    }))
                    .build();
        }
    }

    URI base() {
        return base;
    }

    Duration timeout() {
        return timeout;
    }

    HttpClient client(int worker) {
        return clients[Math.floorMod(worker, clients.length)];
    }

    URI produceUri(String topic, String acks, long timeoutMs, String valueFormat) {
        return uri("/v1/topics/" + segment(topic) + "/records?acks=" + acks + "&timeout_ms=" + timeoutMs
                + (valueFormat == null ? "" : "&value_format=" + valueFormat));
    }

    /** A JSON read; with a null {@code valueFormat}, a raw read (whole stored batches: no record count or format). */
    URI readUri(String topic, int partition, String offset, int maxRecords, int maxBytes, long waitMs, String valueFormat) {
        return uri("/v1/topics/" + segment(topic) + "/partitions/" + partition + "/records?offset=" + offset
                + "&max_bytes=" + maxBytes + "&wait_ms=" + waitMs
                + (valueFormat == null ? "" : "&max_records=" + maxRecords + "&value_format=" + valueFormat));
    }

    URI streamUri(String topic, String offset, String valueFormat) {
        return uri("/v1/topics/" + segment(topic) + "/records?offset=" + offset + "&value_format=" + valueFormat);
    }

    /** Creates {@code topic}; an existing topic is reported and used as it is. */
    void createTopic(String topic, TopicSpec spec, java.io.PrintStream out) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", topic);
        body.put("partition_count", spec.partitions());
        body.put("replication_factor", spec.replicationFactor());
        body.put("configs", spec.minInsync() > 0
                ? List.of(Map.of("name", "min.insync.replicas", "value", Integer.toString(spec.minInsync())))
                : List.of());
        HttpResponse<String> response = client(0).send(HttpRequest.newBuilder(uri("/v1/topics"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
            out.println("created topic " + topic + " (partitions=" + spec.partitions() + ", replication_factor="
                    + spec.replicationFactor() + (spec.minInsync() > 0 ? ", min.insync.replicas=" + spec.minInsync() : "")
                    + ")");
        } else if (response.body().contains("TOPIC_ALREADY_EXISTS")) {
            out.println("topic " + topic + " exists already; using it as it is");
        } else {
            throw new IOException("creating topic " + topic + " failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
    }

    /** A topic's partitions with their leader and offsets (null when the gateway could not ask the leader). */
    record TopicInfo(String name, List<PartitionInfo> partitions) {
        long records() {
            return partitions.stream().mapToLong(p -> p.latest() == null || p.earliest() == null ? 0
                    : p.latest() - p.earliest()).sum();
        }
    }

    record PartitionInfo(int partition, int leader, Long earliest, Long latest) {
    }

    TopicInfo describeTopic(String topic) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client(0).send(HttpRequest.newBuilder(uri("/v1/topics/" + segment(topic)))
                .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("describing topic " + topic + " failed: HTTP " + response.statusCode() + " "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        JsonNode node = JSON.readTree(response.body());
        List<PartitionInfo> partitions = new ArrayList<>();
        for (JsonNode p : node.path("partitions")) {
            partitions.add(new PartitionInfo(p.path("partition").asInt(), p.path("leader").asInt(-1),
                    p.hasNonNull("log_start_offset") ? p.get("log_start_offset").asLong() : null,
                    p.hasNonNull("high_watermark") ? p.get("high_watermark").asLong() : null));
        }
        return new TopicInfo(node.path("name").asString(topic), partitions);
    }

    /** Waits until every partition of {@code topic} has a leader whose offsets the gateway can read. */
    TopicInfo awaitReady(String topic) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TopicInfo info = describeTopic(topic);
            boolean ready = !info.partitions().isEmpty() && info.partitions().stream()
                    .allMatch(p -> p.leader() >= 0 && p.latest() != null);
            if (ready) {
                return info;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("topic " + topic + " has partitions without a readable leader after "
                        + timeout.toMillis() + " ms: " + info.partitions());
            }
            Thread.sleep(200);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        for (HttpClient client : clients) {
            client.shutdownNow();
        }
    }
}
