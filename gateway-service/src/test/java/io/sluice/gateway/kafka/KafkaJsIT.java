package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.NodeScripts;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.testing.Commands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * kafkajs, the Node.js client (from npm, a client nobody here wrote), against the Kafka listener: an idempotent
 * producer, a transactional one that commits a batch and aborts another, two consumers of one group reading
 * read_committed, and the admin client reading the group's offsets and the topic's high watermarks
 * ({@code src/test/resources/kafkajs/roundtrip.js}, run with Debian's node). kafkajs is installed from npm into
 * {@code target/kafkajs} once, at the version below.
 */
@ExtendWith(SharedGatewayCluster.class)
public class KafkaJsIT {

    /** The kafkajs release the scripts run on (this one's, and the schema registry clients'). */
    public static final String KAFKAJS_VERSION = "2.2.4";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    private static GatewayCluster cluster;
    private static NodeScripts roundtrip;

    @BeforeAll
    static void installKafkaJs(GatewayCluster shared) {
        cluster = shared;
        roundtrip = NodeScripts.install("kafkajs", "kafkajs/roundtrip.js", "kafkajs@" + KAFKAJS_VERSION);
    }

    /**
     * Every record of the idempotent producer and of the committed transaction is read once by the group, nothing of
     * the aborted transaction; the group's committed offsets reach past every record it read.
     */
    @Test
    void kafkajsProducesTransactsConsumesInAGroupAndCommits() throws Exception {
        String topic = "kafkajs-roundtrip";
        cluster.createTopic(topic, 3, 3, Map.of());
        Commands.Run script = roundtrip.run(SCRIPT_TIMEOUT, cluster.kafkaBootstrap(), topic,
                Long.toString(System.currentTimeMillis()));
        assertThat(script.ended()).as("roundtrip.js ends within %s", SCRIPT_TIMEOUT).isTrue();
        assertThat(script.exitCode()).as("roundtrip.js (its errors above): %s", script.out()).isZero();
        List<String> lines = script.out().lines().toList();
        JsonNode summary = GatewayCluster.JSON.readTree(lines.getLast());
        System.out.println("[figure] kafkajs " + KAFKAJS_VERSION + ": " + summary);

        ClientRoundTrips.assertRoundTrip(summary);
    }
}
