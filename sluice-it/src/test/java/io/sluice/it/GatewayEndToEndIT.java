package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.SluiceCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole product, through its public API only, with every process real: 30 000 records produced with acks=all
 * to a 3-partition, replication-factor-3 topic through the gateway while the leader of a partition is SIGKILLed,
 * then read back; then the whole cluster restarted and read again. Every acknowledged record must be where its
 * acknowledgement said, byte for byte, offsets contiguous, nothing duplicated by the broker.
 */
@ExtendWith(ClusterExtension.class)
class GatewayEndToEndIT {

    private static final int RECORDS = 30_000;
    private static final int PER_REQUEST = 1000;
    private static final String TOPIC = "e2e";

    private static SluiceCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = SluiceJson.mapper();

    @BeforeAll
    static void useSharedCluster(SluiceCluster shared) {
        cluster = shared;
    }

    @Test
    void everyAcknowledgedRecordSurvivesALeaderKillAndAFullRestart() throws Exception {
        post("/v1/topics", "{\"name\":\"" + TOPIC + "\",\"partition_count\":3,\"replication_factor\":3,"
                + "\"configs\":[{\"name\":\"min.insync.replicas\",\"value\":\"2\"}]}");
        awaitTopicReady();

        // Produce from 4 threads; record where each record was acknowledged.
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // "partition:offset" -> record id
        Set<String> uncertain = ConcurrentHashMap.newKeySet();          // ids sent again after an unknown outcome
        AtomicInteger nextRequest = new AtomicInteger();
        int requests = RECORDS / PER_REQUEST;
        String victim = leaderOfPartitionZero();
        long killedAt;
        try (ExecutorService producers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                running.add(producers.submit(() -> {
                    for (int r; (r = nextRequest.getAndIncrement()) < requests; ) {
                        produceUntilAcknowledged(r, acknowledged, uncertain);
                    }
                    return null;
                }));
            }
            while (acknowledged.size() < RECORDS / 3) {
                Thread.sleep(20);
            }
            killedAt = System.nanoTime();
            cluster.processes().kill(victim);
            System.out.println("Killed " + victim + " (leader of " + TOPIC + "-0) after " + acknowledged.size()
                    + " acknowledged records");
            for (Future<?> f : running) {
                f.get();
            }
        }
        System.out.printf("All %d records acknowledged %.1f s after the kill%n", acknowledged.size(),
                (System.nanoTime() - killedAt) / 1e9);
        assertThat(acknowledged).hasSize(RECORDS);

        cluster.processes().start(victim);
        assertAcknowledgedRecordsReadable(acknowledged, uncertain);

        cluster.processes().down();
        cluster.processes().up();
        awaitTopicReady();
        assertAcknowledgedRecordsReadable(acknowledged, uncertain);
    }

    /** Sends request {@code r}; retries retriable failures (re-sending only what was not acknowledged). */
    private void produceUntilAcknowledged(int r, Map<String, String> acknowledged, Set<String> uncertain)
            throws Exception {
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < PER_REQUEST; i++) {
            pending.add(r * PER_REQUEST + i);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!pending.isEmpty()) {
            assertThat(System.nanoTime()).as("records acknowledged within 90 s").isLessThan(deadline);
            StringBuilder body = new StringBuilder("{\"key_format\":\"string\",\"value_format\":\"string\",\"records\":[");
            for (int k = 0; k < pending.size(); k++) {
                int id = pending.get(k);
                body.append(k == 0 ? "" : ",").append("{\"key\":\"key-").append(id % 97).append("\",\"value\":\"")
                        .append(value(id)).append("\"}");
            }
            body.append("]}");
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/v1/topics/" + TOPIC
                                + "/records?acks=all&timeout_ms=20000"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(40))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                pending.forEach(id -> uncertain.add(Integer.toString(id)));
                Thread.sleep(200);
                continue;
            }
            JsonNode results = json.readTree(response.body()).get("results");
            assertThat(results).as("answer to request %d: %s", r, response.body()).isNotNull();
            List<Integer> again = new ArrayList<>();
            for (int k = 0; k < pending.size(); k++) {
                JsonNode result = results.get(k);
                int id = pending.get(k);
                if (result.hasNonNull("offset")) {
                    String previous = acknowledged.put(result.get("partition").asInt() + ":" + result.get("offset").asLong(),
                            Integer.toString(id));
                    assertThat(previous).as("two acknowledgements for one offset").isNull();
                } else {
                    assertThat(result.get("retriable").asBoolean()).as("error for record %d: %s", id, result).isTrue();
                    if ("REQUEST_TIMED_OUT".equals(result.get("error_code").asString())) {
                        uncertain.add(Integer.toString(id)); // may be written: a re-send can duplicate it
                    }
                    again.add(id);
                }
            }
            pending = again;
            if (!pending.isEmpty()) {
                Thread.sleep(100);
            }
        }
    }

    private void assertAcknowledgedRecordsReadable(Map<String, String> acknowledged, Set<String> uncertain)
            throws Exception {
        Map<String, String> stored = new HashMap<>(); // "partition:offset" -> record id
        Map<String, Integer> copies = new HashMap<>();
        for (int partition = 0; partition < 3; partition++) {
            long offset = 0;
            while (true) {
                JsonNode page = json.readTree(get("/v1/topics/" + TOPIC + "/partitions/" + partition
                        + "/records?offset=" + offset + "&max_records=10000&max_bytes=8388608&value_format=string"));
                JsonNode records = page.get("records");
                for (JsonNode record : records) {
                    assertThat(record.get("offset").asLong()).as("offsets are contiguous").isEqualTo(offset);
                    String id = idOf(record.get("value").asString());
                    assertThat(record.get("key").asString()).isEqualTo("key-" + (Integer.parseInt(id) % 97));
                    stored.put(partition + ":" + offset, id);
                    copies.merge(id, 1, Integer::sum);
                    offset++;
                }
                if (records.isEmpty() || offset >= page.get("high_watermark").asLong()) {
                    break;
                }
            }
        }
        acknowledged.forEach((position, id) ->
                assertThat(stored.get(position)).as("record %s at its acknowledged position %s", id, position).isEqualTo(id));
        copies.forEach((id, n) -> assertThat(n == 1 || uncertain.contains(id))
                .as("record %s stored %d times without a client re-send", id, n).isTrue());
    }

    private static String value(int id) {
        return "record-" + id + "-" + "x".repeat(80);
    }

    private static String idOf(String value) {
        return value.substring("record-".length(), value.indexOf('-', "record-".length()));
    }

    private String leaderOfPartitionZero() throws Exception {
        JsonNode topic = json.readTree(get("/v1/topics/" + TOPIC));
        return LocalCluster.partition(topic.get("partitions").get(0).get("leader").asInt());
    }

    private void awaitTopicReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode topic = json.readTree(get("/v1/topics/" + TOPIC));
                boolean ready = true;
                for (JsonNode p : topic.get("partitions")) {
                    ready &= p.path("leader").asInt(-1) >= 0 && p.get("isr").size() == 3 && !p.path("high_watermark").isNull();
                }
                if (ready) {
                    return;
                }
            } catch (AssertionError | RuntimeException e) {
                // not there yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("topic " + TOPIC + " did not become fully in sync");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private void post(String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isBetween(200, 299);
    }
}
