package io.sluice.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.gateway.testing.SseStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Schemas over HTTP on a real cluster (coordinator, partition services, gateway as processes): schemas registered
 * through the gateway's Schema Registry API, records produced as JSON with them and stored in Confluent's wire format,
 * read back as the same JSON in each schema's format over pages, NDJSON, SSE, a group member's poll and a share group's
 * acquisition; a record its schema does not take refuses its request; a value not in the wire format falls back. Each
 * test uses topics and subjects of its own.
 */
@ExtendWith(SharedGatewayCluster.class)
class SchemasOverHttpIT {

    private static final String REGISTRY_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String AVRO = """
            {"type": "record", "name": "Order", "namespace": "io.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "note", "type": ["null", "string"], "default": null}]}""";
    private static final String PROTOBUF = """
            syntax = "proto3";
            package io.example;
            message Order { string id = 1; int32 qty = 2; }
            message Refund { string order_id = 1; }
            """;
    private static final String JSON_SCHEMA = """
            {"type": "object", "properties": {"id": {"type": "string"}, "qty": {"type": "integer"}},
             "required": ["id"], "additionalProperties": false}""";

    private static GatewayCluster cluster;

    @BeforeAll
    static void cluster(GatewayCluster shared) {
        cluster = shared;
    }

    @Test
    void jsonWrittenWithAnAvroProtobufAndJsonSchemaReadsBackAsTheSameJsonOverPagesNdjsonAndSse() {
        String topic = "http-schemas-roundtrip";
        cluster.createTopic(topic, 1, 1, Map.of());
        int avro = register("http-schemas-avro-value", AVRO, "AVRO");
        int protobuf = register("http-schemas-proto-value", PROTOBUF, "PROTOBUF");
        int jsonSchema = register("http-schemas-json-value", JSON_SCHEMA, "JSON");
        String avroValue = "{\"id\":\"o-1\",\"note\":{\"string\":\"gift\"}}";
        String protobufValue = "{\"id\":\"o-2\",\"qty\":3}";
        String refundValue = "{\"orderId\":\"o-2\"}";
        String jsonValue = "{\"id\":\"o-3\",\"qty\":4}";

        written(cluster.postJson(records(topic, "?value_schema_id=" + avro), "[{\"value\": " + avroValue + "}]"));
        written(cluster.postJson(records(topic, "?value_schema_id=" + protobuf), "[{\"value\": " + protobufValue
                + "}]"));
        written(cluster.postJson(records(topic, ""), "{\"value_subject\": \"http-schemas-proto-value\", "
                + "\"value_message\": \"Refund\", \"records\": [{\"value\": " + refundValue + "}]}"));
        written(cluster.postJson(records(topic, "?value_subject=http-schemas-json-value&value_schema_version=latest"),
                "[{\"value\": " + jsonValue + "}]"));

        JsonNode asAvro = record(topic, 0, "avro");
        JsonNode asProtobuf = record(topic, 1, "protobuf");
        JsonNode refund = record(topic, 2, "protobuf");
        JsonNode asJsonSchema = record(topic, 3, "json_schema");
        assertThat(asAvro.path("value")).isEqualTo(GatewayCluster.JSON.readTree(avroValue));
        assertThat(asAvro.path("value_format").asString()).isEqualTo("avro");
        assertThat(asAvro.path("value_schema_id").asInt()).isEqualTo(avro);
        assertThat(asProtobuf.path("value")).isEqualTo(GatewayCluster.JSON.readTree(protobufValue));
        assertThat(asProtobuf.path("value_schema_id").asInt()).isEqualTo(protobuf);
        assertThat(refund.path("value")).as("the message value_message named").isEqualTo(
                GatewayCluster.JSON.readTree(refundValue));
        assertThat(asJsonSchema.path("value")).isEqualTo(GatewayCluster.JSON.readTree(jsonValue));
        assertThat(asJsonSchema.path("value_format").asString()).isEqualTo("json_schema");
        assertThat(asJsonSchema.path("value_schema_id").asInt()).isEqualTo(jsonSchema);
        assertThat(asAvro.has("key_schema_id")).as("a null key is not decoded").isFalse();

        List<JsonNode> ndjson = ndjson("/v1/topics/" + topic + "/partitions/0/records?offset=1&max_records=1"
                + "&value_format=protobuf");
        assertThat(ndjson).containsExactly(asProtobuf);

        URI sse = URI.create(cluster.gatewayUrl() + "/v1/topics/" + topic + "/records?offset=3&value_format=json_schema");
        try (SseStream stream = SseStream.open(cluster.http(), sse, null, 16)) {
            SseStream.Event event = stream.next(Duration.ofSeconds(30));
            assertThat(event).as("an event within 30 s").isNotNull();
            assertThat(GatewayCluster.JSON.readTree(event.data())).isEqualTo(asJsonSchema);
        }

        for (long offset = 0; offset < 4; offset++) {
            byte[] stored = Base64.getDecoder().decode(record(topic, offset, "binary").path("value").asString());
            assertThat(stored[0]).as("offset %d: the magic byte", offset).isZero();
            assertThat(ByteBuffer.wrap(stored).getInt(1)).as("offset %d: the schema id", offset)
                    .isEqualTo(offset == 0 ? avro : offset == 3 ? jsonSchema : protobuf);
        }
    }

