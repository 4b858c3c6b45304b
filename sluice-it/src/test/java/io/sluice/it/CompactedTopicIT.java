package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.testing.SluiceCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Log compaction in a real cluster, through the public API only: a compacted topic (replication factor 3, so every
 * replica cleans its own log) takes 100,000 updates over 1,000 keys; once the cleaners have run, reading the
 * partition from offset 0 returns exactly 1,000 records, the latest value of each key, at increasing offsets with the
 * gaps compaction leaves, which the reader steps over by {@code next_offset}.
 */
@ExtendWith(ClusterExtension.class)
class CompactedTopicIT {

    private static final String TOPIC = "compacted";
    private static final int KEYS = 1000;
    private static final int ROUNDS = 100;

    private static SluiceCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = SluiceJson.mapper();

    @BeforeAll
    static void useSharedCluster(SluiceCluster shared) {
        cluster = shared;
    }

    @Test
    void aCompactedTopicReadsBackTheLatestValueOfEachKeyOnce() throws Exception {
        HttpResponse<String> refused = post("/v1/topics", "{\"name\":\"" + TOPIC + "\",\"partition_count\":1,"
                + "\"replication_factor\":3,\"configs\":[{\"name\":\"cleanup.policy\",\"value\":\"compress\"}]}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("INVALID_CONFIG");

        // Small segments and a one-second max compaction lag: the active segment rolls once its first record is a
        // second old, so even the last round is cleanable soon after the writes stop.
        HttpResponse<String> created = post("/v1/topics", "{\"name\":\"" + TOPIC + "\",\"partition_count\":1,"
                + "\"replication_factor\":3,\"configs\":["
                + "{\"name\":\"cleanup.policy\",\"value\":\"compact\"},"
                + "{\"name\":\"segment.bytes\",\"value\":\"1048576\"},"
                + "{\"name\":\"min.cleanable.dirty.ratio\",\"value\":\"0.1\"},"
                + "{\"name\":\"max.compaction.lag.ms\",\"value\":\"1000\"},"
                + "{\"name\":\"min.insync.replicas\",\"value\":\"2\"}]}");
        assertThat(created.statusCode()).as(created.body()).isBetween(200, 299);
        awaitLeader();

        for (int round = 1; round <= ROUNDS; round++) {
            StringBuilder body = new StringBuilder("{\"key_format\":\"string\",\"value_format\":\"string\",\"records\":[");
            for (int key = 0; key < KEYS; key++) {
                body.append(key == 0 ? "" : ",").append("{\"key\":\"key-").append(key)
                        .append("\",\"value\":\"round-").append(round).append("-of-key-").append(key).append("\"}");
            }
            body.append("]}");
            HttpResponse<String> produced = post("/v1/topics/" + TOPIC + "/records?acks=all&timeout_ms=20000",
                    body.toString());
            assertThat(produced.statusCode()).as("round %d: %s", round, produced.body()).isEqualTo(200);
        }

        Map<String, String> latest = Map.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int read = -1;
        while (System.nanoTime() < deadline) {
            ReadBack back = readAll();
            latest = back.latest();
            read = back.records();
            if (read == KEYS) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(read).as("records read back after cleaning").isEqualTo(KEYS);
        assertThat(latest).hasSize(KEYS);
        latest.forEach((key, value) -> assertThat(value).isEqualTo("round-" + ROUNDS + "-of-" + key));
    }

    private record ReadBack(int records, Map<String, String> latest) {
    }

    /** Reads the partition from offset 0 to the high watermark, following next_offset over gaps. */
    private ReadBack readAll() throws Exception {
        Map<String, String> latest = new HashMap<>();
        int records = 0;
        long offset = 0;
        long previous = -1;
        while (true) {
            JsonNode page = json.readTree(get("/v1/topics/" + TOPIC + "/partitions/0/records?offset=" + offset
                    + "&max_records=5000&max_bytes=8388608&key_format=string&value_format=string"));
            for (JsonNode record : page.get("records")) {
                long at = record.get("offset").asLong();
                assertThat(at).as("offsets increase").isGreaterThan(previous);
                previous = at;
                latest.put(record.get("key").asString(), record.get("value").asString());
                records++;
            }
            long next = page.get("next_offset").asLong();
            if (next >= page.get("high_watermark").asLong() || next == offset) {
                return new ReadBack(records, latest);
            }
            offset = next;
        }
    }

    private void awaitLeader() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl()
                    + "/v1/topics/" + TOPIC)).GET());
            if (response.statusCode() == 200) {
                JsonNode partition = json.readTree(response.body()).get("partitions").get(0);
                if (partition.path("leader").asInt(-1) >= 0 && partition.get("isr").size() == 3) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("topic " + TOPIC + " did not become fully in sync");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path)).GET());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
