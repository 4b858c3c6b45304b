package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Kafka clients of older releases against the Kafka listener: each release's own verifiable producer and consumer
 * (its kafka-tools with its kafka-clients, from Maven Central, copied into {@code target/kafka-tools-<version>/} by
 * this module's build), in JVMs of their own. Each negotiates no newer API versions than its release knows, so versions
 * older than today's client's are exercised by a client that speaks them, not only by {@link KafkaApiVersionsTest}'s
 * requests.
 */
@ExtendWith(SharedGatewayCluster.class)
class OlderKafkaClientsIT {

    private static final int RECORDS = 1000;
    private static final int PARTITIONS = 3;
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

    private static GatewayCluster cluster;

    @BeforeAll
    static void sharedCluster(GatewayCluster shared) {
        cluster = shared;
    }

    /**
     * The release's producer has every record acknowledged once (acks=all, no retries), on dense offsets; a consumer of
     * the same release in a classic group reads each partition from its start to its high watermark once and commits
     * the high watermarks, which today's Admin client reads back as the group's offsets.
     */
    @ParameterizedTest(name = "Kafka {0}")
    @ValueSource(strings = {"2.8.2", "3.9.1"})
    void aReleasesVerifiableProducerAndConsumerWriteReadAndCommitEveryRecordOnce(String release) throws Exception {
        String topic = "older-clients-" + release.replace('.', '-');
        String group = topic + "-group";
        cluster.createTopic(topic, PARTITIONS, 3, Map.of());

        List<JsonNode> produced = events(run(release, "org.apache.kafka.tools.VerifiableProducer", "--topic", topic,
                "--bootstrap-server", cluster.kafkaBootstrap(), "--max-messages", String.valueOf(RECORDS),
                "--acks", "-1", "--repeating-keys", "100"));
        assertThat(named(produced, "producer_send_error")).as("send errors").isEmpty();
        JsonNode summary = named(produced, "tool_data").getFirst();
        assertThat(summary.path("acked").asLong()).isEqualTo(RECORDS);
        Map<Integer, List<Long>> offsets = new TreeMap<>();
        for (JsonNode ack : named(produced, "producer_send_success")) {
            offsets.computeIfAbsent(ack.path("partition").asInt(), p -> new ArrayList<>())
                    .add(ack.path("offset").asLong());
        }
        List<Long> highWatermarks = cluster.highWatermarks(topic);
        offsets.forEach((partition, acked) -> assertThat(acked).as("partition %d's acknowledged offsets", partition)
                .doesNotHaveDuplicates().hasSize(highWatermarks.get(partition).intValue())
                .allMatch(offset -> offset >= 0 && offset < highWatermarks.get(partition)));
        assertThat(highWatermarks.stream().mapToLong(Long::longValue).sum()).isEqualTo(RECORDS);

        List<JsonNode> consumed = events(run(release, "org.apache.kafka.tools.VerifiableConsumer", "--topic", topic,
                "--bootstrap-server", cluster.kafkaBootstrap(), "--group-id", group, "--max-messages",
                String.valueOf(RECORDS), "--reset-policy", "earliest"));
        assertThat(named(consumed, "partitions_assigned")).isNotEmpty();
        Map<Integer, Long> next = new HashMap<>();
        for (JsonNode batch : named(consumed, "records_consumed")) {
            for (JsonNode range : batch.path("partitions")) {
                int partition = range.path("partition").asInt();
                long min = range.path("minOffset").asLong();
                assertThat(min).as("partition %d read on from where it was", partition)
                        .isEqualTo(next.getOrDefault(partition, 0L));
                assertThat(range.path("maxOffset").asLong() - min + 1).isEqualTo(range.path("count").asLong());
                next.put(partition, range.path("maxOffset").asLong() + 1);
            }
        }
        Map<Integer, Long> expected = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            expected.put(partition, highWatermarks.get(partition));
        }
        assertThat(next).as("each partition read to its high watermark once").isEqualTo(expected);
        List<JsonNode> commits = named(consumed, "offsets_committed");
        assertThat(commits).isNotEmpty().allMatch(commit -> commit.path("success").asBoolean(),
                "every commit succeeded");
        assertThat(committed(group, topic)).as("the group's committed offsets, read with today's Admin client")
                .isEqualTo(expected);
    }

    private static Map<Integer, Long> committed(String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(entry -> entry.getKey().topic().equals(topic))
                    .collect(Collectors.toMap(entry -> entry.getKey().partition(), entry -> entry.getValue().offset()));
        }
    }

    /** Runs a tool of {@code release} in a JVM of its own on that release's jars; its standard output. */
    private static String run(String release, String tool, String... args) {
        Path jars = Path.of("target", "kafka-tools-" + release).toAbsolutePath();
        assertThat(Files.isDirectory(jars)).as("%s holds Kafka %s's tools; the build copies them there "
                + "(./mvnw -pl gateway-service generate-test-resources)", jars, release).isTrue();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", jars + "/*", tool));
        command.addAll(List.of(args));
        Commands.Run run = Commands.run(command, "", TOOL_TIMEOUT);
        assertThat(run.ended()).as("Kafka %s's %s ends within %s: %s", release, tool, TOOL_TIMEOUT, run.out())
                .isTrue();
        assertThat(run.exitCode()).as("Kafka %s's %s: %s", release, tool, run.out()).isZero();
        return run.out();
    }

    private static List<JsonNode> events(String out) {
        return out.lines().filter(line -> line.startsWith("{")).map(GatewayCluster.JSON::readTree).toList();
    }

    private static List<JsonNode> named(List<JsonNode> events, String name) {
        return events.stream().filter(event -> name.equals(event.path("name").asString())).toList();
    }
}