    @Test
    void aGroupMembersPollAndAShareGroupsAcquisitionReadAvroValuesAsJson() {
        String topic = "http-schemas-groups";
        cluster.createTopic(topic, 1, 1, Map.of());
        int avro = register("http-schemas-groups-value", AVRO, "AVRO");
        List<JsonNode> values = List.of(GatewayCluster.JSON.readTree("{\"id\":\"g-1\",\"note\":{\"string\":\"gift\"}}"),
                GatewayCluster.JSON.readTree("{\"id\":\"g-2\",\"note\":null}"));
        written(cluster.postJson(records(topic, "?value_schema_id=" + avro), "[{\"value\": " + values.get(0)
                + "}, {\"value\": " + values.get(1) + "}]"));

        Response joined = cluster.postJson("/v1/groups/http-schemas-members/members", "{\"topics\": [\"" + topic
                + "\"], \"auto_offset_reset\": \"earliest\"}");
        assertThat(joined.status()).as(joined.text()).isEqualTo(201);
        List<JsonNode> polled = pollUntil(joined.json(), 2);
        List<JsonNode> acquired = acquireUntil("http-schemas-share", topic, 2);

        Map<String, List<JsonNode>> reads = new LinkedHashMap<>();
        reads.put("a group member's poll", polled);
        reads.put("a share group's acquisition", acquired);
        reads.forEach((way, read) -> {
            assertThat(read).as(way).extracting(record -> record.path("value")).containsExactlyElementsOf(values);
            assertThat(read).as(way).allSatisfy(record -> {
                assertThat(record.path("value_format").asString()).isEqualTo("avro");
                assertThat(record.path("value_schema_id").asInt()).isEqualTo(avro);
            });
        });
    }

