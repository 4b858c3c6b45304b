package io.sluice.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.Schemas;
import io.sluice.schema.WireFormat;
import io.sluice.schema.WirePayload;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A topic with schema validation refuses, on every way in, the records its configs do not allow, and writes nothing
 * of their batches, while its valid records are written: Kafka's own producer gets INVALID_RECORD with the record's
 * reason, an HTTP produce 422 naming the record. What was written is read back, a record produced after the refused
 * ones serving as the barrier that proves they are absent.
 */
@ExtendWith(SharedGatewayCluster.class)
class RecordSchemaValidationIT {

    private static final String PAYMENT = "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"io.example\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String REFUND = "{\"type\":\"record\",\"name\":\"Refund\",\"namespace\":\"io.example\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String REFUND_WITH_REASON = "{\"type\":\"record\",\"name\":\"Refund\","
            + "\"namespace\":\"io.example\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"reason\",\"type\":\"string\",\"default\":\"\"}]}";
    private static final String TOPIC = "validated-payments";

    private static GatewayCluster cluster;
    private static int schemaId;

    @BeforeAll
    static void aTopicThatChecksItsValuesContent(GatewayCluster shared) {
        cluster = shared;
        Response registered = cluster.call("POST", "/schema-registry/subjects/" + TOPIC + "-value/versions",
                GatewayCluster.JSON.writeValueAsString(Map.of("schema", PAYMENT)),
                "application/vnd.schemaregistry.v1+json");
        assertThat(registered.status()).as(registered.text()).isEqualTo(200);
        schemaId = registered.json().path("id").asInt();
        cluster.createTopic(TOPIC, 1, 3, Map.of("confluent.value.schema.validation", "true",
                "sluice.value.schema.validation.mode", "content"));
    }

    @Test
    void kafkasProducerGetsInvalidRecordForEachBadValueAndItsGoodOnesAreWritten() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer())) {
            send(producer, payment("kafka-1"));

            assertThatThrownBy(() -> send(producer, "not in the wire format".getBytes()))
                    .hasCauseInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("not in the Confluent wire format");
            assertThatThrownBy(() -> send(producer, WireFormat.encode(schemaId, SchemaType.AVRO, List.of(),
                    new byte[] {(byte) 0xff, 0x01})))
                    .hasCauseInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("does not match its schema");
            assertThatThrownBy(() -> send(producer, WireFormat.encode(schemaId + 1000, SchemaType.AVRO, List.of(),
                    new byte[] {2, 'x'})))
                    .hasCauseInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("is not registered");
            send(producer, payment("kafka-2"));
        }

        assertThat(ids(readAll())).containsSubsequence("kafka-1", "kafka-2").doesNotContainNull();
    }

    @Test
    void anHttpProduceIsRefusedRecordByRecordAndWritesNothingOfTheBatch() {
        String good = Base64.getEncoder().encodeToString(payment("http-good"));
        String bad = Base64.getEncoder().encodeToString("plain text".getBytes());

        Response refused = cluster.call("POST", "/v1/topics/" + TOPIC + "/records?value_format=binary",
                "[{\"partition\":0,\"value\":\"" + good + "\"},{\"partition\":0,\"value\":\"" + bad + "\"}]",
                "application/json");
        Response barrier = cluster.call("POST", "/v1/topics/" + TOPIC + "/records?value_format=binary",
                "[{\"partition\":0,\"value\":\"" + Base64.getEncoder().encodeToString(payment("http-barrier"))
                        + "\"}]", "application/json");

        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        JsonNode results = refused.json().path("results");
        assertThat(results.get(1).path("error_code").asString()).isEqualTo("INVALID_RECORD_SCHEMA");
        assertThat(results.get(1).path("detail").asString()).contains("Record 1")
                .contains("not in the Confluent wire format");
        assertThat(results.get(0).path("error_code").asString()).isEqualTo("INVALID_RECORD_SCHEMA");
        assertThat(results.get(0).path("detail").asString()).contains("record 1");
        assertThat(barrier.status()).as(barrier.text()).isEqualTo(200);
        List<String> written = ids(readAll());
        assertThat(written).contains("http-barrier").doesNotContain("http-good");
    }

    /**
     * Confluent Server accepts an id only if it is registered under the topic's subject; a soft-deleted version is no
     * longer one of the subject's, and a permanently deleted one is gone. The id still names its schema (ids keep
     * their schemas for good), yet a record carrying it is refused on both ways in, at once, and nothing of it is
     * written; the barriers, written with the subject's live version after each refusal, prove it.
     */
    @Test
    void aRecordWhoseSchemasOnlyVersionWasDeletedSoftlyThenForGoodIsRefused() throws Exception {
        String topic = "validated-deleted-refunds";
        String subject = topic + "-value";
        int deleted = register(subject, REFUND);
        int live = register(subject, REFUND_WITH_REASON);
        cluster.createTopic(topic, 1, 3, Map.of("confluent.value.schema.validation", "true"));
        ok(cluster.call("DELETE", "/schema-registry/subjects/" + subject + "/versions/1", null, null));
        String notRegistered = "schema id " + deleted + " is not registered for subject '" + subject + "'";

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            assertThatThrownBy(() -> send(producer, topic, refund(REFUND, deleted, "kafka-soft")))
                    .hasCauseInstanceOf(InvalidRecordException.class).hasMessageContaining(notRegistered);
            assertRefusedOverHttp(topic, refund(REFUND, deleted, "http-soft"), notRegistered);
            send(producer, topic, refund(REFUND_WITH_REASON, live, "barrier-soft"));

            ok(cluster.call("DELETE", "/schema-registry/subjects/" + subject + "/versions/1?permanent=true", null,
                    null));
            assertThat(cluster.call("GET", "/schema-registry/schemas/ids/" + deleted, null, null).status())
                    .as("the id still names its schema").isEqualTo(200);
            assertThatThrownBy(() -> send(producer, topic, refund(REFUND, deleted, "kafka-hard")))
                    .hasCauseInstanceOf(InvalidRecordException.class).hasMessageContaining(notRegistered);
            assertRefusedOverHttp(topic, refund(REFUND, deleted, "http-hard"), notRegistered);
            send(producer, topic, refund(REFUND_WITH_REASON, live, "barrier-hard"));
        }

        List<byte[]> written = readAll(topic);
        assertThat(written).extracting(value -> ByteBuffer.wrap(value).getInt(1)).containsOnly(live);
        assertThat(written).extracting(value -> refundId(value)).containsExactly("barrier-soft", "barrier-hard");
    }

    private static void assertRefusedOverHttp(String topic, byte[] value, String reason) {
        Response refused = cluster.call("POST", "/v1/topics/" + topic + "/records?value_format=binary",
                "[{\"partition\":0,\"value\":\"" + Base64.getEncoder().encodeToString(value) + "\"}]",
                "application/json");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().path("results").get(0).path("error_code").asString())
                .isEqualTo("INVALID_RECORD_SCHEMA");
        assertThat(refused.json().path("results").get(0).path("detail").asString()).contains(reason);
    }

    private static int register(String subject, String schema) {
        Response registered = cluster.call("POST", "/schema-registry/subjects/" + subject + "/versions",
                GatewayCluster.JSON.writeValueAsString(Map.of("schema", schema)),
                "application/vnd.schemaregistry.v1+json");
        return ok(registered).path("id").asInt();
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A refund with {@code id} (and, with the second schema, an empty reason) in the wire format under {@code id}. */
    private static byte[] refund(String schema, int schemaId, String id) {
        String json = schema.equals(REFUND) ? "{\"id\":\"" + id + "\"}" : "{\"id\":\"" + id + "\",\"reason\":\"\"}";
        return WireFormat.encode(schemaId, SchemaType.AVRO, List.of(), Schemas.parse(SchemaType.AVRO, schema)
                .toBinary(json, List.of()));
    }

    /** The refund id of a stored value written with the second refund schema. */
    private static String refundId(byte[] value) {
        WirePayload decoded = WireFormat.decode(ByteBuffer.wrap(value), SchemaType.AVRO);
        return GatewayCluster.JSON.readTree(Schemas.parse(SchemaType.AVRO, REFUND_WITH_REASON)
                .toJson(decoded.payload(), List.of())).path("id").asString();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, byte[] value) throws Exception {
        send(producer, TOPIC, value);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) throws Exception {
        try {
            producer.send(new ProducerRecord<>(topic, 0, null, value)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static byte[] payment(String id) {
        byte[] payload = Schemas.parse(SchemaType.AVRO, PAYMENT).toBinary("{\"id\":\"" + id + "\"}", List.of());
        return WireFormat.encode(schemaId, SchemaType.AVRO, List.of(), payload);
    }

    /** Every record of the partition, as stored. */
    private static List<byte[]> readAll() {
        return readAll(TOPIC);
    }

    private static List<byte[]> readAll(String topic) {
        Response page = cluster.call("GET", "/v1/topics/" + topic + "/partitions/0/records?offset=earliest"
                + "&value_format=binary&max_records=1000", null, null);
        assertThat(page.status()).as(page.text()).isEqualTo(200);
        return page.json().path("records").valueStream()
                .map(record -> Base64.getDecoder().decode(record.path("value").asString())).toList();
    }

    /** The payment ids of stored values, every one of which must decode with the schema. */
    private static List<String> ids(List<byte[]> values) {
        return values.stream().map(value -> {
            WirePayload decoded = WireFormat.decode(ByteBuffer.wrap(value), SchemaType.AVRO);
            assertThat(decoded.schemaId()).isEqualTo(schemaId);
            return GatewayCluster.JSON.readTree(Schemas.parse(SchemaType.AVRO, PAYMENT).toJson(decoded.payload(),
                    List.of())).path("id").asString();
        }).toList();
    }
}
