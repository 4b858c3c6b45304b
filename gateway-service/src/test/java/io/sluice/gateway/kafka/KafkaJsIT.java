package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.testing.Commands;
import io.sluice.testing.RequiredTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    private static GatewayCluster cluster;
    private static Path node;
    private static Path workDir;

    @BeforeAll
    static void installKafkaJs(GatewayCluster shared) throws Exception {
        cluster = shared;
        node = RequiredTools.require("node", "nodejs");
        Path npm = RequiredTools.require("npm", "npm");
        workDir = Path.of("target", "kafkajs").toAbsolutePath();
        Files.createDirectories(workDir);
        Files.copy(Path.of("src/test/resources/kafkajs/roundtrip.js"), workDir.resolve("roundtrip.js"),
                StandardCopyOption.REPLACE_EXISTING);
        if (!Files.isDirectory(workDir.resolve("node_modules/kafkajs"))) {
            Commands.Run install = Commands.run(List.of(npm.toString(), "install", "--no-audit", "--no-fund",
                    "--prefix", workDir.toString(), "kafkajs@" + KAFKAJS_VERSION), "", NPM_TIMEOUT);
            assertThat(install.ended()).as("npm install kafkajs@%s ends", KAFKAJS_VERSION).isTrue();
            assertThat(install.exitCode()).as("npm install kafkajs@%s: %s", KAFKAJS_VERSION, install.out())
                    .isZero();
        }
    }

    /**
     * Every record of the idempotent producer and of the committed transaction is read once by the group, nothing of
     * the aborted transaction; the group's committed offsets reach past every record it read.
     */
    @Test
    void kafkajsProducesTransactsConsumesInAGroupAndCommits() throws Exception {
        String topic = "kafkajs-roundtrip";
        cluster.createTopic(topic, 3, 3, Map.of());
        Commands.Run script = Commands.run(List.of(node.toString(), workDir.resolve("roundtrip.js").toString(),
                cluster.kafkaBootstrap(), topic, Long.toString(System.currentTimeMillis())), "", SCRIPT_TIMEOUT);
        assertThat(script.ended()).as("roundtrip.js ends within %s", SCRIPT_TIMEOUT).isTrue();
        assertThat(script.exitCode()).as("roundtrip.js (its errors above): %s", script.out()).isZero();
        List<String> lines = script.out().lines().toList();
        JsonNode summary = GatewayCluster.JSON.readTree(lines.getLast());
        System.out.println("[figure] kafkajs " + KAFKAJS_VERSION + ": " + summary);

        ClientRoundTrips.assertRoundTrip(summary);
    }
}