    @Test
    void aRecordItsSchemaDoesNotTakeRefusesTheRequestAndNothingOfItIsWritten() {
        String topic = "http-schemas-refused";
        cluster.createTopic(topic, 1, 1, Map.of());
        int avro = register("http-schemas-refused-value", AVRO, "AVRO");

        Response refused = cluster.postJson(records(topic, "?value_schema_id=" + avro),
                "[{\"value\": {\"id\": \"fits\", \"note\": null}}, {\"value\": {\"id\": 17}}]");
        Response refusedLine = cluster.call("POST", records(topic, "?value_schema_id=" + avro),
                "{\"value\": {\"id\": \"line-0\", \"note\": null}}\n{\"value\": {\"id\": false}}\n",
                "application/x-ndjson");
        written(cluster.postJson(records(topic, "?value_format=string"), "[{\"value\": \"barrier\"}]"));

        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().path("error_code").asString()).isEqualTo("INVALID_RECORD");
        assertThat(refused.json().path("detail").asString()).contains("value of record 1 does not fit schema " + avro);
        assertThat(refusedLine.status()).as(refusedLine.text()).isEqualTo(200);
        List<JsonNode> lineResults = refusedLine.text().lines().map(GatewayCluster.JSON::readTree).toList();
        assertThat(lineResults.get(0).path("offset").asLong()).as("NDJSON: the good line is written").isZero();
        assertThat(lineResults.get(1).path("error_code").asString()).isEqualTo("INVALID_RECORD");
        JsonNode page = ok(cluster.call("GET", "/v1/topics/" + topic + "/partitions/0/records?offset=earliest"
                + "&value_format=avro", null, null));
        assertThat(page.path("records")).extracting(r -> r.path("value").toString())
                .as("the NDJSON line that fit, then the barrier: nothing of the refused request")
                .containsExactly("{\"id\":\"line-0\",\"note\":null}", "\"barrier\"");
    }

    @Test
    void valuesNotInTheWireFormatFallBackAndAnUnknownSchemaIsNamed() {
        String topic = "http-schemas-fallback";
        cluster.createTopic(topic, 1, 1, Map.of());
        written(cluster.postJson(records(topic, ""), "[{\"value\": {\"plain\": true}}, {\"value\": \"text\"}]"));

        JsonNode json = record(topic, 0, "avro");
        JsonNode text = record(topic, 1, "avro");
        Response unknownId = cluster.postJson(records(topic, "?value_schema_id=987654"), "[{\"value\": {}}]");
        Response unknownSubject = cluster.postJson(records(topic, "?key_subject=http-schemas-nobody-key"),
                "[{\"key\": \"k\", \"value\": {}}]");

        assertThat(json.path("value_format").asString()).isEqualTo("json");
        assertThat(json.path("value")).isEqualTo(GatewayCluster.JSON.readTree("{\"plain\": true}"));
        assertThat(json.has("value_schema_id")).isFalse();
        assertThat(text.path("value_format").asString()).isEqualTo("json");
        assertThat(text.path("value").asString()).isEqualTo("text");
        assertThat(unknownId.status()).as(unknownId.text()).isEqualTo(404);
        assertThat(unknownId.json().path("error_code").asString()).isEqualTo("SCHEMA_NOT_FOUND");
        assertThat(unknownId.json().path("detail").asString()).contains("value_schema_id 987654");
        assertThat(unknownSubject.status()).as(unknownSubject.text()).isEqualTo(404);
        assertThat(unknownSubject.json().path("error_code").asString()).isEqualTo("SUBJECT_NOT_FOUND");
        assertThat(unknownSubject.json().path("detail").asString()).contains("key_subject 'http-schemas-nobody-key'");
        assertThat(cluster.highWatermarks(topic)).as("nothing written by the refused requests").containsExactly(2L);
    }

    /** The record at {@code offset} of partition 0, its value read in {@code format}. */
    private static JsonNode record(String topic, long offset, String format) {
        JsonNode page = ok(cluster.call("GET", "/v1/topics/" + topic + "/partitions/0/records?offset=" + offset
                + "&max_records=1&value_format=" + format, null, null));
        assertThat(page.path("records")).as(page.toString()).hasSize(1);
        return page.path("records").get(0);
    }

    /** The records a polling member (as its join answered) reads with value_format=avro until it has {@code count}. */
    private static List<JsonNode> pollUntil(JsonNode joined, int count) {
        String member = joined.path("member_id").asString();
        String cursor = joined.path("cursor").asString();
        List<JsonNode> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.size() < count && System.nanoTime() < deadline) {
            JsonNode polled = ok(cluster.postJson("/v1/groups/http-schemas-members/members/" + member + "/poll",
                    "{\"cursor\": \"" + cursor + "\", \"wait_ms\": 1000, \"value_format\": \"avro\"}"));
            cursor = polled.path("cursor").asString();
            polled.path("records").forEach(read::add);
        }
        return read;
    }

    /** The records a share group's member takes with value_format=avro until it has {@code count}. */
    private static List<JsonNode> acquireUntil(String group, String topic, int count) {
        List<JsonNode> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.size() < count && System.nanoTime() < deadline) {
            ok(cluster.postJson("/v1/share-groups/" + group + "/acquisitions", "{\"topic\": \"" + topic
                    + "\", \"member_id\": \"reader\", \"max_records\": " + count + ", \"max_wait_ms\": 1000, "
                    + "\"value_format\": \"avro\"}")).path("records").forEach(read::add);
        }
        return read;
    }

    private static List<JsonNode> ndjson(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + pathAndQuery))
                .header("Accept", "application/x-ndjson").timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<String> response = cluster.http().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body().lines().map(GatewayCluster.JSON::readTree).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int register(String subject, String schema, String type) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("schema", schema);
        body.put("schemaType", type);
        Response registered = cluster.call("POST", "/schema-registry/subjects/" + subject + "/versions",
                GatewayCluster.JSON.writeValueAsString(body), REGISTRY_TYPE);
        return ok(registered).path("id").asInt();
    }

    private static String records(String topic, String query) {
        return "/v1/topics/" + topic + "/records" + query;
    }

    private static void written(Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }
}
