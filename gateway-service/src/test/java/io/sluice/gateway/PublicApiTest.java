package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.record.Header;
import io.sluice.protocol.record.Record;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public API's behaviour, produce to read, over an in-memory cluster: formats on every route (and how a read
 * tags a rendering the bytes forced), binary headers, ISO-8601 timestamps, offsets by time, the last N records,
 * topic-wide pages with cursors, where a stream starts by default, the admin resources and their one vocabulary,
 * and retriable failures answered 503 with Retry-After.
 */
@FakeClusterWebTest
class PublicApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    // ------------------------------------------------------------------------------------------------ produce

    @Test
    void eachFormatIsStoredAsItSaysOnJsonAndNdjsonProduce() {
        String topic = topic(1);
        produce(topic, "?format=string", "[{\"key\": \"k\u00e9\", \"value\": \"text\"}]");
        produce(topic, "", "{\"format\": \"binary\", \"header_format\": \"binary\", \"records\": [{\"key\": \""
                + b64(new byte[] {0, -1}) + "\", \"value\": \"" + b64(new byte[] {1, 2, 3}) + "\", \"headers\": "
                + "{\"h\": \"" + b64(new byte[] {-2}) + "\"}}]}");
        produce(topic, "?key_format=string", "[{\"key\": \"plain\", \"value\": {\"a\": [1, 2]}}]");
        byte[] lines = ("{\"key\": \"n1\", \"value\": \"v1\", \"headers\": [{\"key\": \"x\", \"value\": \""
                + b64("bin".getBytes(StandardCharsets.UTF_8)) + "\"}]}\n").getBytes(StandardCharsets.UTF_8);
        client.post().uri("/v1/topics/" + topic + "/records?format=string&header_format=binary").contentType(NDJSON)
                .accept(NDJSON).bodyValue(lines).exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("\"offset\":3"));

        List<Record> stored = cluster.records(topic, 0);
        assertThat(stored.get(0).key()).isEqualTo("k\u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(stored.get(0).value()).isEqualTo("text".getBytes(StandardCharsets.UTF_8));
        assertThat(stored.get(1).key()).isEqualTo(new byte[] {0, -1});
        assertThat(stored.get(1).value()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(stored.get(1).headers()).extracting(Header::value).containsExactly(new byte[] {-2});
        assertThat(stored.get(2).key()).isEqualTo("plain".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(stored.get(2).value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2]}");
        assertThat(stored.get(3).value()).isEqualTo("v1".getBytes(StandardCharsets.UTF_8));
        assertThat(stored.get(3).headers().getFirst().value()).isEqualTo("bin".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTimestampIsEpochMillisOrAnIsoInstant() {
        String topic = topic(1);
        JsonNode results = produce(topic, "", "[{\"value\": 1, \"timestamp\": \"2026-01-01T01:00:00+01:00\"}, "
                + "{\"value\": 2, \"timestamp\": 1767225600500}]");

        assertThat(results.path("results")).extracting(r -> r.path("timestamp").asLong())
                .containsExactly(1767225600000L, 1767225600500L);
        assertThat(cluster.records(topic, 0)).extracting(Record::timestamp).containsExactly(1767225600000L, 1767225600500L);
    }

    @Test
    void aMisspeltFieldOnAnNdjsonLineFailsThatLineNamingItAndTheOthersAreWritten() {
        String topic = topic(1);
        String lines = "{\"value\": 1}\n{\"value\": 2, \"partiton\": 0}\n{\"value\": 3}\n";

        List<JsonNode> results = ndjsonResults(client.post().uri("/v1/topics/" + topic + "/records").contentType(NDJSON)
                .accept(NDJSON).bodyValue(lines).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());

        assertThat(results).extracting(r -> r.path("offset").asLong(-1)).containsExactly(0L, -1L, 1L);
        assertThat(results.get(1).path("error_code").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(results.get(1).path("detail").asString()).contains("unknown field 'partiton'");
        assertThat(results.get(1).has("message")).as("results use problems' name, detail").isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"NOT_LEADER", "FENCED_LEADER_EPOCH", "UNKNOWN_LEADER_EPOCH",
            "NOT_ENOUGH_REPLICAS"})
    void aRetriableFailureIsA503WithRetryAfterNeverA421Or409(ErrorCode failure) {
        String topic = topic(1);
        cluster.failProduce(topic, 0, failure);

        client.post().uri("/v1/topics/" + topic + "/records?timeout_ms=0").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"value\": 1}]").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectBody()
                .jsonPath("$.error_code").isEqualTo(failure.name())
                .jsonPath("$.retriable").isEqualTo(true)
                .jsonPath("$.results[0].detail").isNotEmpty();
        assertThat(cluster.records(topic, 0)).isEmpty();
    }

    // --------------------------------------------------------------------------------------------------- read

    /** The six ways to read records: a page, its NDJSON form and a stream, of a partition and of a topic. */
    enum Route {
        PARTITION_PAGE, PARTITION_NDJSON, PARTITION_SSE, TOPIC_PAGE, TOPIC_NDJSON, TOPIC_SSE;

        boolean stream() {
            return this == PARTITION_SSE || this == TOPIC_SSE;
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void everyReadRouteRendersEachFormatAndTagsWhatTheBytesForced(Route route) {
        String topic = topic(1);
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28};
        produce(topic, "?format=binary&header_format=binary", "[{\"key\": \"" + b64(utf8("{\"id\":1}")) + "\", \"value\": \""
                + b64(utf8("plain text")) + "\", \"headers\": {\"t\": \"" + b64(utf8("abc")) + "\", \"b\": \""
                + b64(notUtf8) + "\"}}, {\"value\": \"" + b64(notUtf8) + "\"}]");

        List<JsonNode> asJson = read(route, topic, "format=json", 2);
        assertThat(asJson.get(0).path("key").path("id").asInt()).as("JSON bytes as JSON").isEqualTo(1);
        assertThat(asJson.get(0).path("key_format").asString()).isEqualTo("json");
        assertThat(asJson.get(0).path("value").asString()).isEqualTo("plain text");
        assertThat(asJson.get(0).path("value_format").asString()).as("not JSON: shown as a string").isEqualTo("string");
        assertThat(asJson.get(1).path("value").asString()).isEqualTo(b64(notUtf8));
        assertThat(asJson.get(1).path("value_format").asString()).as("not UTF-8: shown as base64").isEqualTo("binary");
        assertThat(asJson.get(0).path("headers").toString()).isEqualTo("[{\"key\":\"t\",\"value\":\"abc\","
                + "\"value_format\":\"string\"},{\"key\":\"b\",\"value\":\"" + b64(notUtf8) + "\",\"value_format\":\"binary\"}]");

        List<JsonNode> asString = read(route, topic, "format=string", 2);
        assertThat(asString.get(0).path("key").asString()).isEqualTo("{\"id\":1}");
        assertThat(asString.get(0).path("key_format").asString()).isEqualTo("string");
        assertThat(asString.get(1).path("value_format").asString()).isEqualTo("binary");

        List<JsonNode> asBinary = read(route, topic, "key_format=string&value_format=binary&header_format=binary", 2);
        assertThat(asBinary.get(0).path("key").asString()).isEqualTo("{\"id\":1}");
        assertThat(asBinary.get(0).path("value").asString()).isEqualTo(b64(utf8("plain text")));
        assertThat(asBinary.get(0).path("value_format").asString()).isEqualTo("binary");
        assertThat(asBinary.get(0).path("headers").get(0).path("value").asString()).isEqualTo(b64(utf8("abc")));
        assertThat(asBinary.get(0).path("headers").get(0).path("value_format").asString()).isEqualTo("binary");
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void everyReadRouteStartsAtTheLastNRecords(Route route) {
        String topic = topic(1);
        produce(topic, "", IntStream.range(0, 10).mapToObj(i -> "{\"value\": " + i + "}")
                .collect(Collectors.joining(",", "[", "]")));

        assertThat(read(route, topic, "last=3", 3)).extracting(r -> r.path("offset").asLong()).containsExactly(7L, 8L, 9L);
        assertThat(read(route, topic, "last=50", 10)).extracting(r -> r.path("offset").asLong())
                .as("fewer than N: from the log start").startsWith(0L, 1L).hasSize(10);
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void everyReadRouteStartsAtATimeGivenInMillisOrIso(Route route) {
        String topic = topic(1);
        produce(topic, "", "[{\"value\": 0, \"timestamp\": 1767225600000}, {\"value\": 1, \"timestamp\": 1767225601000}, "
                + "{\"value\": 2, \"timestamp\": 1767225602000}]");

        assertThat(read(route, topic, "timestamp=2026-01-01T00:00:00.500Z", 2)).extracting(r -> r.path("offset").asLong())
                .containsExactly(1L, 2L);
        assertThat(read(route, topic, "timestamp=1767225602000", 1)).extracting(r -> r.path("offset").asLong())
                .containsExactly(2L);
    }

    @Test
    void aStreamStartsAtTheEndUnlessToldOtherwise() {
        String topic = topic(1);
        produce(topic, "", "[{\"value\": \"old\"}]");

        List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        var subscription = client.get().uri("/v1/topics/" + topic + "/records").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { }).getResponseBody()
                .subscribe(events::add);
        List<ServerSentEvent<String>> first;
        try {
            // The opening comment comes once every partition's start is resolved: only then is "the end" fixed.
            awaitEvent(events, event -> "stream open".equals(event.comment()));
            produce(topic, "", "[{\"value\": \"new\"}]");
            first = List.of(awaitEvent(events, event -> "record".equals(event.event())));
        } finally {
            subscription.dispose();
        }

        assertThat(first).isNotEmpty();
        assertThat(JSON.readTree(first.getFirst().data()).path("value").asString()).as("a live tail").isEqualTo("new");
        assertThat(read(Route.TOPIC_SSE, topic, "offset=earliest", 1).getFirst().path("value").asString())
                .isEqualTo("old");
    }

    @Test
    void aTopicPageTakesThePartitionsInTurnAndItsCursorReadsOnWithNoGapOrRepeat() {
        String topic = topic(3);
        for (int p = 0; p < 3; p++) {
            final int partition = p;
            produce(topic, "", IntStream.range(0, 4).mapToObj(i -> "{\"partition\": " + partition + ", \"value\": \"p"
                    + partition + "-" + i + "\"}").collect(Collectors.joining(",", "[", "]")));
        }

        JsonNode first = getJson("/v1/topics/" + topic + "/records?max_records=6");
        assertThat(first.path("records")).extracting(r -> r.path("partition").asInt()).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(first.path("partitions")).extracting(p -> p.path("next_offset").asLong()).containsExactly(2L, 2L, 2L);
        EntityExchangeResult<String> second = client.get().uri("/v1/topics/" + topic + "/records?cursor="
                        + first.path("cursor").asString()).accept(NDJSON).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();
        List<JsonNode> rest = ndjsonResults(second.getResponseBody());
        JsonNode third = getJson("/v1/topics/" + topic + "/records?cursor="
                + second.getResponseHeaders().getFirst("Sluice-Cursor"));

        List<String> values = new ArrayList<>();
        first.path("records").forEach(r -> values.add(r.path("value").asString()));
        rest.forEach(r -> values.add(r.path("value").asString()));
        assertThat(values).hasSize(12).doesNotHaveDuplicates();
        assertThat(third.path("records")).isEmpty();
        assertThat(third.path("partitions")).extracting(p -> p.path("next_offset").asLong()).containsExactly(4L, 4L, 4L);
    }

    @Test
    void offsetsByTimeAnswerTheFirstRecordAtOrAfterOrTheHighWatermark() {
        String topic = topic(1);
        produce(topic, "", "[{\"value\": 0, \"timestamp\": 1000}, {\"value\": 1, \"timestamp\": 3000}]");
        String offsets = "/v1/topics/" + topic + "/partitions/0/offsets?timestamp=";

        assertThat(getJson(offsets + "2000").path("offset").asLong()).isEqualTo(1);
        assertThat(getJson(offsets + "2000").path("timestamp").asLong()).isEqualTo(3000);
        assertThat(getJson(offsets + "1970-01-01T00:00:01Z").path("offset").asLong()).isZero();
        JsonNode none = getJson(offsets + "4000");
        assertThat(none.path("offset").asLong()).as("the high watermark").isEqualTo(2);
        assertThat(none.path("timestamp").isNull()).isTrue();
    }

    // -------------------------------------------------------------------------------------------------- admin

    /** Read-your-writes through one gateway: a client that creates a topic and then produces to it gets no 404. */
    @Test
    void aCreateAnswersOnceThisGatewaysMetadataHasTheTopicSoAProduceRightAfterFindsIt() throws Exception {
        String name = "created-" + TOPICS.incrementAndGet();
        String body = "{\"name\": \"" + name + "\", \"partition_count\": 1, \"replication_factor\": 1}";
        CompletableFuture<Integer> created;
        cluster.holdMetadata();
        try {
            created = CompletableFuture.supplyAsync(() -> client.post().uri("/v1/topics")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .returnResult(String.class).getStatus().value());
            sleep(300);
            assertThat(created).as("answered while this gateway's metadata lacks the topic").isNotDone();
        } finally {
            cluster.releaseMetadata();
        }

        assertThat(created.get(10, TimeUnit.SECONDS)).isEqualTo(201);
        assertThat(produce(name, "", "[{\"value\": \"right after\"}]").path("results")).hasSize(1);
    }

    @Test
    void creatingATopicAnswers201WithItsLocationAndValidateOnlyCreatesNothing() {
        String name = "created-" + TOPICS.incrementAndGet();
        String body = "{\"name\": \"" + name + "\", \"partition_count\": 2, \"replication_factor\": 1, \"configs\": "
                + "[{\"name\": \"retention.ms\", \"value\": \"60000\"}]";

        client.post().uri("/v1/topics").contentType(MediaType.APPLICATION_JSON).bodyValue(body + ", \"validate_only\": true}")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.name").isEqualTo(name).jsonPath("$.partition_count").isEqualTo(2)
                .jsonPath("$.topic_id").doesNotExist();
        assertThat(getJson("/v1/topics?name=" + name).path("topics")).isEmpty();

        client.post().uri("/v1/topics").contentType(MediaType.APPLICATION_JSON).bodyValue(body + "}")
                .exchange().expectStatus().isCreated()
                .expectHeader().valueEquals("Location", "/v1/topics/" + name)
                .expectBody().jsonPath("$.partition_count").isEqualTo(2);
        JsonNode listed = getJson("/v1/topics?name=" + name).path("topics");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("partition_count").asInt()).isEqualTo(2);
        assertThat(listed.get(0).path("under_replicated_partitions")).isEmpty();
        assertThat(listed.get(0).path("offline_partitions")).isEmpty();
    }

    @Test
    void theNameFilterKeepsTopicsWhoseNameContainsIt() {
        cluster.topic("filter-alpha", 1, Map.of());
        cluster.topic("filter-beta", 1, Map.of());
        cluster.topic("other", 1, Map.of());

        assertThat(getJson("/v1/topics?name=filter-").path("topics")).extracting(t -> t.path("name").asString())
                .containsExactly("filter-alpha", "filter-beta");
    }

    @Test
    void describeAndPartitionsUseKafkasOffsetNamesAndConfigsAreOneShape() {
        String topic = topic(2);
        produce(topic, "", "[{\"partition\": 1, \"value\": 1}, {\"partition\": 1, \"value\": 2}]");

        JsonNode described = getJson("/v1/topics/" + topic);
        JsonNode partition = getJson("/v1/topics/" + topic + "/partitions/1");
        JsonNode partitions = getJson("/v1/topics/" + topic + "/partitions");
        JsonNode configs = getJson("/v1/topics/" + topic + "/configs");

        assertThat(described.path("partition_count").asInt()).isEqualTo(2);
        assertThat(described.path("partitions").get(1)).isEqualTo(partition);
        assertThat(partitions.path("partitions")).hasSize(2);
        assertThat(partition.path("leader").asInt()).isEqualTo(1);
        assertThat(partition.path("replicas")).extracting(JsonNode::asInt).containsExactly(1);
        assertThat(partition.path("isr")).extracting(JsonNode::asInt).containsExactly(1);
        assertThat(partition.path("log_start_offset").asLong()).isZero();
        assertThat(partition.path("high_watermark").asLong()).isEqualTo(2);
        assertThat(partition.path("log_end_offset").asLong()).isEqualTo(2);
        assertThat(described.path("configs")).as("describe and /configs give configs alike")
                .isEqualTo(configs.path("configs"));
        assertThat(configs.path("configs").get(0).has("is_default")).isTrue();
    }

    @Test
    void aConfigUpdateSetsWithAValueAndResetsWithNull() {
        String topic = topic(1);
        client.patch().uri("/v1/topics/" + topic + "/configs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"configs\": [{\"name\": \"retention.ms\", \"value\": \"1000\"}]}").exchange()
                .expectStatus().isOk();

        JsonNode reset = JSON.readTree(client.patch().uri("/v1/topics/" + topic + "/configs")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"configs\": [{\"name\": \"retention.ms\", \"value\": null}, "
                        + "{\"name\": \"max.message.bytes\", \"value\": \"2048\"}]}")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());

        assertThat(config(reset, "retention.ms").path("is_default").asBoolean()).isTrue();
        assertThat(config(reset, "max.message.bytes").path("value").asString()).isEqualTo("2048");
        assertThat(config(reset, "max.message.bytes").path("is_default").asBoolean()).isFalse();
    }

    @Test
    void withSecurityOffEveryOperationIsAuthorizedAndOnlySaidWhenAskedFor() {
        String topic = topic(1);

        assertThat(getJson("/v1/topics/" + topic + "?include_authorized_operations=true")
                .path("authorized_operations")).extracting(JsonNode::asString).containsExactly("READ", "WRITE",
                "CREATE", "DELETE", "ALTER", "DESCRIBE", "DESCRIBE_CONFIGS", "ALTER_CONFIGS");
        assertThat(getJson("/v1/cluster?include_authorized_operations=true").path("authorized_operations"))
                .extracting(JsonNode::asString).contains("CREATE", "ALTER");
        JsonNode notAsked = getJson("/v1/topics/" + topic).path("authorized_operations");
        assertThat(notAsked.isNull() || notAsked.isMissingNode()).as(notAsked.toString()).isTrue();
    }

    @Test
    void topicConfigDefaultsListEveryConfigWithTheValueATopicGetsWithoutOverrides() {
        JsonNode defaults = getJson("/v1/cluster/topic-configs");
        JsonNode ofNewTopic = getJson("/v1/topics/" + topic(1) + "/configs");

        assertThat(defaults).isEqualTo(ofNewTopic);
        assertThat(config(defaults, "cleanup.policy").path("value").asString()).isEqualTo("delete");
        assertThat(config(defaults, "retention.ms").path("is_default").asBoolean()).isTrue();
        assertThat(config(defaults, "min.insync.replicas").path("documentation").asString()).isNotBlank();
    }

    @Test
    void nodesAndClusterAreObjectsWithCounts() {
        String name = topic(3);
        client.post().uri("/v1/topics/" + name + "/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"partition\": 0, \"value\": \"a\"}, {\"partition\": 1, \"value\": \"b\"}]")
                .exchange().expectStatus().isOk();

        JsonNode node = getJson("/v1/nodes").path("nodes").get(0);
        JsonNode health = getJson("/v1/cluster");
        JsonNode listed = getJson("/v1/topics?name=" + name).path("topics").get(0);

        assertThat(listed.path("record_count").asLong()).isEqualTo(2);
        assertThat(listed.path("size_bytes").asLong()).isPositive();
        assertThat(node.path("size_bytes").asLong()).isGreaterThanOrEqualTo(listed.path("size_bytes").asLong());
        assertThat(node.path("throughput").path("records_in_per_sec").isNumber()).isTrue();
        assertThat(health.path("reporting_node_count").asInt()).isEqualTo(1);
        assertThat(health.path("size_bytes").asLong()).isEqualTo(node.path("size_bytes").asLong());
        assertThat(health.path("throughput").path("bytes_out_per_sec").isNumber()).isTrue();
        assertThat(health.path("coordinator").path("reachable").asBoolean()).isFalse();

        assertThat(node.path("node_id").asInt()).isEqualTo(1);
        assertThat(node.path("status").asString()).isEqualTo("ALIVE");
        assertThat(node.path("leader_count").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(health.path("node_count").asInt()).isEqualTo(1);
        assertThat(health.path("live_node_count").asInt()).isEqualTo(1);
        assertThat(health.path("partition_count").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(health.path("offline_partitions").isArray()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** A new topic of {@code partitions} partitions, served by this gateway once it has the metadata. */
    private String topic(int partitions) {
        String name = "t-" + TOPICS.incrementAndGet();
        cluster.topicServedBy(client, name, partitions, Map.of());
        return name;
    }

    private JsonNode produce(String topic, String query, String body) {
        return JSON.readTree(client.post().uri("/v1/topics/" + topic + "/records" + query)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    /** {@code count} records of {@code topic} (its partition 0 for partition routes) read by {@code route}. */
    private List<JsonNode> read(Route route, String topic, String query, int count) {
        String path = switch (route) {
            case PARTITION_PAGE, PARTITION_NDJSON, PARTITION_SSE -> "/v1/topics/" + topic + "/partitions/0/records";
            case TOPIC_PAGE, TOPIC_NDJSON, TOPIC_SSE -> "/v1/topics/" + topic + "/records";
        };
        String uri = path + "?" + query + (route.stream() && !query.contains("last=") && !query.contains("timestamp=")
                && !query.contains("offset=") ? "&offset=earliest" : "");
        return switch (route) {
            case PARTITION_PAGE, TOPIC_PAGE -> {
                List<JsonNode> records = new ArrayList<>();
                getJson(uri).path("records").forEach(records::add);
                yield records;
            }
            case PARTITION_NDJSON, TOPIC_NDJSON -> ndjsonResults(client.get().uri(uri).accept(NDJSON).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            case PARTITION_SSE, TOPIC_SSE -> client.get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                    .expectStatus().isOk()
                    .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { }).getResponseBody()
                    .filter(event -> "record".equals(event.event()))
                    .take(count)
                    .map(event -> JSON.readTree(event.data()))
                    .collectList()
                    .block(Duration.ofSeconds(30));
        };
    }

    private JsonNode getJson(String uri) {
        return JSON.readTree(client.get().uri(uri).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private static List<JsonNode> ndjsonResults(String body) {
        return body == null ? List.of() : body.lines().filter(line -> !line.isBlank()).map(JSON::readTree).toList();
    }

    private static JsonNode config(JsonNode list, String name) {
        for (JsonNode entry : list.path("configs")) {
            if (entry.path("name").asString().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no config " + name + " in " + list);
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ServerSentEvent<String> awaitEvent(List<ServerSentEvent<String>> events,
                                                     Predicate<ServerSentEvent<String>> which) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ServerSentEvent<String> event : events) {
                if (which.test(event)) {
                    return event;
                }
            }
            sleep(20);
        }
        throw new AssertionError("no such event within 10 s; got " + events);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
