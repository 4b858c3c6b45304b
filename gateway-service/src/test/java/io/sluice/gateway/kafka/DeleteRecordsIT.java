package io.sluice.gateway.kafka;

import static io.sluice.gateway.kafka.KafkaTools.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.kafka.KafkaTools.ToolRun;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.launcher.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.tools.DeleteRecordsCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeleteRecords end to end on a three-node cluster: through Kafka's own kafka-delete-records tool, Kafka's Admin and
 * the HTTP route; what consumers, HTTP reads and followers see afterwards; and ListOffsets' max-timestamp lookup.
 */
@ExtendWith(SharedGatewayCluster.class)
class DeleteRecordsIT {

    private static GatewayCluster cluster;
    private static Admin admin;

    @TempDir
    Path dir;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        cluster = shared;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void theKafkaToolDeletesRecordsAndConsumersAndHttpReadsStartAtTheNewLogStart() throws IOException {
        cluster.createTopic("dr-tool", 1, 3, Map.of());
        produce("dr-tool", 10);
        Path offsets = dir.resolve("offsets.json");
        Files.writeString(offsets, "{\"partitions\":[{\"topic\":\"dr-tool\",\"partition\":0,\"offset\":4}],\"version\":1}");

        ToolRun tool = run(DeleteRecordsIT::deleteRecordsCommand, "--bootstrap-server", cluster.kafkaBootstrap(),
                "--offset-json-file", offsets.toString());

        assertThat(tool.exitCode()).as(tool.err()).isZero();
        assertThat(tool.out()).contains("partition: dr-tool-0").contains("low_watermark: 4");
        assertThat(firstOffsetFromEarliest("dr-tool")).isEqualTo(4);
        assertThat(cluster.call("GET", "/v1/topics/dr-tool/partitions/0/records?offset=0", null, null).status())
                .isEqualTo(416);
        GatewayCluster.Response page = cluster.call("GET", "/v1/topics/dr-tool/partitions/0/records?offset=4", null, null);
        assertThat(page.json().path("records").get(0).path("offset").asLong()).isEqualTo(4);
        assertThat(page.json().path("log_start_offset").asLong()).isEqualTo(4);
    }

