package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.S3Server;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Tiered storage on real processes, against a real S3-compatible server (s3proxy, a process of the test's own): a
 * topic with 1 MiB segments and a local retention of 2 MiB takes many times its local size from Kafka's idempotent
 * acks=all producer. Its leader is SIGKILLed while it copies, and the object store is SIGKILLed and started again
 * while records keep coming. Then: every node's local log of the partition stays within a few segments, the whole log
 * still starts at offset 0 (ListOffsets earliest) while the local one starts far above it (earliest local), and a
 * Kafka consumer and an HTTP reader each read every acknowledged record from offset 0, once and in order, most of
 * them from object storage. Then Kafka's DeleteRecords far below the local logs moves the whole log's start: the
 * records below it are read by no one, and the remote segments wholly below it leave the store.
 */
class TieredStorageIT {

    private static final String TOPIC = "tiered";
    private static final String BUCKET = "sluice-tiered";
    private static final int SEGMENT_BYTES = 1024 * 1024;
    private static final int RECORD_BYTES = 1000;
    /** About 14 MiB: seven times the local retention on each replica. */
    private static final int RECORDS_PER_PHASE = 5_000;

    @TempDir
    static Path s3Dir;
    private static S3Server s3;
    private static SluiceCluster cluster;

    @BeforeAll
    static void start() throws IOException {
        s3 = S3Server.start(s3Dir);
        Files.createDirectories(s3.bucketDirectory(BUCKET));
        cluster = SluiceCluster.builder("tiered").nodes(3).withGateway().directDataPath()
                .jvmOptions(SluiceCluster.testJvm("256m"))
                .args(ServiceKind.COORDINATOR, "--sluice.coordinator.session-timeout=4s",
                        "--sluice.coordinator.heartbeat-interval=500ms", "--sluice.coordinator.remote-storage-enabled=true")
                .args(ServiceKind.PARTITION, "--sluice.partition.replication.lag-time-max=3s",
                        "--sluice.partition.housekeeping.retention-check-interval=500ms",
                        "--sluice.partition.remote-storage.enabled=true",
                        "--sluice.partition.remote-storage.endpoint=" + s3.endpoint(),
                        "--sluice.partition.remote-storage.bucket=" + BUCKET,
                        "--sluice.partition.remote-storage.access-key=" + S3Server.ACCESS_KEY,
                        "--sluice.partition.remote-storage.secret-key=" + S3Server.SECRET_KEY,
                        "--sluice.partition.remote-storage.copy-interval=500ms",
                        "--sluice.partition.remote-storage.request-timeout=5s")
                .start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void historyBeyondTheLocalDisksIsReadFromObjectStorageThroughALeaderKillAndAStoreOutage() throws Exception {
        GatewayHttp.Response created = GatewayHttp.post(cluster.gatewayUrl(), "/v1/topics", "{\"name\":\"" + TOPIC
                + "\",\"partition_count\":1,\"replication_factor\":3,\"configs\":["
                + "{\"name\":\"remote.storage.enable\",\"value\":\"true\"},"
                + "{\"name\":\"segment.bytes\",\"value\":\"" + SEGMENT_BYTES + "\"},"
                + "{\"name\":\"local.retention.bytes\",\"value\":\"" + 2 * SEGMENT_BYTES + "\"},"
                + "{\"name\":\"retention.ms\",\"value\":\"-1\"},"
                + "{\"name\":\"min.insync.replicas\",\"value\":\"2\"}]}");
        assertThat(created.status()).as(created.text()).isBetween(200, 299);
        List<String> acknowledged = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            produce(producer, run, 0, acknowledged);
            awaitFirstSegmentDeletedAtTheLeader();

            // The leader dies while it copies: the records keep coming, and its successor copies on.
            PartitionState before = partition();
            cluster.kill(before.leader());
            produce(producer, run, 1, acknowledged);
            Waits.await("a new leader", Duration.ofSeconds(30), () -> {
                PartitionState now = partition();
                return now.hasLeader() && now.leader() != before.leader() ? now : null;
            });
            cluster.start(before.leader());

            // The object store goes away: writes go on, local segments stay; then it comes back.
            s3.kill();
            produce(producer, run, 2, acknowledged);
            s3.restart();
            produce(producer, run, 3, acknowledged);
        }

        long logEnd = acknowledged.size();
        Waits.await("every replica's local log within a few segments, the rest copied", Duration.ofSeconds(120),
                () -> {
                    for (int node = 1; node <= 3; node++) {
                        if (localLogBytes(node) > 5L * SEGMENT_BYTES) {
                            return null;
                        }
                    }
                    return Boolean.TRUE;
                });
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset())
                    .as("the whole log's start").isZero();
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliestLocal())).partitionResult(tp).get().offset())
                    .as("the leader's local log's start").isGreaterThan(logEnd / 2);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latestTiered())).partitionResult(tp).get().offset())
                    .as("the last offset copied").isBetween(logEnd / 2, logEnd - 1);
        }

        assertThat(readWithKafka(0, acknowledged.size())).as("read with Kafka's consumer from offset 0")
                .containsExactlyElementsOf(acknowledged);
        assertThat(readOverHttp(logEnd)).as("read over HTTP from offset 0").containsExactlyElementsOf(acknowledged);
        long copiedSegments = remoteSegmentObjects();
        assertThat(copiedSegments).as("segments in object storage").isGreaterThanOrEqualTo(8);

        // DeleteRecords far below the local logs: the remote records below the offset are never read again, and
        // the remote segments wholly below it are deleted from the store.
        int deleteBelow = acknowledged.size() / 4;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            assertThat(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(deleteBelow))).lowWatermarks()
                    .get(tp).get().lowWatermark()).as("DeleteRecords' low watermark").isEqualTo(deleteBelow);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset())
                    .as("the whole log's start after DeleteRecords").isEqualTo(deleteBelow);
        }
        assertThat(readWithKafka(deleteBelow, acknowledged.size() - deleteBelow))
                .as("read with Kafka's consumer from the beginning after DeleteRecords")
                .containsExactlyElementsOf(acknowledged.subList(deleteBelow, acknowledged.size()));
        GatewayHttp.Response below = GatewayHttp.get(cluster.gatewayUrl(), "/v1/topics/" + TOPIC
                + "/partitions/0/records?offset=" + (deleteBelow - 1) + "&value_format=string");
        assertThat(below.status()).as(below.text()).isEqualTo(416);
        assertThat(below.text()).contains("OFFSET_OUT_OF_RANGE");
        long recordsPerSegment = SEGMENT_BYTES / (RECORD_BYTES + 100);
        Waits.await("the remote segments wholly below the deleted offset deleted", Duration.ofSeconds(60),
                () -> remoteSegmentObjects() <= copiedSegments - (deleteBelow / recordsPerSegment - 1) ? true : null);
        Figures.report("tiered storage: %d records (%d MiB) in a topic keeping 2 MiB locally, read back from offset 0 "
                + "over Kafka and HTTP after a leader SIGKILL and an object store outage", logEnd,
                logEnd * RECORD_BYTES >> 20);
    }

    private static void produce(KafkaProducer<String, String> producer, String run, int phase, List<String> into)
            throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < RECORDS_PER_PHASE; i++) {
            String value = value(run, phase, i);
            values.add(value);
            sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, value)));
        }
        for (Future<?> future : sent) {
            future.get(120, TimeUnit.SECONDS);
        }
        into.addAll(values);
    }

    private static String value(String run, int phase, int i) {
        String head = run + "-" + phase + "-" + i + "-";
        return head + "x".repeat(RECORD_BYTES - head.length());
    }

    /** Waits until the partition's leader has deleted its first local segment (so reads from 0 go to the store). */
    private static void awaitFirstSegmentDeletedAtTheLeader() {
        Waits.await("the leader's first local segment deleted after its copy", Duration.ofSeconds(60), () -> {
            PartitionState now = partition();
            return now.hasLeader() && Files.isDirectory(partitionDir(now.leader()))
                    && !Files.exists(partitionDir(now.leader()).resolve("%020d.log".formatted(0))) ? Boolean.TRUE : null;
        });
    }

    private static PartitionState partition() {
        return cluster.coordinator().describeTopic(TOPIC).partition(0);
    }

    private static Path partitionDir(int node) {
        return cluster.dataDir(node).resolve(TOPIC + "-0");
    }

    private static long localLogBytes(int node) {
        Path dir = partitionDir(node);
        if (!Files.isDirectory(dir)) {
            return Long.MAX_VALUE;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long remoteSegmentObjects() {
        try (Stream<Path> objects = Files.walk(s3.bucketDirectory(BUCKET))) {
            return objects.filter(file -> file.toString().endsWith(".log")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code count} records from the beginning of the log, which must be {@code from}. */
    private static List<String> readWithKafka(long from, int count) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (read.size() < count) {
                assertThat(System.nanoTime()).as("%d of %d records read within 120 s", read.size(), count)
                        .isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.offset()).as("offsets in order, none skipped").isEqualTo(from + read.size());
                    read.add(record.value());
                }
            }
        }
        return read;
    }

    private static List<String> readOverHttp(long logEnd) {
        List<String> read = new ArrayList<>();
        long offset = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (offset < logEnd) {
            assertThat(System.nanoTime()).as("read to %d within 120 s, at %d", logEnd, offset).isLessThan(deadline);
            GatewayHttp.Response page = GatewayHttp.get(cluster.gatewayUrl(), "/v1/topics/" + TOPIC
                    + "/partitions/0/records?offset=" + offset + "&value_format=string&max_records=2000");
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            JsonNode body = SluiceJson.mapper().readTree(page.text());
            for (JsonNode record : body.get("records")) {
                read.add(record.get("value").asString());
            }
            offset = body.get("next_offset").asLong();
        }
        return read;
    }

    private static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 110_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }
}
