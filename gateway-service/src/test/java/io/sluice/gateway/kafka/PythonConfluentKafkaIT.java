package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * confluent-kafka-python (Debian's {@code python3-confluent-kafka}, on Debian's librdkafka; a client nobody here wrote)
 * against the Kafka listener: an idempotent producer with Kafka's partitioner, a transactional one that commits a
 * batch and aborts another, and a consumer of a group reading read_committed, committing its positions and reading
 * them back with the partitions' high watermarks ({@code src/test/resources/confluent-kafka/roundtrip.py}, run with
 * Debian's {@code /usr/bin/python3}, the interpreter the package installs for).
 */
@ExtendWith(SharedGatewayCluster.class)
class PythonConfluentKafkaIT {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    private static GatewayCluster cluster;

    @BeforeAll
    static void requireTheClient(GatewayCluster shared) {
        cluster = shared;
        String missing = "python3-confluent-kafka is not installed: apt-get install -y python3-confluent-kafka "
                + "(.ci/run installs every package the tests need)";
        assertThat(Files.isExecutable(PYTHON)).as(missing).isTrue();
        Commands.Run probe = Commands.run(List.of(PYTHON.toString(), "-c", "import confluent_kafka"), "",
                Duration.ofSeconds(30));
        assertThat(probe.exitCode()).as(missing).isZero();
    }

    /**
     * Every record of the idempotent producer and of the committed transaction is read once, nothing of the aborted
     * transaction; the group's committed offsets reach past every record it read and no further than the ends.
     */
    @Test
    void confluentKafkaProducesTransactsConsumesInAGroupAndCommits() {
        String topic = "python-roundtrip";
        cluster.createTopic(topic, 3, 3, Map.of());
        Commands.Run script = Commands.run(List.of(PYTHON.toString(),
                Path.of("src/test/resources/confluent-kafka/roundtrip.py").toAbsolutePath().toString(),
                cluster.kafkaBootstrap(), topic, Long.toString(System.currentTimeMillis())), "", SCRIPT_TIMEOUT);
        assertThat(script.ended()).as("roundtrip.py ends within %s", SCRIPT_TIMEOUT).isTrue();
        assertThat(script.exitCode()).as("roundtrip.py (its errors above): %s", script.out()).isZero();
        JsonNode summary = GatewayCluster.JSON.readTree(script.out().lines().toList().getLast());
        System.out.println("[figure] confluent-kafka-python: " + summary);

        ClientRoundTrips.assertRoundTrip(summary);
    }
}
