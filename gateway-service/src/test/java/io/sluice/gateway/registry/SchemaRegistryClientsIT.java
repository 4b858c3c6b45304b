package io.sluice.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.kafka.KafkaJsIT;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.NodeScripts;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.testing.Commands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Confluent's schema registry clients from npm, written by nobody here, against the gateway's registry and Kafka
 * listener ({@code src/test/resources/schema-registry/clients.js}, run with Debian's node):
 * {@code @kafkajs/confluent-schema-registry} registers an Avro, a Protobuf and a JSON Schema schema and encodes and
 * decodes a record with each; kafkajs produces the Avro record and consumes it, and the gateway reads it as JSON over
 * HTTP ({@code value_format=avro}); Confluent's own
 * {@code @confluentinc/schemaregistry} looks the subject up, serializes and deserializes with its Avro serde (the
 * kafkajs-produced record too), checks and registers a compatible version, and is refused an incompatible one. The
 * packages are installed from npm into {@code target/schema-registry-clients} once, at the versions below. And
 * Debian's confluent-kafka-python, with the JSON Schema serializers whose format library Debian has
 * ({@code python3-jsonschema}; Debian has no fastavro for its Avro ones).
 */
@ExtendWith(SharedGatewayCluster.class)
class SchemaRegistryClientsIT {

    static final String KAFKAJS_REGISTRY_VERSION = "4.1.0";
    static final String CONFLUENT_REGISTRY_VERSION = "1.10.1";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    private static GatewayCluster cluster;
    private static NodeScripts clients;

    @BeforeAll
    static void installTheClients(GatewayCluster shared) {
        cluster = shared;
        clients = NodeScripts.install("schema-registry-clients", "schema-registry/clients.js",
                "@confluentinc/schemaregistry@" + CONFLUENT_REGISTRY_VERSION,
                "@kafkajs/confluent-schema-registry@" + KAFKAJS_REGISTRY_VERSION,
                "kafkajs@" + KafkaJsIT.KAFKAJS_VERSION);
    }

    /**
     * Debian's confluent-kafka-python: its JSON Schema serializer registers the schema and writes the wire format,
     * its Kafka client carries the record, its deserializer reads it, and its registry client reads the subject.
     */
    @Test
    void confluentKafkaPythonsJsonSchemaSerializersAndRegistryClientWork() {
        String topic = "registry-python";
        cluster.createTopic(topic, 1, 3, Map.of());
        Path python = Path.of("/usr/bin/python3");
        Commands.Run probe = Commands.run(List.of(python.toString(), "-c",
                "import confluent_kafka.schema_registry.json_schema"), "", Duration.ofSeconds(30));
        assertThat(probe.exitCode()).as("python3-confluent-kafka and python3-jsonschema are installed "
                + "(.ci/run installs them): %s", probe.out()).isZero();

        Commands.Run script = Commands.run(List.of(python.toString(),
                Path.of("src/test/resources/confluent-kafka/schemas.py").toAbsolutePath().toString(),
                cluster.gatewayUrl() + "/schema-registry", cluster.kafkaBootstrap(), topic), "", SCRIPT_TIMEOUT);

        assertThat(script.ended()).as("schemas.py ends within %s", SCRIPT_TIMEOUT).isTrue();
        assertThat(script.exitCode()).as("schemas.py (its errors above): %s", script.out()).isZero();
        JsonNode summary = GatewayCluster.JSON.readTree(script.out().lines().toList().getLast());
        System.out.println("[figure] confluent-kafka-python schema registry: " + summary);
        assertThat(summary.path("magic").asInt()).isZero();
        assertThat(summary.path("schemaId").asInt()).isEqualTo(summary.path("latestId").asInt());
        assertThat(summary.path("latestVersion").asInt()).isEqualTo(1);
        assertThat(summary.path("schemaType").asString()).isEqualTo("JSON");
        assertThat(summary.path("deserialized"))
                .isEqualTo(GatewayCluster.JSON.readTree("{\"id\":\"t-1\",\"done\":true}"));
        assertThat(summary.path("incompatible").path("status").asInt()).isEqualTo(409);
        assertThat(summary.path("incompatible").path("errorCode").asInt()).isEqualTo(40901);
    }

    @Test
    void confluentsClientsRegisterEncodeAndDecodeAndKafkajsCarriesTheRecord() throws Exception {
        String topic = "registry-clients";
        cluster.createTopic(topic, 1, 3, Map.of());

        Commands.Run script = clients.run(SCRIPT_TIMEOUT, cluster.gatewayUrl() + "/schema-registry",
                cluster.kafkaBootstrap(), topic);

        assertThat(script.ended()).as("clients.js ends within %s", SCRIPT_TIMEOUT).isTrue();
        assertThat(script.exitCode()).as("clients.js (its errors above): %s", script.out()).isZero();
        JsonNode summary = GatewayCluster.JSON.readTree(script.out().lines().toList().getLast());
        System.out.println("[figure] schema registry clients: " + summary);
        int avroId = summary.path("avroId").asInt();
        JsonNode payment = GatewayCluster.JSON.readTree("{\"id\":\"p-1\",\"amount\":12.5}");
        assertThat(summary.path("sameIdAgain").asBoolean()).isTrue();
        assertThat(summary.path("magicAndId").get(0).asInt()).isZero();
        assertThat(summary.path("magicAndId").get(1).asInt()).isEqualTo(avroId);
        assertThat(summary.path("avroDecoded")).isEqualTo(payment);
        assertThat(summary.path("consumedDecoded")).isEqualTo(payment);
        assertThat(summary.path("confluentReadsKafkajs")).isEqualTo(payment);
        assertThat(summary.path("httpRead").path("value")).as("read over HTTP as JSON").isEqualTo(payment);
        assertThat(summary.path("httpRead").path("format").asString()).isEqualTo("avro");
        assertThat(summary.path("httpRead").path("schemaId").asInt()).isEqualTo(avroId);
        assertThat(summary.path("protoDecoded").path("parcels").asInt()).isEqualTo(3);
        assertThat(summary.path("jsonDecoded").path("done").asBoolean()).isTrue();
        assertThat(summary.path("confluentLatest").path("id").asInt()).isEqualTo(avroId);
        assertThat(summary.path("confluentRoundTrip").path("id").asString()).isEqualTo("p-2");
        assertThat(summary.path("confluentCompatible").asBoolean()).isTrue();
        assertThat(summary.path("v2Id").asInt()).isGreaterThan(avroId);
        assertThat(summary.path("incompatible").path("status").asInt()).isEqualTo(409);
        assertThat(summary.path("incompatible").path("errorCode").asInt()).isEqualTo(40901);
    }
}
