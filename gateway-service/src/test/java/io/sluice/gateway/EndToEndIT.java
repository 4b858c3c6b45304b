package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.consume.Cursor;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.gateway.testing.SseStream;
import io.sluice.launcher.LocalCluster;
import io.sluice.protocol.partition.DefaultPartitioner;
import io.sluice.testing.Waits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The public API end to end, against real processes: a coordinator, three partition services and the gateway jar,
 * topics of three partitions replicated three times. Produce (JSON and NDJSON) and read back byte for byte, by offset
 * and by time; murmur2 placement of keyed records; mixed outcomes; SSE over all partitions resumed with
 * Last-Event-ID; a slow SSE reader; and the leader of a partition SIGKILLed while producers and a stream run (the
 * shared cluster starts it again after the test). Measured figures are printed as {@code [figure]} lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedGatewayCluster.class)
class EndToEndIT {

    private static final int PARTITIONS = 3;
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        cluster = shared;
    }

    @Test
    void jsonRecordsReadBackByteForByteByOffsetAndByTimestamp() {
        String topic = "formats";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        long t0 = 1_700_000_000_000L;
        String jsonKey = "{\"id\":1,\"tags\":[\"a\",\"b\"]}";
        String jsonValue = "{\"nested\":{\"x\":1.5,\"s\":\"\u00fc\u20ac\"},\"arr\":[1,null,true],\"big\":12345678901234}";
        String stringKey = "k-\u00fc";
        String stringValue = "line1\nline2 \"quoted\" \u2603";
        byte[] binaryKey = {0, -1, 7};
        byte[] binaryValue = new byte[256];
        for (int i = 0; i < binaryValue.length; i++) {
            binaryValue[i] = (byte) i;
        }

        List<JsonNode> results = new ArrayList<>();
        results.addAll(ok(cluster.postJson(records(topic, ""), "[{\"partition\": 1, \"key\": " + jsonKey
                + ", \"value\": " + jsonValue + ", \"headers\": {\"h1\": \"v1\", \"h2\": null}, \"timestamp\": "
                + t0 + "}]")));
        results.addAll(ok(cluster.postJson(records(topic, ""), "{\"key_format\": \"string\", \"value_format\": "
                + "\"string\", \"records\": [{\"partition\": 1, \"key\": " + quoted(stringKey) + ", \"value\": "
                + quoted(stringValue) + ", \"headers\": [{\"key\": \"h\", \"value\": \"x\"}, {\"key\": \"h\", "
                + "\"value\": \"y\"}], \"timestamp\": " + (t0 + 10) + "}]}")));
        results.addAll(ok(cluster.postJson(records(topic, "?key_format=binary&value_format=binary"),
                "[{\"partition\": 1, \"key\": \"" + BASE64.encodeToString(binaryKey) + "\", \"value\": \""
                        + BASE64.encodeToString(binaryValue) + "\", \"timestamp\": " + (t0 + 20) + "}, "
                        + "{\"partition\": 1, \"key\": \"" + BASE64.encodeToString(binaryKey) + "\", \"value\": null, "
                        + "\"timestamp\": " + (t0 + 30) + "}]")));

        assertThat(results).extracting(r -> r.path("partition").asInt()).containsOnly(1);
        assertThat(results).extracting(r -> r.path("offset").asLong()).containsExactly(0L, 1L, 2L, 3L);
        assertThat(results).extracting(r -> r.path("timestamp").asLong())
                .containsExactly(t0, t0 + 10, t0 + 20, t0 + 30);

        // Stored bytes, as binary: exactly what each format put in.
        List<JsonNode> raw = read(topic, 1, "?offset=0&key_format=binary&value_format=binary").path("records")
                .valueStream().toList();
        assertThat(raw).hasSize(4);
        assertThat(bytes(raw.get(0).path("key"))).isEqualTo(utf8(jsonKey));
        assertThat(bytes(raw.get(0).path("value"))).isEqualTo(utf8(jsonValue));
        assertThat(bytes(raw.get(1).path("key"))).isEqualTo(utf8(stringKey));
        assertThat(bytes(raw.get(1).path("value"))).isEqualTo(utf8(stringValue));
        assertThat(bytes(raw.get(2).path("key"))).isEqualTo(binaryKey);
        assertThat(bytes(raw.get(2).path("value"))).isEqualTo(binaryValue);
        assertThat(raw.get(3).path("value").isNull()).as("a tombstone stays null").isTrue();
        assertThat(raw).extracting(r -> r.path("timestamp").asLong()).containsExactly(t0, t0 + 10, t0 + 20, t0 + 30);
        assertThat(raw.get(0).path("headers").toString())
                .isEqualTo("[{\"key\":\"h1\",\"value\":\"v1\",\"value_format\":\"string\"},"
                        + "{\"key\":\"h2\",\"value\":null,\"value_format\":\"string\"}]");
        assertThat(raw.get(1).path("headers").toString())
                .isEqualTo("[{\"key\":\"h\",\"value\":\"x\",\"value_format\":\"string\"},"
                        + "{\"key\":\"h\",\"value\":\"y\",\"value_format\":\"string\"}]");

        // In the formats they were written in: the same JSON values and strings.
        JsonNode asJson = read(topic, 1, "?offset=0&max_records=1").path("records").get(0);
        assertThat(asJson.path("key")).isEqualTo(GatewayCluster.JSON.readTree(jsonKey));
        assertThat(asJson.path("value")).isEqualTo(GatewayCluster.JSON.readTree(jsonValue));
        JsonNode asString = read(topic, 1, "?offset=1&max_records=1&key_format=string&value_format=string")
                .path("records").get(0);
        assertThat(asString.path("key").asString()).isEqualTo(stringKey);
        assertThat(asString.path("value").asString()).isEqualTo(stringValue);
        assertThat(read(topic, 1, "?offset=1&max_records=1&format=string").path("records").get(0))
                .as("format sets the key and value formats at once").isEqualTo(asString);

        // By time: the first record at or after the timestamp.
        assertThat(firstOffset(read(topic, 1, "?timestamp=" + t0))).isEqualTo(0);
        assertThat(firstOffset(read(topic, 1, "?timestamp=" + (t0 + 10)))).isEqualTo(1);
        assertThat(firstOffset(read(topic, 1, "?timestamp=" + (t0 + 11)))).isEqualTo(2);
        assertThat(firstOffset(read(topic, 1, "?timestamp=" + (t0 + 30)))).isEqualTo(3);
        JsonNode later = read(topic, 1, "?timestamp=" + (t0 + 31));
        assertThat(later.path("records")).isEmpty();
        assertThat(later.path("next_offset").asLong()).isEqualTo(4);
        assertThat(read(topic, 1, "?offset=2&max_records=1").path("next_offset").asLong()).isEqualTo(3);
    }

    @Test
    void ndjsonRecordsAreAnsweredLineByLineAndReadBack() {
        String topic = "ndjson";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        long t0 = 1_710_000_000_000L;
        int count = 3000;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("{\"key\": \"k").append(i % 17).append("\", \"value\": \"v").append(i).append("-\u00fc\u20ac")
                    .append("\", \"headers\": {\"i\": \"").append(i).append("\"}, \"timestamp\": ").append(t0 + i)
                    .append("}\n");
        }

        Response response = cluster.call("POST", records(topic, "?key_format=string&value_format=string"),
                lines.toString(), "application/x-ndjson");

        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> results = response.text().lines().map(GatewayCluster.JSON::readTree).toList();
        assertThat(results).as("one result per line").hasSize(count);
        assertThat(results).allSatisfy(r -> assertThat(r.has("error_code")).as(r.toString()).isFalse());
        Map<Integer, List<Long>> offsetsByPartition = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            offsetsByPartition.computeIfAbsent(results.get(i).path("partition").asInt(), p -> new ArrayList<>())
                    .add(results.get(i).path("offset").asLong());
        }
        offsetsByPartition.forEach((partition, offsets) -> assertThat(offsets).as("partition %d, in line order",
                partition).isEqualTo(offsets(0, offsets.size())));

        for (int partition : offsetsByPartition.keySet()) {
            Map<Long, JsonNode> stored = readAll(topic, partition, "&key_format=string&value_format=string");
            for (int i = 0; i < count; i++) {
                JsonNode result = results.get(i);
                if (result.path("partition").asInt() != partition) {
                    continue;
                }
                JsonNode record = stored.get(result.path("offset").asLong());
                assertThat(record).as("line %d", i).isNotNull();
                assertThat(record.path("key").asString()).isEqualTo("k" + (i % 17));
                assertThat(record.path("value").asString()).isEqualTo("v" + i + "-\u00fc\u20ac");
                assertThat(record.path("timestamp").asLong()).isEqualTo(t0 + i);
                assertThat(record.path("headers").toString())
                        .isEqualTo("[{\"key\":\"i\",\"value\":\"" + i + "\",\"value_format\":\"string\"}]");
            }
        }
    }

    @Test
    void ndjsonWithGoodAndBadLinesWritesTheGoodOnesAndSaysWhichFailed() {
        String topic = "ndjson-mixed";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        String lines = """
                {"value": "first", "partition": 0}
                {"value": }
                {"value": "third", "partition": 7}
                {"value": "fourth", "partition": 0}
                {"value": "fifth", "partition": 0, "timestamp": -1}
                """;

        Response response = cluster.call("POST", records(topic, "?value_format=string"), lines, "application/x-ndjson");

        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> results = response.text().lines().map(GatewayCluster.JSON::readTree).toList();
        assertThat(results).extracting(r -> r.path("error_code").asString(""))
                .containsExactly("", "INVALID_REQUEST", "UNKNOWN_PARTITION", "", "INVALID_RECORD");
        assertThat(results).extracting(r -> r.path("offset").asLong(-1)).containsExactly(0L, -1L, -1L, 1L, -1L);
        assertThat(read(topic, 0, "?offset=0&value_format=string").path("records"))
                .extracting(r -> r.path("value").asString()).containsExactly("first", "fourth");
    }

    @Test
    void keyedRecordsLandOnTheirMurmur2Partition() {
        String topic = "keyed";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        Random random = new Random(42);
        List<byte[]> binaryKeys = IntStream.range(0, 40).mapToObj(i -> {
            byte[] key = new byte[1 + random.nextInt(24)];
            random.nextBytes(key);
            return key;
        }).toList();
        List<String> stringKeys = IntStream.range(0, 40).mapToObj(i -> "user-" + i + "-\u00e9").toList();
        List<String> jsonKeys = IntStream.range(0, 40).mapToObj(i -> "{\"user\":" + i + ",\"region\":\"eu\"}").toList();

        List<JsonNode> binary = ok(cluster.postJson(records(topic, "?key_format=binary"), binaryKeys.stream()
                .map(key -> "{\"key\": \"" + BASE64.encodeToString(key) + "\", \"value\": 1}")
                .collect(Collectors.joining(",", "[", "]"))));
        List<JsonNode> strings = ok(cluster.postJson(records(topic, "?key_format=string"), stringKeys.stream()
                .map(key -> "{\"key\": " + quoted(key) + ", \"value\": 2}").collect(Collectors.joining(",", "[", "]"))));
        List<JsonNode> json = ok(cluster.postJson(records(topic, ""), jsonKeys.stream()
                .map(key -> "{\"key\": " + key + ", \"value\": 3}").collect(Collectors.joining(",", "[", "]"))));

        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            assertThat(binary.get(i).path("partition").asInt()).as("binary key %d", i)
                    .isEqualTo(DefaultPartitioner.partitionForKey(binaryKeys.get(i), PARTITIONS));
            assertThat(strings.get(i).path("partition").asInt()).as("string key %s", stringKeys.get(i))
                    .isEqualTo(DefaultPartitioner.partitionForKey(utf8(stringKeys.get(i)), PARTITIONS));
            assertThat(json.get(i).path("partition").asInt()).as("JSON key %s (its JSON text)", jsonKeys.get(i))
                    .isEqualTo(DefaultPartitioner.partitionForKey(utf8(jsonKeys.get(i)), PARTITIONS));
            used.add(strings.get(i).path("partition").asInt());
        }
        assertThat(used).as("40 keys spread over every partition").hasSize(PARTITIONS);

        // The same key again: the same partition, a later offset; and it is stored under that key.
        JsonNode again = ok(cluster.postJson(records(topic, "?key_format=string"),
                "[{\"key\": " + quoted(stringKeys.get(5)) + ", \"value\": 4}]")).getFirst();
        assertThat(again.path("partition").asInt()).isEqualTo(strings.get(5).path("partition").asInt());
        assertThat(again.path("offset").asLong()).isGreaterThan(strings.get(5).path("offset").asLong());
        JsonNode stored = read(topic, again.path("partition").asInt(), "?offset=" + again.path("offset").asLong()
                + "&max_records=1&key_format=string").path("records").get(0);
        assertThat(stored.path("key").asString()).isEqualTo(stringKeys.get(5));
    }

    @Test
    void acksZeroOneAndAllAreAnsweredAsPromisedAndAReadLongPollsForTheNextRecord() {
        String topic = "acks";
        cluster.createTopic(topic, 1, 3, Map.of());

        JsonNode all = ok(cluster.postJson(records(topic, "?acks=all"), "[{\"value\": \"all\"}]")).getFirst();
        JsonNode one = ok(cluster.postJson(records(topic, "?acks=1"), "[{\"value\": \"one\"}]")).getFirst();
        JsonNode none = ok(cluster.postJson(records(topic, "?acks=0"), "[{\"value\": \"none\"}]")).getFirst();

        assertThat(all.path("offset").asLong()).isZero();
        assertThat(one.path("offset").asLong()).isEqualTo(1);
        assertThat(none.path("partition").asInt()).isZero();
        assertThat(none.has("offset")).as("acks=0 does not wait for an offset").isFalse();

        // acks=0 was answered before the write; it is there soon after.
        assertThat(readUntil(topic, 2).path("records")).extracting(r -> r.path("value").asString()).contains("none");
        // A read at the end waits (wait_ms) for the next record instead of answering empty at once.
        Thread.ofVirtual().start(() -> {
            GatewayCluster.sleep(Duration.ofMillis(500));
            cluster.postJson(records(topic, ""), "[{\"value\": \"later\"}]");
        });
        long started = System.nanoTime();
        JsonNode waited = readUntil(topic, 3);
        figure("long poll: a read waiting at the log end answered %d ms after it was sent (record produced after "
                + "500 ms)", (System.nanoTime() - started) / 1_000_000);
        assertThat(waited.path("records")).extracting(r -> r.path("value").asString()).contains("later");
        assertThat(read(topic, 0, "?offset=0").path("records")).extracting(r -> r.path("value").asString())
                .containsExactly("all", "one", "none", "later");
    }

    @Test
    void adminRoutesCreateDescribeConfigureGrowAndDeleteATopic() {
        String topic = "admin-lifecycle";
        JsonNode created = cluster.createTopic(topic, PARTITIONS, 3, Map.of("retention.ms", "3600000"));
        assertThat(created.path("name").asString()).isEqualTo(topic);
        assertThat(created.path("partition_count").asInt()).isEqualTo(PARTITIONS);
        assertThat(created.path("replication_factor").asInt()).isEqualTo(3);

        assertThat(cluster.call("GET", "/v1/topics?name=" + topic, null, null).json().path("topics"))
                .extracting(t -> t.path("name").asString()).containsExactly(topic);
        ok(cluster.postJson(records(topic, ""), "[{\"partition\": 2, \"value\": 1}, {\"partition\": 2, \"value\": 2}]"));
        JsonNode described = cluster.describe(topic);
        assertThat(described.path("partitions")).hasSize(PARTITIONS).allSatisfy(p -> {
            assertThat(p.path("replicas")).hasSize(3);
            assertThat(p.path("isr")).hasSize(3);
            assertThat(p.path("leader").asInt()).isIn(1, 2, 3);
            assertThat(p.path("log_start_offset").asLong()).isZero();
        });
        assertThat(described.path("partitions").get(2).path("high_watermark").asLong()).isEqualTo(2);
        assertThat(described.path("partitions").get(2).path("log_end_offset").asLong()).isEqualTo(2);

        JsonNode configs = cluster.call("GET", "/v1/topics/" + topic + "/configs", null, null).json().path("configs");
        assertThat(config(configs, "retention.ms").path("value").asString()).isEqualTo("3600000");
        assertThat(config(configs, "retention.ms").path("is_default").asBoolean()).isFalse();
        assertThat(config(configs, "cleanup.policy").path("is_default").asBoolean()).isTrue();
        Response altered = cluster.call("PATCH", "/v1/topics/" + topic + "/configs",
                "{\"configs\": [{\"name\": \"max.message.bytes\", \"value\": \"65536\"}, {\"name\": \"retention.ms\", "
                        + "\"value\": null}]}", "application/json");
        assertThat(altered.status()).as(altered.text()).isEqualTo(200);
        assertThat(config(altered.json().path("configs"), "max.message.bytes").path("value").asString()).isEqualTo("65536");
        assertThat(config(altered.json().path("configs"), "retention.ms").path("is_default").asBoolean()).isTrue();

        Response grown = cluster.postJson("/v1/topics/" + topic + "/partitions", "{\"partition_count\": 5}");
        assertThat(grown.status()).as(grown.text()).isEqualTo(200);
        assertThat(grown.json().path("partition_count").asInt()).isEqualTo(5);
        cluster.awaitServed(topic, 5);
        assertThat(ok(cluster.postJson(records(topic, ""), "[{\"partition\": 4, \"value\": 1}]")).getFirst()
                .path("offset").asLong()).isZero();

        assertThat(cluster.call("DELETE", "/v1/topics/" + topic, null, null).status()).isEqualTo(204);
        assertThat(cluster.call("GET", "/v1/topics/" + topic, null, null).status()).isEqualTo(404);

        JsonNode nodes = cluster.call("GET", "/v1/nodes", null, null).json().path("nodes");
        assertThat(nodes).extracting(n -> n.path("status").asString()).containsOnly("ALIVE").hasSize(3);
        JsonNode health = cluster.call("GET", "/v1/cluster", null, null).json();
        assertThat(health.path("node_count").asInt()).isEqualTo(3);
        assertThat(health.path("live_node_count").asInt()).isEqualTo(3);
        assertThat(health.path("offline_partitions")).isEmpty();
    }

    @Test
    void topicsListSizeAndRecordsAndClusterShowsThroughputAndTheActiveCoordinator() throws InterruptedException {
        String topic = "sized";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        String body = IntStream.range(0, 300).mapToObj(i -> "{\"partition\": " + (i % PARTITIONS)
                + ", \"value\": \"record-" + i + "\"}").collect(Collectors.joining(",", "[", "]"));
        assertThat(cluster.postJson(records(topic, "?acks=all"), body).status()).isEqualTo(200);

        // Sizes come from every replica (followers catch up), rates from the nodes' next samples (every 5 s).
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode listed;
        JsonNode health;
        do {
            Thread.sleep(200);
            listed = cluster.call("GET", "/v1/topics?name=" + topic, null, null).json().path("topics").get(0);
            health = cluster.call("GET", "/v1/cluster", null, null).json();
        } while (System.nanoTime() < deadline && !(listed.path("record_count").asLong() == 300
                && health.path("throughput").path("records_in_per_sec").asDouble() > 0));

        assertThat(listed.path("record_count").asLong()).isEqualTo(300);
        assertThat(listed.path("size_bytes").asLong()).as("three replicas of 300 records").isGreaterThan(3 * 300 * 8);
        assertThat(health.path("reporting_node_count").asInt()).isEqualTo(3);
        assertThat(health.path("size_bytes").asLong()).isGreaterThanOrEqualTo(listed.path("size_bytes").asLong());
        assertThat(health.path("throughput").path("records_in_per_sec").asDouble()).isPositive();
        assertThat(health.path("coordinator").path("reachable").asBoolean()).isTrue();
        assertThat(health.path("coordinator").path("fencing_token").asLong()).isPositive();
        JsonNode nodes = cluster.call("GET", "/v1/nodes", null, null).json().path("nodes");
        assertThat(nodes).allSatisfy(node -> assertThat(node.path("size_bytes").asLong()).isPositive());
    }

    @Test
    void aRequestWhosePartitionsFareDifferentlyIs207WithEachRecordsOutcome() {
        String topic = "mixed";
        cluster.createTopic(topic, PARTITIONS, 1, Map.of());
        int victim = cluster.leader(topic, 0);
        List<Integer> leaders = IntStream.range(0, PARTITIONS).mapToObj(p -> cluster.leader(topic, p)).toList();
        String body = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> "{\"partition\": " + p + ", \"value\": " + p + "}")
                .collect(Collectors.joining(",", "[", "]"));

        // The only replica of partition 0 stops answering (SIGSTOP) for the length of one request.
        String node = LocalCluster.partition(victim);
        cluster.processes().pause(node);
        long started = System.nanoTime();
        Response response;
        try {
            response = cluster.postJson(records(topic, "?timeout_ms=1000"), body);
        } finally {
            cluster.processes().resume(node);
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        figure("207 answer with one node paused came after %d ms (timeout_ms=1000)", tookMs);

        assertThat(response.status()).as(response.text()).isEqualTo(207);
        List<JsonNode> results = response.json().path("results").valueStream().toList();
        for (int p = 0; p < PARTITIONS; p++) {
            JsonNode result = results.get(p);
            assertThat(result.path("partition").asInt()).isEqualTo(p);
            if (leaders.get(p) == victim) {
                assertThat(result.path("error_code").asString()).as(result.toString())
                        .isIn("REQUEST_TIMED_OUT", "LEADER_NOT_AVAILABLE");
                assertThat(result.path("retriable").asBoolean()).isTrue();
            } else {
                assertThat(result.has("error_code")).as(result.toString()).isFalse();
                assertThat(result.path("offset").asLong()).isZero();
            }
        }
        // timeout_ms bounds the whole produce; not the gateway's 10 s timeout for a call to a node, added on top.
        assertThat(tookMs).as("answered soon after timeout_ms").isLessThan(6_000);
    }

    /**
     * An SSE stream sends each record's JSON text as the gateway wrote it once for every subscriber: it is the record
     * a read answers, field for field and in the same order, in every format, with headers, nulls and fallbacks.
     */
    @Test
    void sseRecordEventsHoldTheRecordAsAReadAnswersIt() {
        String topic = "sse-rendering";
        cluster.createTopic(topic, 1, 3, Map.of());
        ok(cluster.postJson(records(topic, ""), "[{\"key\": {\"id\": 1}, \"value\": {\"a\": [1, null, \"\u00fc\"]}, "
                + "\"headers\": {\"h1\": \"v1\", \"h2\": null}, \"timestamp\": 1700000000000}, "
                + "{\"value\": \"plain \\\"text\\\"\\n\"}, {\"key\": \"k\", \"value\": null}]"));
        ok(cluster.postJson(records(topic, "?value_format=binary"), "[{\"value\": \"AP8H\"}]"));

        for (String formats : List.of("", "&value_format=string", "&format=binary&header_format=binary")) {
            Map<Long, JsonNode> read = readAll(topic, 0, formats);
            URI uri = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/records?offset=earliest" + formats);
            try (SseStream stream = SseStream.open(cluster.http(), uri, null, 16)) {
                for (long offset = 0; offset < 4; offset++) {
                    String data = nextRecord(stream).data();
                    JsonNode streamed = GatewayCluster.JSON.readTree(data);
                    assertThat(streamed).as("offset %d with formats '%s'", offset, formats).isEqualTo(read.get(offset));
                    assertThat(streamed.propertyNames()).as("field order").containsExactlyElementsOf(
                            read.get(offset).propertyNames());
                    assertThat(data).as("one line of compact JSON").doesNotContain("\n");
                }
            }
        }
    }

    @Test
    void sseOverAllPartitionsResumesAfterDisconnectsWithEveryRecordExactlyOnce() {
        String topic = "sse-resume";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        Set<String> produced = new HashSet<>(produceBatches(topic, "a", 6, 50));
        URI stream = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/records?offset=earliest&value_format=string");
        List<SseStream.Event> received = new ArrayList<>();

        // First connection: 120 events, then the client drops the connection.
        String lastId;
        try (SseStream first = SseStream.open(cluster.http(), stream, null, 64)) {
            assertThat(first.status()).isEqualTo(200);
            lastId = take(first, 120, received);
        }
        // Records written while no one is connected.
        produced.addAll(produceBatches(topic, "b", 3, 50));
        // Second connection resumes with Last-Event-ID, as an EventSource would; dropped again after 100 events.
        try (SseStream second = SseStream.open(cluster.http(), stream, lastId, 64)) {
            assertThat(second.status()).isEqualTo(200);
            lastId = take(second, 100, received);
        }
        produced.addAll(produceBatches(topic, "c", 2, 50));
        // Third connection resumes with ?cursor= and reads the rest.
        URI withCursor = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/records?value_format=string&cursor="
                + lastId);
        try (SseStream third = SseStream.open(cluster.http(), withCursor, null, 64)) {
            take(third, produced.size() - received.size(), received);
            assertThat(third.next(Duration.ofSeconds(1))).as("nothing beyond what was written").isNull();
        }

        List<JsonNode> records = received.stream().map(event -> GatewayCluster.JSON.readTree(event.data())).toList();
        assertThat(records).extracting(r -> r.path("value").asString())
                .as("every record exactly once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(produced);
        Map<Integer, List<Long>> offsets = offsetsByPartition(records);
        offsets.forEach((partition, list) -> assertThat(list).as("partition %d: from 0, no gap, in order", partition)
                .isEqualTo(offsets(0, list.size())));
        assertThat(offsets.keySet()).hasSize(PARTITIONS);
        // Each event's id is the cursor after it: the next offset of every partition.
        JsonNode last = records.getLast();
        assertThat(Cursor.decode(received.getLast().id()).nextOffsets())
                .containsEntry(last.path("partition").asInt(), last.path("offset").asLong() + 1)
                .hasSize(PARTITIONS);
    }

    @Test
    void sseFromLatestNamesEveryPartitionInItsFirstCursorAndResumesThere() {
        String topic = "sse-latest";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        produceBatches(topic, "old", 3, 20);
        URI uri = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/records?offset=latest&value_format=string");

        String firstId;
        try (SseStream stream = SseStream.open(cluster.http(), uri, null, 16)) {
            assertThat(stream.status()).isEqualTo(200);
            ok(cluster.postJson(records(topic, "?value_format=string"), "[{\"partition\": 0, \"value\": \"new-0\"}]"));
            SseStream.Event first = nextRecord(stream);
            assertThat(GatewayCluster.JSON.readTree(first.data()).path("value").asString()).isEqualTo("new-0");
            firstId = first.id();
        }
        assertThat(Cursor.decode(firstId).nextOffsets()).as("every partition's position").hasSize(PARTITIONS);

        // Resuming reads what came after, and nothing from before the stream's start.
        ok(cluster.postJson(records(topic, "?value_format=string"), "[{\"partition\": 1, \"value\": \"new-1\"}, "
                + "{\"partition\": 2, \"value\": \"new-2\"}]"));
        List<SseStream.Event> resumed = new ArrayList<>();
        try (SseStream stream = SseStream.open(cluster.http(), uri, firstId, 16)) {
            take(stream, 2, resumed);
            assertThat(stream.next(Duration.ofSeconds(1))).isNull();
        }
        assertThat(resumed).extracting(e -> GatewayCluster.JSON.readTree(e.data()).path("value").asString())
                .containsExactlyInAnyOrder("new-1", "new-2");
    }

    @Test
    void partitionStreamResumesRightAfterItsLastEventId() {
        String topic = "sse-partition";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        String body = IntStream.range(0, 30).mapToObj(i -> "{\"partition\": 1, \"value\": \"v" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        ok(cluster.postJson(records(topic, "?value_format=string"), body));
        URI uri = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/partitions/1/records?offset=5&value_format=string");
        List<SseStream.Event> received = new ArrayList<>();

        String lastId;
        try (SseStream stream = SseStream.open(cluster.http(), uri, null, 8)) {
            lastId = take(stream, 10, received);
        }
        try (SseStream stream = SseStream.open(cluster.http(), uri, lastId, 8)) {
            take(stream, 15, received);
            assertThat(stream.next(Duration.ofSeconds(1))).isNull();
        }

        assertThat(Cursor.decode(lastId).nextOffsets()).containsExactly(Map.entry(1, 15L));
        assertThat(received).extracting(e -> GatewayCluster.JSON.readTree(e.data()).path("value").asString())
                .containsExactlyElementsOf(IntStream.range(5, 30).mapToObj(i -> "v" + i).toList());
    }

    @Test
    void disconnectedSseClientStopsTheFetchesBehindItsStream() {
        String topic = "sse-idle";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        URI uri = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/records");

        try (SseStream stream = SseStream.open(cluster.http(), uri, null, 8)) {
            assertThat(stream.status()).isEqualTo(200);
            Waits.await("the stream counted open", Duration.ofSeconds(10),
                    () -> gatewayMetric("sluice.gateway.sse.streams") >= 1 ? Boolean.TRUE : null);
        }
        Waits.await("the stream counted closed", Duration.ofSeconds(10),
                () -> gatewayMetric("sluice.gateway.sse.streams") == 0 ? Boolean.TRUE : null);
        // A record on every partition ends the long polls in flight when the client left (they answer as soon as there
        // is a record to read), and a fetch loop still running would fetch again at once.
        writeOneRecordPerPartition(topic, "after-close");
        GatewayCluster.sleep(Duration.ofSeconds(1));
        // Counted for this topic only: the shared cluster's other readers fetch other topics meanwhile.
        long read = consumerRecordsOut(topic);
        // The barrier: a fetch loop still running would be answered this record within milliseconds.
        writeOneRecordPerPartition(topic, "barrier");
        GatewayCluster.sleep(Duration.ofSeconds(2));

        assertThat(consumerRecordsOut(topic)).as("records of %s read by consumers from the partition services", topic)
                .isEqualTo(read);
    }

    private static void writeOneRecordPerPartition(String topic, String value) {
        ok(cluster.postJson(records(topic, "?acks=all"), IntStream.range(0, PARTITIONS)
                .mapToObj(p -> "{\"partition\": " + p + ", \"value\": \"" + value + "\"}")
                .collect(Collectors.joining(",", "[", "]"))));
    }

    @Test
    void slowSseReaderIsServedCompletelyWithoutErrors() {
        String topic = "sse-slow";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());
        String padding = "p".repeat(1000);
        int batches = 60;
        int perBatch = 50;
        Set<String> produced = new HashSet<>();
        for (int b = 0; b < batches; b++) {
            final int batch = b;
            String body = IntStream.range(0, perBatch).mapToObj(i -> "{\"value\": \"" + batch + "-" + i + "-" + padding
                    + "\"}").collect(Collectors.joining(",", "[", "]"));
            ok(cluster.postJson(records(topic, "?value_format=string"), body));
            IntStream.range(0, perBatch).forEach(i -> produced.add(batch + "-" + i + "-" + padding));
        }
        long heapBefore = gatewayHeapUsed();
        URI uri = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/records?offset=earliest&value_format=string");
        List<SseStream.Event> received = new ArrayList<>();
        long started = System.nanoTime();
        long heapWhilePaused;
        // A queue of 4 events: when the test stops taking, the reader stops reading and TCP pushes back on the gateway.
        try (SseStream stream = SseStream.open(cluster.http(), uri, null, 4)) {
            assertThat(stream.status()).isEqualTo(200);
            take(stream, 10, received);
            GatewayCluster.sleep(Duration.ofSeconds(2));
            take(stream, 10, received);
            GatewayCluster.sleep(Duration.ofSeconds(2));
            heapWhilePaused = gatewayHeapUsed();
            take(stream, produced.size() - received.size(), received);
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        List<JsonNode> records = received.stream().map(event -> GatewayCluster.JSON.readTree(event.data())).toList();
        assertThat(received).extracting(SseStream.Event::event).containsOnly("record");
        assertThat(records).extracting(r -> r.path("value").asString()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(produced);
        offsetsByPartition(records).forEach((partition, list) -> assertThat(list).isEqualTo(offsets(0, list.size())));
        figure("slow SSE reader: %d records of ~1 KB (%.1f MB) in %d ms with two 2 s pauses; gateway heap used %d MB "
                        + "before, %d MB while the reader was paused, %d MB after", produced.size(),
                produced.size() * 1.0 / 1024, tookMs, heapBefore >> 20, heapWhilePaused >> 20, gatewayHeapUsed() >> 20);
    }

    /**
     * The leader of a partition is SIGKILLed while two producers write (acks=all, min.insync.replicas=2) and an SSE
     * stream reads every partition. The producers carry on, seeing at most retriable errors; the stream carries on
     * without reconnecting and delivers every acknowledged record exactly once, with no gap in any partition.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void leaderKilledMidStreamProducersAndStreamCarryOn() throws Exception {
        String topic = "failover";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
        URI uri = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/records?offset=earliest&value_format=string");
        List<Delivered> delivered = new CopyOnWriteArrayList<>();
        List<String> streamFailures = new CopyOnWriteArrayList<>();
        AtomicBoolean stopProducers = new AtomicBoolean();
        AtomicBoolean stopConsumer = new AtomicBoolean();
        Map<String, Acked> acked = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> retriableErrors = new ConcurrentHashMap<>();
        List<String> fatalErrors = new CopyOnWriteArrayList<>();
        Map<Integer, Long> firstAckAfterKill = new ConcurrentHashMap<>();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);

        SseStream stream = SseStream.open(cluster.http(), uri, null, 1024);
        assertThat(stream.status()).isEqualTo(200);
        Thread consumer = Thread.ofPlatform().name("failover-consumer").start(() -> {
            try {
                while (!stopConsumer.get()) {
                    SseStream.Event event = stream.next(Duration.ofMillis(200));
                    if (event == null) {
                        continue;
                    }
                    if (!"record".equals(event.event())) {
                        streamFailures.add(event.event() + ": " + event.data());
                        continue;
                    }
                    JsonNode record = GatewayCluster.JSON.readTree(event.data());
                    delivered.add(new Delivered(System.nanoTime(), record.path("partition").asInt(),
                            record.path("offset").asLong(), record.path("value").asString()));
                }
            } catch (RuntimeException e) {
                streamFailures.add(e.toString());
            }
        });
        List<Thread> producers = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            final int producer = id;
            producers.add(Thread.ofPlatform().name("failover-producer-" + id).start(() -> {
                for (int seq = 0; !stopProducers.get(); seq++) {
                    List<String> values = new ArrayList<>();
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < 5; i++) {
                        String value = "p" + producer + "-" + seq + "-" + i;
                        values.add(value);
                        body.append(i == 0 ? "" : ",").append("{\"partition\": ").append((seq + i) % PARTITIONS)
                                .append(", \"value\": \"").append(value).append("\"}");
                    }
                    Response response;
                    JsonNode answer;
                    long sentAt = System.nanoTime();
                    try {
                        response = cluster.postJson(records(topic, "?acks=all&timeout_ms=20000&value_format=string"),
                                body.append(']').toString());
                        answer = response.json();
                    } catch (RuntimeException e) {
                        fatalErrors.add("producer " + producer + " failed: " + e);
                        return;
                    }
                    if (response.status() == 200 || response.status() == 207) {
                        List<JsonNode> results = answer.path("results").valueStream().toList();
                        for (int i = 0; i < results.size(); i++) {
                            JsonNode result = results.get(i);
                            if (!result.has("error_code")) {
                                acked.put(values.get(i), new Acked(result.path("partition").asInt(),
                                        result.path("offset").asLong()));
                                if (sentAt > killedAt.get()) {
                                    firstAckAfterKill.putIfAbsent(result.path("partition").asInt(), System.nanoTime());
                                }
                            } else {
                                countError(result, retriableErrors, fatalErrors);
                            }
                        }
                    } else {
                        countError(answer, retriableErrors, fatalErrors);
                    }
                    GatewayCluster.sleep(Duration.ofMillis(20));
                }
            }));
        }

        GatewayCluster.sleep(Duration.ofSeconds(3));
        int victim = cluster.leader(topic, 0);
        Set<Integer> victimPartitions = new HashSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            if (cluster.leader(topic, p) == victim) {
                victimPartitions.add(p);
            }
        }
        int ackedBeforeKill = acked.size();
        killedAt.set(System.nanoTime());
        cluster.processes().kill(LocalCluster.partition(victim));
        GatewayCluster.sleep(Duration.ofSeconds(15));
        stopProducers.set(true);
        for (Thread producer : producers) {
            producer.join(Duration.ofSeconds(60));
        }
        // The stream catches up with everything acknowledged.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !deliveredAll(delivered, acked)) {
            GatewayCluster.sleep(Duration.ofMillis(200));
        }
        stopConsumer.set(true);
        consumer.join(Duration.ofSeconds(10));
        stream.close();

        describeMissing(topic, delivered, acked);
        assertThat(fatalErrors).as("producers see at most retriable errors").isEmpty();
        assertThat(streamFailures).as("the stream carries on without error events").isEmpty();
        assertThat(acked.size()).as("records acknowledged after the kill").isGreaterThan(ackedBeforeKill);
        Map<String, Delivered> byValue = new HashMap<>();
        Set<String> positions = new HashSet<>();
        for (Delivered d : delivered) {
            assertThat(byValue.put(d.value(), d)).as("value %s delivered twice", d.value()).isNull();
            assertThat(positions.add(d.partition() + "@" + d.offset())).as("offset %d of partition %d twice",
                    d.offset(), d.partition()).isTrue();
        }
        acked.forEach((value, at) -> {
            Delivered d = byValue.get(value);
            assertThat(d).as("acknowledged %s at %s delivered", value, at).isNotNull();
            assertThat(new Acked(d.partition(), d.offset())).as(value).isEqualTo(at);
        });
        Map<Integer, List<Long>> offsets = new TreeMap<>();
        delivered.forEach(d -> offsets.computeIfAbsent(d.partition(), p -> new ArrayList<>()).add(d.offset()));
        offsets.forEach((partition, list) -> assertThat(list).as("partition %d: from 0, no gap, no repeat", partition)
                .isEqualTo(offsets(0, list.size())));

        long gapMs = 0;
        for (int partition : victimPartitions) {
            long previous = killedAt.get();
            for (Delivered d : delivered) {
                if (d.partition() == partition && d.arrivedNanos() >= killedAt.get()) {
                    gapMs = Math.max(gapMs, (d.arrivedNanos() - previous) / 1_000_000);
                    previous = d.arrivedNanos();
                }
            }
        }
        long ackGapMs = victimPartitions.stream().mapToLong(p -> firstAckAfterKill.getOrDefault(p, Long.MAX_VALUE))
                .map(at -> at == Long.MAX_VALUE ? -1 : (at - killedAt.get()) / 1_000_000).max().orElse(-1);
        figure("failover: node %d (leader of partitions %s) SIGKILLed; longest silence of those partitions on the SSE "
                + "stream after the kill %d ms; the first write to them sent after the kill was acknowledged %d ms "
                + "after the kill", victim,
                victimPartitions, gapMs, ackGapMs);
        figure("failover: %d records acknowledged (%d before the kill), %d delivered by the stream (%d written "
                        + "without an acknowledgement), retriable errors seen by producers %s", acked.size(),
                ackedBeforeKill, delivered.size(), delivered.size() - acked.size(), retriableErrors);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private record Acked(int partition, long offset) {
    }

    private record Delivered(long arrivedNanos, int partition, long offset, String value) {
    }

    /** When the stream lacks acknowledged records: what it has per partition, and what the log holds there. */
    private static void describeMissing(String topic, List<Delivered> delivered, Map<String, Acked> acked) {
        Set<String> values = delivered.stream().map(Delivered::value).collect(Collectors.toSet());
        Map<Integer, List<Long>> missing = new TreeMap<>();
        acked.forEach((value, at) -> {
            if (!values.contains(value)) {
                missing.computeIfAbsent(at.partition(), p -> new ArrayList<>()).add(at.offset());
            }
        });
        if (missing.isEmpty()) {
            return;
        }
        for (int p = 0; p < PARTITIONS; p++) {
            final int partition = p;
            List<Long> got = delivered.stream().filter(d -> d.partition() == partition).map(Delivered::offset).toList();
            List<Long> lost = missing.getOrDefault(p, List.of()).stream().sorted().toList();
            System.out.printf("[diagnosis] partition %d: %d delivered, offsets %s..%s; %d acknowledged not delivered %s%n",
                    p, got.size(), got.isEmpty() ? "-" : got.getFirst(), got.isEmpty() ? "-" : got.getLast(),
                    lost.size(), lost.subList(0, Math.min(10, lost.size())));
            if (!lost.isEmpty()) {
                Response stored = cluster.call("GET", "/v1/topics/" + topic + "/partitions/" + p + "/records?offset="
                        + lost.getFirst() + "&max_records=3&value_format=string", null, null);
                System.out.printf("[diagnosis] partition %d from offset %d: %s%n", p, lost.getFirst(), stored.text());
                delivered.stream().filter(d -> d.partition() == partition && d.offset() >= lost.getFirst() - 1)
                        .limit(3).forEach(d -> System.out.printf("[diagnosis] delivered %s%n", d));
            }
        }
    }

    private static boolean deliveredAll(List<Delivered> delivered, Map<String, Acked> acked) {
        Set<String> values = delivered.stream().map(Delivered::value).collect(Collectors.toSet());
        return values.containsAll(acked.keySet());
    }

    private static void countError(JsonNode error, Map<String, AtomicInteger> retriable, List<String> fatal) {
        if (error.path("retriable").asBoolean(false)) {
            retriable.computeIfAbsent(error.path("error_code").asString(), c -> new AtomicInteger()).incrementAndGet();
        } else {
            fatal.add(error.toString());
        }
    }

    /** {@code batches} JSON requests of {@code size} unkeyed records; values {@code <prefix>-<batch>-<i>}. */
    private static List<String> produceBatches(String topic, String prefix, int batches, int size) {
        List<String> values = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(prefix + "-" + b + "-" + i);
            }
            ok(cluster.postJson(records(topic, "?value_format=string"), batch.stream()
                    .map(v -> "{\"value\": \"" + v + "\"}").collect(Collectors.joining(",", "[", "]"))));
            values.addAll(batch);
        }
        return values;
    }

    /** Takes {@code count} record events (30 s at most each); returns the last one's id. */
    private static String take(SseStream stream, int count, List<SseStream.Event> into) {
        String last = null;
        for (int i = 0; i < count; i++) {
            SseStream.Event event = nextRecord(stream);
            into.add(event);
            last = event.id();
        }
        return last;
    }

    private static SseStream.Event nextRecord(SseStream stream) {
        SseStream.Event event = stream.next(Duration.ofSeconds(30));
        assertThat(event).as("an event within 30 s").isNotNull();
        assertThat(event.event()).as(event.data()).isEqualTo("record");
        return event;
    }

    private static Map<Integer, List<Long>> offsetsByPartition(List<JsonNode> records) {
        Map<Integer, List<Long>> offsets = new TreeMap<>();
        records.forEach(r -> offsets.computeIfAbsent(r.path("partition").asInt(), p -> new ArrayList<>())
                .add(r.path("offset").asLong()));
        return offsets;
    }

    private static List<JsonNode> ok(Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().path("results").valueStream().toList();
    }

    private static JsonNode read(String topic, int partition, String query) {
        Response response = cluster.call("GET", "/v1/topics/" + topic + "/partitions/" + partition + "/records" + query,
                null, null);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** Every record of a partition by offset, read in pages from offset 0. */
    private static Map<Long, JsonNode> readAll(String topic, int partition, String formats) {
        Map<Long, JsonNode> records = new TreeMap<>();
        long next = 0;
        while (true) {
            JsonNode page = read(topic, partition, "?offset=" + next + "&max_records=1000" + formats);
            page.path("records").forEach(r -> records.put(r.path("offset").asLong(), r));
            if (page.path("records").isEmpty() || page.path("next_offset").asLong() >= page.path("high_watermark").asLong()) {
                return records;
            }
            next = page.path("next_offset").asLong();
        }
    }

    /** A read from {@code offset} that waits up to 10 s for a record. */
    private static JsonNode readUntil(String topic, long offset) {
        return read(topic, 0, "?offset=" + offset + "&wait_ms=10000");
    }

    private static JsonNode config(JsonNode entries, String name) {
        for (JsonNode entry : entries) {
            if (entry.path("name").asString().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no config " + name + " in " + entries);
    }

    private static long firstOffset(JsonNode page) {
        return page.path("records").get(0).path("offset").asLong();
    }

    private static long gatewayMetric(String name) {
        Response metric = cluster.call("GET", "/actuator/metrics/" + name, null, null);
        assertThat(metric.status()).as(metric.text()).isEqualTo(200);
        return (long) metric.json().path("measurements").get(0).path("value").asDouble();
    }

    /** Consumer fetches served so far by all partition services (their fetch latency histogram's count). */
    /** The offsets of {@code topic} that consumer fetches read past, on every partition service. */
    private static long consumerRecordsOut(String topic) {
        long total = 0;
        for (URI node : cluster.processes().nodeUrls()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(node + "/actuator/prometheus")).GET().build();
            try {
                String text = cluster.http().send(request, HttpResponse.BodyHandlers.ofString()).body();
                total += text.lines()
                        .filter(line -> line.startsWith("sluice_partition_records_out_total")
                                && line.contains("kind=\"consumer\"") && line.contains("topic=\"" + topic + "\""))
                        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                        .sum();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return total;
    }

    private static long gatewayHeapUsed() {
        Response metric = cluster.call("GET", "/actuator/metrics/jvm.memory.used?tag=area:heap", null, null);
        return metric.status() == 200 ? (long) metric.json().path("measurements").get(0).path("value").asDouble() : -1;
    }

    private static String records(String topic, String query) {
        return "/v1/topics/" + topic + "/records" + query;
    }

    private static String quoted(String text) {
        ObjectNode holder = GatewayCluster.JSON.createObjectNode();
        holder.put("s", text);
        String json = holder.toString();
        return json.substring(json.indexOf(':') + 1, json.length() - 1);
    }

    private static byte[] bytes(JsonNode base64) {
        return Base64.getDecoder().decode(base64.asString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void figure(String format, Object... args) {
        System.out.println("[figure] " + String.format(format, args));
    }

    /** The offsets {@code from} (inclusive) to {@code to} (exclusive): what a partition read from 0 without gaps has. */
    private static List<Long> offsets(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }
}