    @Test
    void adminDeleteRecordsAnswersTheLowWatermarkAndRefusesAnOffsetAboveTheHighWatermark() throws Exception {
        cluster.createTopic("dr-admin", 2, 3, Map.of());
        produce("dr-admin", 20); // ten records in each partition
        TopicPartition p0 = new TopicPartition("dr-admin", 0);
        TopicPartition p1 = new TopicPartition("dr-admin", 1);
        long end1 = cluster.highWatermarks("dr-admin").get(1);

        var deleted = admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(7),
                p1, RecordsToDelete.beforeOffset(-1))).lowWatermarks();

        assertThat(deleted.get(p0).get(30, TimeUnit.SECONDS).lowWatermark()).isEqualTo(7);
        assertThat(deleted.get(p1).get(30, TimeUnit.SECONDS).lowWatermark()).as("-1: the high watermark").isEqualTo(end1);
        assertThat(admin.listOffsets(Map.of(p0, OffsetSpec.earliest())).partitionResult(p0).get().offset()).isEqualTo(7);
        var tooFar = admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(1_000))).lowWatermarks().get(p0);
        assertThatThrownBy(() -> tooFar.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(OffsetOutOfRangeException.class);
        assertThat(logStart("dr-admin", 0)).isEqualTo(7);
    }

    @Test
    void theHttpRouteDeletesRecordsAndAnswersAProblemForAnOffsetAboveTheHighWatermark() {
        cluster.createTopic("dr-http", 1, 3, Map.of());
        produce("dr-http", 6);

        GatewayCluster.Response tooFar = cluster.call("DELETE", "/v1/topics/dr-http/partitions/0/records?before=7",
                null, null);
        assertThat(tooFar.status()).as(tooFar.text()).isEqualTo(416);
        assertThat(tooFar.json().path("error_code").asString()).isEqualTo("OFFSET_OUT_OF_RANGE");
        assertThat(logStart("dr-http", 0)).as("nothing changed").isZero();

        GatewayCluster.Response deleted = cluster.call("DELETE", "/v1/topics/dr-http/partitions/0/records?before=2",
                null, null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.json().path("low_watermark").asLong()).isEqualTo(2);
        assertThat(logStart("dr-http", 0)).isEqualTo(2);
        assertThat(cluster.call("DELETE", "/v1/topics/dr-http/partitions/5/records?before=2", null, null).status())
                .isEqualTo(404);
        assertThat(cluster.call("DELETE", "/v1/topics/dr-http/partitions/0/records", null, null).status())
                .isEqualTo(400);
    }

    /** Kafka keeps a compacted topic's records from DeleteRecords: POLICY_VIOLATION, over both protocols. */
    @Test
    void recordsOfACompactedTopicAreNotDeletedOverEitherProtocol() throws Exception {
        cluster.createTopic("dr-compacted", 1, 3, Map.of("cleanup.policy", "compact"));
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            values.add("{\"key\":\"k" + i + "\",\"value\":\"r" + i + "\",\"partition\":0}");
        }
        assertThat(cluster.postJson("/v1/topics/dr-compacted/records?acks=all", "[" + String.join(",", values) + "]")
                .status()).isEqualTo(200);
        TopicPartition p0 = new TopicPartition("dr-compacted", 0);

        var refused = admin.deleteRecords(Map.of(p0, RecordsToDelete.beforeOffset(3))).lowWatermarks().get(p0);
        assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PolicyViolationException.class);
        GatewayCluster.Response overHttp = cluster.call("DELETE",
                "/v1/topics/dr-compacted/partitions/0/records?before=3", null, null);
        assertThat(overHttp.status()).as(overHttp.text()).isEqualTo(409);
        assertThat(overHttp.json().path("error_code").asString()).isEqualTo("POLICY_VIOLATION");
        assertThat(logStart("dr-compacted", 0)).as("nothing deleted").isZero();
    }

    @Test
    void afterALeaderChangeTheDeletedRecordsStayGone() {
        cluster.createTopic("dr-failover", 1, 3, Map.of());
        produce("dr-failover", 8);
        assertThat(cluster.call("DELETE", "/v1/topics/dr-failover/partitions/0/records?before=5", null, null).status())
                .isEqualTo(200);
        int leader = cluster.leader("dr-failover", 0);

        cluster.processes().stop(LocalCluster.partition(leader));
        try {
            awaitLeaderOtherThan("dr-failover", leader);

            assertThat(logStart("dr-failover", 0)).isEqualTo(5);
            assertThat(cluster.call("GET", "/v1/topics/dr-failover/partitions/0/records?offset=4", null, null)
                    .status()).isEqualTo(416);
            assertThat(firstOffsetFromEarliest("dr-failover")).isEqualTo(5);
        } finally {
            cluster.processes().start(LocalCluster.partition(leader));
        }
    }

    @Test
    void listOffsetsMaxTimestampFindsTheFirstRecordWithTheLargestTimestamp() throws Exception {
        cluster.createTopic("dr-max-timestamp", 1, 3, Map.of());
        StringBuilder body = new StringBuilder("[");
        long[] timestamps = {1_000, 5_000, 3_000, 5_000, 2_000};
        for (int i = 0; i < timestamps.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"value\":\"v").append(i).append("\",\"timestamp\":")
                    .append(timestamps[i]).append('}');
        }
        GatewayCluster.Response produced = cluster.postJson("/v1/topics/dr-max-timestamp/records?acks=all",
                body.append(']').toString());
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);
        TopicPartition tp = new TopicPartition("dr-max-timestamp", 0);

        ListOffsetsResultInfo max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp())).partitionResult(tp).get();
        ListOffsetsResultInfo earliestLocal = admin.listOffsets(Map.of(tp, OffsetSpec.earliestLocal()))
                .partitionResult(tp).get();

        assertThat(max.offset()).isEqualTo(1);
        assertThat(max.timestamp()).isEqualTo(5_000);
        assertThat(earliestLocal.offset()).isZero();
    }

    /** kafka-delete-records, whose main declares Exception. */
    private static void deleteRecordsCommand(String[] args) {
        try {
            DeleteRecordsCommand.main(args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void produce(String topic, int records) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            values.add("{\"value\":\"r" + i + "\",\"partition\":" + (i % partitions(topic)) + "}");
        }
        GatewayCluster.Response produced = cluster.postJson("/v1/topics/" + topic + "/records?acks=all",
                "[" + String.join(",", values) + "]");
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);
    }

    private static int partitions(String topic) {
        return cluster.describe(topic).path("partition_count").asInt();
    }

    private static long logStart(String topic, int partition) {
        return cluster.describe(topic).path("partitions").get(partition).path("log_start_offset").asLong(-1);
    }

    /** Waits until the coordinator names another leader and the gateway serves the partition from it. */
    private static void awaitLeaderOtherThan(String topic, int old) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var partition = cluster.describe(topic).path("partitions").get(0);
            if (partition.path("leader").asInt(old) != old && partition.path("log_start_offset").isNumber()) {
                return;
            }
            GatewayCluster.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError(topic + " still has no leader other than " + old);
    }

    /** The offset of the first record a consumer reads from the earliest offset. */
    private static long firstOffsetFromEarliest(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    return record.offset();
                }
            }
            throw new AssertionError("No record of " + topic + " read from the earliest offset");
        }
    }
}
