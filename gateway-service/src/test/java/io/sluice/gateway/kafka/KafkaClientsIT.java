package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.testing.Waits;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.gateway.testing.SseStream;
import io.sluice.kafka.TopicIds;
import io.sluice.launcher.LocalCluster;
import io.sluice.protocol.partition.DefaultPartitioner;
import io.sluice.testing.Commands;
import io.sluice.testing.KafkaWire;
import io.sluice.testing.RequiredTools;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.tools.ClientCompatibilityTest;
import org.apache.kafka.tools.ProducerPerformance;
import org.apache.kafka.tools.VerifiableProducer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Kafka's own client (kafka-clients from Maven Central) against the gateway's Kafka listener, with real processes: a
 * coordinator, three partition services and the gateway jar. Produce and consume (idempotent, acks=all, every
 * compression type), offsets by time, one log read and written by both protocols, bad frames, Kafka's producer tools
 * (kafka-tools: the verifiable producer, the producer benchmark, the client compatibility check), fetch sessions
 * (KIP-227), and last a leader SIGKILLed under an idempotent producer (the shared cluster starts it again after the
 * test).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedGatewayCluster.class)
class KafkaClientsIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        // Kafka's clients log every configuration they are made with: keep their warnings only.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        cluster = shared;
    }

    @Test
    @Order(1)
    void theGatewayIsTheClustersOneBrokerAndController() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            DescribeClusterResult described = admin.describeCluster();
            assertThat(described.nodes().get()).singleElement()
                    .satisfies(node -> assertThat(node.host() + ":" + node.port()).isEqualTo(cluster.kafkaBootstrap()));
            assertThat(described.clusterId().get()).isEqualTo("sluice");
            assertThat(described.controller().get().id()).isEqualTo(0);
        }
    }

    @Test
    @Order(2)
    void anIdempotentProducersRecordsAreConsumedInOrderNoneLostNoneTwiceEachOnItsMurmur2Partition() {
        String topic = "kafka-idempotent";
        cluster.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "2"));
        int count = 20_000;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, key(i), value(i))));
            }
            producer.flush();
        }
        Map<Integer, List<Integer>> acknowledged = new HashMap<>();
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = get(sent.get(i));
            assertThat(metadata.partition()).as("record %d's partition", i)
                    .isEqualTo(DefaultPartitioner.partitionForKey(key(i), 3));
            acknowledged.computeIfAbsent(metadata.partition(), p -> new ArrayList<>()).add(i);
        }
        Map<Integer, List<Integer>> consumed = consumeAll(topic, 3, count);
        assertThat(consumed).isEqualTo(acknowledged);
        assertThat(cluster.highWatermarks(topic).stream().mapToLong(Long::longValue).sum()).isEqualTo(count);
    }

    @Test
    @Order(2)
    void aPlainProducersPipelinedRequestsKeepTheirOrderOnEachPartition() {
        // Five requests in flight and no sequence numbers: only the listener's request order keeps the records' order.
        String topic = "kafka-pipelined";
        cluster.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "2"));
        int count = 20_000;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                "false", "max.in.flight.requests.per.connection", "5",
                ProducerConfig.BATCH_SIZE_CONFIG, "4096", ProducerConfig.LINGER_MS_CONFIG, "0"))) {
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, key(i), value(i))));
            }
            producer.flush();
        }
        Map<Integer, List<Integer>> acknowledged = new HashMap<>();
        for (int i = 0; i < count; i++) {
            acknowledged.computeIfAbsent(get(sent.get(i)).partition(), p -> new ArrayList<>()).add(i);
        }
        assertThat(consumeAll(topic, 3, count)).as("each partition's records in the order they were sent")
                .isEqualTo(acknowledged);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    @Order(3)
    void everyCompressionTypeRoundTrips(String compression) {
        String topic = "kafka-compression-" + compression;
        cluster.createTopic(topic, 1, 3, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG,
                compression, ProducerConfig.LINGER_MS_CONFIG, "20"))) {
            List<Future<RecordMetadata>> sent = IntStream.range(0, 500)
                    .mapToObj(i -> producer.send(new ProducerRecord<>(topic, 0, key(i), value(i)))).toList();
            sent.forEach(KafkaClientsIT::get);
        }
        assertThat(consumeAll(topic, 1, 500).get(0)).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
    }

    @Test
    @Order(4)
    void aRecordProducedOverHttpIsTheSameRecordToAKafkaConsumer() {
        String topic = "kafka-from-http";
        cluster.createTopic(topic, 3, 3, Map.of());
        long timestamp = 1_700_000_000_123L;
        Response produced = cluster.postJson("/v1/topics/" + topic + "/records?key_format=string&value_format=string",
                "[{\"key\": \"user-42\", \"value\": \"hello \u00fc\", \"timestamp\": " + timestamp
                        + ", \"headers\": [{\"key\": \"h1\", \"value\": \"v1\"}, {\"key\": \"h1\", \"value\": \"v2\"}]}]");
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);
        JsonNode result = produced.json().path("results").get(0);
        int partition = result.path("partition").asInt();
        assertThat(partition).isEqualTo(DefaultPartitioner.partitionForKey("user-42".getBytes(StandardCharsets.UTF_8), 3));

        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, result.path("offset").asLong());
            ConsumerRecord<byte[], byte[]> record = pollOne(consumer);
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("user-42");
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("hello \u00fc");
            assertThat(record.timestamp()).isEqualTo(timestamp);
            assertThat(record.headers().toArray()).containsExactly(
                    new RecordHeader("h1", "v1".getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader("h1", "v2".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    @Order(5)
    void aRecordProducedByAKafkaProducerIsTheSameRecordOverHttpNdjsonAndSse() {
        String topic = "kafka-to-http";
        cluster.createTopic(topic, 3, 3, Map.of());
        long timestamp = 1_700_000_000_456L;
        RecordMetadata metadata;
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, timestamp,
                    "order-7".getBytes(StandardCharsets.UTF_8), "{\"total\": 12.5}".getBytes(StandardCharsets.UTF_8));
            record.headers().add("trace", "abc".getBytes(StandardCharsets.UTF_8));
            metadata = get(producer.send(record));
        }
        assertThat(metadata.partition()).isEqualTo(DefaultPartitioner.partitionForKey(
                "order-7".getBytes(StandardCharsets.UTF_8), 3));
        Response read = cluster.call("GET", "/v1/topics/" + topic + "/partitions/" + metadata.partition()
                + "/records?offset=" + metadata.offset() + "&max_records=1&key_format=string&value_format=string"
                + "&header_format=string", null, null);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        JsonNode record = read.json().path("records").get(0);
        assertThat(record.path("key").asString()).isEqualTo("order-7");
        assertThat(record.path("value").asString()).isEqualTo("{\"total\": 12.5}");
        assertThat(record.path("timestamp").asLong()).isEqualTo(timestamp);
        assertThat(record.path("offset").asLong()).isEqualTo(metadata.offset());
        assertThat(record.path("headers").toString()).contains("trace").contains("abc");

        // The same record as an NDJSON line and as an SSE event.
        String query = "/v1/topics/" + topic + "/partitions/" + metadata.partition() + "/records?offset="
                + metadata.offset() + "&key_format=string&value_format=string&header_format=string";
        HttpRequest ndjson = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + query + "&max_records=1"))
                .header("Accept", "application/x-ndjson").timeout(Duration.ofSeconds(30)).build();
        JsonNode line = GatewayCluster.JSON.readTree(send(ndjson).lines().findFirst().orElseThrow());
        assertThat(line.path("key").asString()).isEqualTo("order-7");
        assertThat(line.path("value").asString()).isEqualTo("{\"total\": 12.5}");
        assertThat(line.path("timestamp").asLong()).isEqualTo(timestamp);
        try (SseStream stream = SseStream.open(cluster.http(), URI.create(cluster.gatewayUrl() + query), null, 16)) {
            SseStream.Event event = stream.next(Duration.ofSeconds(30));
            while (!"record".equals(event.event())) {
                event = stream.next(Duration.ofSeconds(30));
            }
            JsonNode streamed = GatewayCluster.JSON.readTree(event.data());
            assertThat(streamed.path("key").asString()).isEqualTo("order-7");
            assertThat(streamed.path("value").asString()).isEqualTo("{\"total\": 12.5}");
            assertThat(streamed.path("timestamp").asLong()).isEqualTo(timestamp);
            assertThat(streamed.path("headers").toString()).contains("trace").contains("abc");
        }
    }

    private static String send(HttpRequest request) {
        try {
            HttpResponse<String> response = cluster.http().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(6)
    void offsetsAreFoundByTimeAndAtBothEnds() {
        String topic = "kafka-offsets";
        cluster.createTopic(topic, 1, 3, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        long t0 = 1_700_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                get(producer.send(new ProducerRecord<>(topic, 0, t0 + i * 1000L, key(i), value(i))));
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            assertThat(consumer.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(consumer.endOffsets(List.of(tp))).containsEntry(tp, 10L);
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(tp, t0 + 4500));
            assertThat(found.get(tp).offset()).isEqualTo(5);
            assertThat(found.get(tp).timestamp()).isEqualTo(t0 + 5000);
            assertThat(consumer.offsetsForTimes(Map.of(tp, t0 + 60_000)).get(tp)).isNull();

            // A seek into the middle of a batch starts at that record.
            consumer.assign(List.of(tp));
            consumer.seek(tp, 7);
            assertThat(pollOne(consumer).offset()).isEqualTo(7);
        }
    }

    @Test
    @Order(7)
    void anApiVersionsRequestOfAVersionTooNewIsAnsweredInVersionZeroWithTheVersionsToUse() throws IOException {
        try (Socket socket = connect()) {
            RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, (short) 99, "probe", 7);
            // The body of an unknown version is not read: an empty v3 body stands in for it.
            ByteBuffer body = new ApiVersionsRequest.Builder(new ApiVersionsRequestData(), (short) 3, (short) 3)
                    .build((short) 3).serialize().buffer();
            ByteBuffer headerBytes = ByteBuffer.allocate(64);
            headerBytes.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(7).putShort((short) 5)
                    .put("probe".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).flip();
            send(socket, headerBytes, body);
            ByteBuffer answer = receive(socket);
            assertThat(ResponseHeader.parse(answer, (short) 0).correlationId()).isEqualTo(header.correlationId());
            ApiVersionsResponse response = ApiVersionsResponse.parse(
                    new org.apache.kafka.common.protocol.ByteBufferAccessor(answer), (short) 0);
            assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
            assertThat(response.data().apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion())
                    .isEqualTo(ApiKeys.API_VERSIONS.latestVersion());
            assertThat(response.data().apiKeys().find(ApiKeys.PRODUCE.id)).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "unknown-api-key", "oversized", "truncated-body", "negative-size"})
    @Order(8)
    void aBadFrameClosesOnlyItsOwnConnectionAndAppendsNothing(String shape) throws Exception {
        String topic = "kafka-bad-frames";
        if (cluster.call("GET", "/v1/topics/" + topic, null, null).status() == 404) {
            cluster.createTopic(topic, 1, 3, Map.of());
        }
        List<Long> before = cluster.highWatermarks(topic);
        try (Socket healthy = connect(); Socket bad = connect()) {
            ByteBuffer frame = switch (shape) {
                // A Produce v9 header, then bytes that are no produce body.
                case "garbage" -> ByteBuffer.wrap(new byte[] {0, 0, 0, 16, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 7, 7, 7, 7,
                        7});
                case "unknown-api-key" -> ByteBuffer.allocate(16).putInt(12).putShort((short) 9999).putShort((short) 0)
                        .putInt(1).putShort((short) -1).putShort((short) 0).flip();
                case "oversized" -> ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0).flip();
                case "negative-size" -> ByteBuffer.allocate(8).putInt(-5).putInt(0).flip();
                // A produce request for the topic whose body stops half-way: its size says so.
                case "truncated-body" -> truncatedProduce(topic);
                default -> throw new IllegalArgumentException(shape);
            };
            bad.getOutputStream().write(frame.array(), 0, frame.limit());
            bad.getOutputStream().flush();
            assertThat(closedByPeer(bad)).as("the bad connection is closed").isTrue();

            // The other connection still answers.
            send(healthy, apiVersionsRequest(11));
            ByteBuffer answer = receive(healthy);
            assertThat(ResponseHeader.parse(answer, (short) 0).correlationId()).isEqualTo(11);
        }
        assertThat(cluster.highWatermarks(topic)).isEqualTo(before);
    }

    /**
     * kcat (Debian's package: librdkafka, a client not written in Java) lists the cluster, produces keyed records —
     * with librdkafka's murmur2 partitioner they land where Kafka's Java client puts the same keys — and consumes
     * what Kafka's Java producer wrote.
     */
    @Test
    @Order(9)
    void kcatListsProducesAndConsumes() throws Exception {
        RequiredTools.require("kcat", "kcat");
        String topic = "kafka-kcat";
        cluster.createTopic(topic, 3, 3, Map.of());

        String metadata = run(List.of("-L", "-t", topic), "");
        assertThat(metadata).contains("broker 0 at " + cluster.kafkaBootstrap()).contains("topic \"" + topic
                + "\" with 3 partitions");

        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("key-").append(i).append(':').append("kcat-").append(i).append('\n');
        }
        run(List.of("-P", "-t", topic, "-K", ":", "-X", "partitioner=murmur2_random"), lines.toString());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> all = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<String, Integer> placed = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (placed.size() < 30 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    placed.put(new String(record.key(), StandardCharsets.UTF_8), record.partition());
                }
            }
            assertThat(placed).hasSize(30).allSatisfy((key, partition) -> assertThat(partition).as(key)
                    .isEqualTo(DefaultPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 3)));
        }

        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            get(producer.send(new ProducerRecord<>(topic, 1, null, "from-java".getBytes(StandardCharsets.UTF_8))));
        }
        String consumed = run(List.of("-C", "-t", topic, "-p", "1", "-o", "beginning", "-e", "-q", "-f", "%s\\n"), "");
        assertThat(consumed.lines().toList()).contains("from-java")
                .hasSize(1 + (int) IntStream.range(0, 30).filter(i -> DefaultPartitioner.partitionForKey(
                        ("key-" + i).getBytes(StandardCharsets.UTF_8), 3) == 1).count());
    }

    /**
     * kcat as a member of a consumer group (librdkafka's balanced consumer, {@code -G}: the classic protocol with its
     * own assignor) reads every record of a three-partition topic, and the group's committed offsets, as Kafka's admin
     * client reads them after kcat closed, are the partitions' ends.
     */
    @Test
    @Order(9)
    void kcatReadsATopicAsAGroupMemberAndCommitsItsEnds() throws Exception {
        RequiredTools.require("kcat", "kcat");
        String topic = "kafka-kcat-group";
        String group = "kcat-group";
        cluster.createTopic(topic, 3, 3, Map.of());
        List<String> written = IntStream.range(0, 60).mapToObj(i -> "grouped-" + i).toList();
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < written.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % 3, null,
                        written.get(i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        String consumed = run(List.of("-G", group, "-X", "auto.offset.reset=earliest", "-e", "-q", "-f", "%s\\n",
                topic), "");
        assertThat(consumed.lines().toList()).containsExactlyInAnyOrderElementsOf(written);
        try (Admin admin = admin(cluster.kafkaBootstrap())) {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .forEach((partition, offset) -> committed.put(partition, offset.offset()));
            assertThat(committed).as("the group's committed offsets").isEqualTo(Map.of(
                    new TopicPartition(topic, 0), 20L, new TopicPartition(topic, 1), 20L,
                    new TopicPartition(topic, 2), 20L));
        }
    }

    /**
     * Kafka's verifiable producer (kafka-tools), in a JVM of its own: it leaves a shutdown hook that flushes and
     * prints its summary as its JVM ends. It sends without retries, so every record is acknowledged once, in the order
     * sent on its key's partition.
     */
    @Test
    @Order(10)
    void kafkasVerifiableProducerHasEveryRecordAcknowledgedAndEachIsReadBackInOrderOnItsPartition() {
        String topic = "tool-verifiable-producer";
        cluster.createTopic(topic, 3, 3, Map.of());
        int count = 1000;

        KafkaTools.ToolRun run = KafkaTools.runInJvm(VerifiableProducer.class, "--topic", topic, "--bootstrap-server",
                cluster.kafkaBootstrap(), "--max-messages", String.valueOf(count), "--acks", "-1",
                "--repeating-keys", "100");

        assertThat(run.exitCode()).isZero();
        List<JsonNode> events = run.out().lines().filter(line -> line.startsWith("{"))
                .map(line -> GatewayCluster.JSON.readTree(line)).toList();
        assertThat(events).extracting(event -> event.path("name").asString()).doesNotContain("producer_send_error")
                .contains("startup_complete", "shutdown_complete");
        JsonNode summary = events.stream().filter(event -> "tool_data".equals(event.path("name").asString()))
                .findFirst().orElseThrow();
        assertThat(summary.path("sent").asLong()).isEqualTo(count);
        assertThat(summary.path("acked").asLong()).isEqualTo(count);
        Map<Integer, java.util.TreeMap<Long, Integer>> acknowledged = new HashMap<>();
        for (JsonNode sent : events) {
            if ("producer_send_success".equals(sent.path("name").asString())) {
                int partition = sent.path("partition").asInt();
                assertThat(partition).isEqualTo(DefaultPartitioner.partitionForKey(
                        sent.path("key").asString().getBytes(StandardCharsets.UTF_8), 3));
                assertThat(acknowledged.computeIfAbsent(partition, p -> new java.util.TreeMap<>())
                        .put(sent.path("offset").asLong(), Integer.parseInt(sent.path("value").asString()))).isNull();
            }
        }
        Map<Integer, List<Integer>> inOffsetOrder = new HashMap<>();
        acknowledged.forEach((partition, values) -> {
            assertThat(values.keySet()).as("partition %d's offsets", partition)
                    .containsExactlyElementsOf(LongStream.range(0, values.size()).boxed().toList());
            assertThat(List.copyOf(values.values())).as("partition %d in the order sent", partition).isSorted();
            inOffsetOrder.put(partition, List.copyOf(values.values()));
        });
        assertThat(inOffsetOrder.values().stream().mapToInt(List::size).sum()).isEqualTo(count);
        assertThat(consumeAll(topic, 3, count, KafkaClientsIT::plainNumber)).isEqualTo(inOffsetOrder);
        assertThat(cluster.highWatermarks(topic).stream().mapToLong(Long::longValue).sum()).isEqualTo(count);
    }

    /** Kafka's producer benchmark as a smoke test: it reports every record sent, and each is read back once. */
    @Test
    @Order(11)
    void kafkasProducerPerformanceToolHasEveryRecordAcknowledgedAndEachIsReadBackOnce() {
        String topic = "tool-producer-performance";
        cluster.createTopic(topic, 3, 3, Map.of());
        int count = 5000;

        KafkaTools.ToolRun run = KafkaTools.run(ProducerPerformance::main, "--topic", topic, "--bootstrap-server",
                cluster.kafkaBootstrap(), "--num-records", String.valueOf(count), "--payload-monotonic",
                "--throughput", "-1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).doesNotContain("Exception");
        assertThat(run.out().lines().toList().getLast()).startsWith(count + " records sent, ");
        Map<Integer, List<Integer>> consumed = consumeAll(topic, 3, count, KafkaClientsIT::plainNumber);
        consumed.forEach((partition, values) -> assertThat(values).as("partition %d", partition).isSorted());
        assertThat(consumed.values().stream().flatMap(List::stream).sorted().toList())
                .containsExactlyElementsOf(IntStream.range(0, count).boxed().toList());
    }

    /**
     * Kafka's client compatibility check (kafka-tools), with every feature it checks that Sluice serves without
     * consumer groups (it consumes with assign()): cluster id, one node, broker configs, topic creation, ACL listing,
     * offsets by time, an idempotent producer, a record larger than max.partition.fetch.bytes read whole (KIP-74).
     * Its consumer gives up 10 s after the tool started: the tool's own limit.
     */
    @Test
    @Order(12)
    void kafkasClientCompatibilityTestFindsEveryFeatureItChecksSupported() {
        cluster.createTopic("tool-client-compatibility", 1, 3, Map.of());

        KafkaTools.ToolRun run = KafkaTools.run(ClientCompatibilityTest::main, "--topic", "tool-client-compatibility",
                "--bootstrap-server", cluster.kafkaBootstrap(), "--num-cluster-nodes", "1",
                "--cluster-id-supported", "true", "--offsets-for-times-supported", "true",
                "--expect-record-too-large-exception", "false", "--create-topics-supported", "true",
                "--describe-acls-supported", "true", "--describe-configs-supported", "true",
                "--idempotent-producer-supported", "true");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("SUCCESS.").doesNotContain("FAILED");
        assertThat(cluster.describe("newtopic").path("partition_count").asInt()).isEqualTo(1);
        assertThat(cluster.highWatermarks("tool-client-compatibility")).containsExactly(2L);
    }

    /**
     * Fetch sessions (KIP-227) on one connection: a full fetch opens one; an incremental fetch names only what changed
     * and is answered only with partitions that have news (nothing while the partition is idle, its new record once
     * one is written); a session or epoch the connection does not hold is refused whole, as on a new connection.
     */
    @Test
    @Order(13)
    void aFetchSessionAnswersOnlyPartitionsWithNewsAndRefusesSessionsItDoesNotHold() throws IOException {
        String topic = "kafka-fetch-sessions";
        cluster.createTopic(topic, 2, 3, Map.of());
        produceString(topic, "in-session");
        Uuid topicId = TopicIds.of(cluster.describe(topic).path("topic_id").asString());
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            FetchResponse opened = fetch(connection, topicId, 0, FetchMetadata.INITIAL_EPOCH, 0L, 0L);
            assertThat(opened.error()).isEqualTo(Errors.NONE);
            int session = opened.sessionId();
            assertThat(session).as("a session is opened").isNotZero();
            assertThat(values(opened)).containsExactly("in-session");
            assertThat(opened.data().responses().getFirst().partitions()).as("both partitions, full").hasSize(2);

            FetchResponse idle = fetch(connection, topicId, session, 1, 1L, null);
            assertThat(idle.error()).isEqualTo(Errors.NONE);
            assertThat(idle.sessionId()).isEqualTo(session);
            assertThat(idle.data().responses()).as("nothing new in either partition").isEmpty();

            produceString(topic, "later");
            FetchResponse news = fetch(connection, topicId, session, 2, null, null);
            assertThat(values(news)).as("from the position the session kept").containsExactly("later");
            assertThat(news.data().responses().getFirst().partitions()).extracting(p -> p.partitionIndex())
                    .containsExactly(0);

            assertThat(fetch(connection, topicId, session + 1, 3, null, null).error())
                    .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
            assertThat(fetch(connection, topicId, session, 7, null, null).error())
                    .isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        }
        try (KafkaWire.Connection other = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            assertThat(fetch(other, topicId, 1234, 1, 0L, null).error()).as("another connection's session")
                    .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
            FetchResponse full = fetch(other, topicId, 1234, FetchMetadata.FINAL_EPOCH, 0L, null);
            assertThat(full.sessionId()).as("a final full fetch opens no session").isZero();
            assertThat(values(full)).containsExactly("in-session", "later");
        }
    }

    private static void produceString(String topic, String value) {
        Response produced = cluster.postJson("/v1/topics/" + topic + "/records?value_format=string",
                "[{\"value\": \"" + value + "\", \"partition\": 0}]");
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);
    }

    private static List<String> values(FetchResponse response) {
        List<String> values = new ArrayList<>();
        for (var topic : response.data().responses()) {
            for (var partition : topic.partitions()) {
                assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
                FetchResponse.recordsOrFail(partition).records().forEach(record ->
                        values.add(StandardCharsets.UTF_8.decode(record.value()).toString()));
            }
        }
        return values;
    }

    /**
     * A consumer reading two partitions, one drained while the other still streams in small fetches: records written
     * to the drained one meanwhile reach it, and none of either partition is lost or read twice. (The gateway reads a
     * drained partition ahead too and may answer it from that; a Fetch must still see what arrives there.)
     */
    @Test
    @Order(14)
    void recordsWrittenToADrainedPartitionWhileAnotherStreamsReachTheConsumer() {
        String topic = "kafka-drained-partition";
        cluster.createTopic(topic, 2, 3, Map.of());
        int streaming = 4000;
        int late = 10;
        Properties small = new Properties();
        small.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "32768");
        Map<Integer, List<Integer>> consumed = new HashMap<>();
        int streamedWhenWritten = -1;
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of());
             KafkaConsumer<byte[], byte[]> consumer = consumer(small)) {
            producer.send(new ProducerRecord<>(topic, 0, null, value(0)));
            for (int i = 1; i <= streaming; i++) {
                producer.send(new ProducerRecord<>(topic, 1, null, kibibyteValue(i)));
            }
            producer.flush();
            List<TopicPartition> both = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(both);
            consumer.seekToBeginning(both);
            int total = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (total < 1 + streaming + late && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    consumed.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(number(record.value()));
                    total++;
                }
                if (streamedWhenWritten < 0 && consumed.containsKey(0)) {
                    streamedWhenWritten = consumed.getOrDefault(1, List.of()).size();
                    for (int i = streaming + 1; i <= streaming + late; i++) {
                        producer.send(new ProducerRecord<>(topic, 0, null, value(i)));
                    }
                    producer.flush();
                }
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                consumed.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(number(record.value()));
            }
        }

        assertThat(streamedWhenWritten).as("records of the streaming partition read when the drained one got more")
                .isBetween(0, streaming - 1);
        assertThat(consumed.get(0)).containsExactlyElementsOf(IntStream.concat(IntStream.of(0),
                IntStream.rangeClosed(streaming + 1, streaming + late)).boxed().toList());
        assertThat(consumed.get(1)).containsExactlyElementsOf(IntStream.rangeClosed(1, streaming).boxed().toList());
    }

    /** A Fetch on {@code connection} naming partition 0 and 1 of the topic at the offsets given (null: not named). */
    private static FetchResponse fetch(KafkaWire.Connection connection, Uuid topicId, int sessionId, int sessionEpoch,
                                       Long offset0, Long offset1) throws IOException {
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(topicId);
        Long[] offsets = {offset0, offset1};
        for (int partition = 0; partition < offsets.length; partition++) {
            if (offsets[partition] != null) {
                topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(partition)
                        .setFetchOffset(offsets[partition]).setPartitionMaxBytes(1 << 20));
            }
        }
        FetchRequestData data = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setSessionId(sessionId).setSessionEpoch(sessionEpoch)
                .setTopics(topic.partitions().isEmpty() ? List.of() : List.of(topic));
        return (FetchResponse) connection.call(ApiKeys.FETCH, new FetchRequest.SimpleBuilder(data));
    }

    @Test
    @Order(90)
    void everyLiveGatewayIsABrokerPartitionsAreSpreadOverThemAndAKilledOneIsLeftBehind() throws Exception {
        cluster.startGateway("gateway-b");
        String first = cluster.kafkaBootstrap();
        String second = cluster.kafkaBootstrap("gateway-b");
        String topic = "kafka-two-gateways";
        cluster.createTopic(topic, 12, 3, Map.of("min.insync.replicas", "2"));
        try (Admin viaFirst = admin(first); Admin viaSecond = admin(second)) {
            // The second gateway's broker id is the next one the cluster gives a gateway: on the shared cluster,
            // gateways of earlier classes may have had some.
            Map<Integer, String> brokers = awaitBrokers(viaFirst, Set.of(first, second));
            assertThat(brokers).as("the brokers the first gateway lists").hasSize(2).containsEntry(0, first)
                    .containsValue(second);
            int secondId = brokers.entrySet().stream().filter(b -> b.getValue().equals(second)).findFirst()
                    .orElseThrow().getKey();
            assertThat(awaitBrokers(viaSecond, Set.of(first, second))).as("the brokers the second gateway lists")
                    .isEqualTo(brokers);
            assertThat(viaFirst.describeCluster().controller().get().id()).isZero();
            Map<Integer, Integer> leaders = leaders(viaFirst, topic);
            assertThat(leaders.values()).as("partition leaders").containsOnly(0, secondId).contains(0, secondId);
            assertThat(leaders(viaSecond, topic)).as("both gateways name the same leaders").isEqualTo(leaders);
        }
        eachGroupAndTransactionIsListedOnceByTheController(first, second);

        // A producer writes through both gateways while the second is killed: it finds its partitions again at the
        // first, and nothing acknowledged is lost or written twice.
        int count = 20_000;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        Map<Integer, Exception> failures = new ConcurrentHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, "5"))) {
            for (int i = 0; i < count; i++) {
                int index = i;
                sent.add(producer.send(new ProducerRecord<>(topic, key(i), value(i)), (m, e) -> {
                    if (e != null) {
                        failures.put(index, e);
                    }
                }));
                if (i == count / 4) {
                    producer.flush();
                    cluster.kill("gateway-b");
                }
            }
            producer.flush();
        }
        assertThat(failures).as("records the producer gave up on").isEmpty();
        Map<Integer, List<Integer>> acknowledged = new HashMap<>();
        for (int i = 0; i < count; i++) {
            acknowledged.computeIfAbsent(get(sent.get(i)).partition(), p -> new ArrayList<>()).add(i);
        }
        assertThat(consumeAll(topic, 12, count)).as("each partition's records, in order, once each")
                .isEqualTo(acknowledged);
        try (Admin viaFirst = admin(first)) {
            assertThat(awaitBrokers(viaFirst, Set.of(first))).as("the brokers once the second gateway is gone")
                    .isEqualTo(Map.of(0, first));
            assertThat(leaders(viaFirst, topic).values()).containsOnly(0);
        }
    }

    /**
     * Kafka's Admin asks every broker for the transactions and groups it coordinates and joins the answers: with two
     * gateways, each transaction and group is listed once, by the controller (gateway 0), and the other gateway lists
     * none.
     */
    private static void eachGroupAndTransactionIsListedOnceByTheController(String first, String second)
            throws Exception {
        String topic = "kafka-two-gateways-listed";
        String transactionalId = "two-gateways-txn";
        String group = "two-gateways-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                transactionalId))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, key(0), value(0)));
            producer.commitTransaction();
        }
        Properties grouped = new Properties();
        grouped.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        grouped.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(grouped); Admin viaSecond = admin(second)) {
            consumer.subscribe(List.of(topic));
            pollOne(consumer);
            assertThat(viaSecond.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).filter(transactionalId::equals))
                    .as("the transaction, as the Admin lists it from both gateways").hasSize(1);
            ListGroupsRequest.Builder listGroups = new ListGroupsRequest.Builder(new ListGroupsRequestData());
            assertThat(((ListGroupsResponse) KafkaWire.call(first, ApiKeys.LIST_GROUPS, listGroups)).data().groups())
                    .extracting(ListGroupsResponseData.ListedGroup::groupId).as("the controller's groups")
                    .contains(group);
            assertThat(((ListGroupsResponse) KafkaWire.call(second, ApiKeys.LIST_GROUPS, listGroups)).data()
                    .groups()).as("the other gateway's groups").isEmpty();
        }
    }

    @Test
    @Order(100)
    void aLeaderKilledUnderAnIdempotentProducerLosesNothingAndDuplicatesNothing() throws Exception {
        String topic = "kafka-failover";
        cluster.createTopic(topic, 3, 3, Map.of("min.insync.replicas", "2"));
        int count = 40_000;
        List<Future<RecordMetadata>> sent = new CopyOnWriteArrayList<>();
        Map<Integer, Exception> failures = new ConcurrentHashMap<>();
        int victim = cluster.leader(topic, 0);
        // A consumer reads along through the kill: after the leader change it validates its positions with
        // OffsetsForLeaderEpoch (KIP-320) before it reads on.
        // On a thread of its own: the common pool (one thread on two cores) also completes the launcher's wait for
        // the killed process to exit.
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
        Future<Map<Integer, List<Integer>>> alongside = reader.submit(() -> consumeAll(topic, 3, count));
        reader.shutdown();
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000"))) {
            for (int i = 0; i < count; i++) {
                int index = i;
                sent.add(producer.send(new ProducerRecord<>(topic, key(i), value(i)), (m, e) -> {
                    if (e != null) {
                        failures.put(index, e);
                    }
                }));
                if (i == count / 3) {
                    cluster.processes().kill(LocalCluster.partition(victim));
                }
            }
            producer.flush();
        }
        assertThat(failures).as("records the producer gave up on").isEmpty();
        Map<Integer, List<Integer>> acknowledged = new HashMap<>();
        for (int i = 0; i < count; i++) {
            acknowledged.computeIfAbsent(get(sent.get(i)).partition(), p -> new ArrayList<>()).add(i);
        }
        Map<Integer, List<Integer>> consumed = consumeAll(topic, 3, count);
        assertThat(consumed).as("each partition's records, in order, once each").isEqualTo(acknowledged);
        assertThat(alongside.get(3, java.util.concurrent.TimeUnit.MINUTES))
                .as("what the consumer reading through the kill got").isEqualTo(acknowledged);
        System.out.printf("[figure] Kafka producer across a leader SIGKILL: %d records acknowledged, %d consumed%n",
                count, consumed.values().stream().mapToInt(List::size).sum());
    }

    // ---- helpers

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** The brokers (id to address) the admin's gateway lists once their addresses are {@code expected}, or at 30 s. */
    private static Map<Integer, String> awaitBrokers(Admin admin, Set<String> expected) throws Exception {
        Map<Integer, String> listed = Map.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            listed = new HashMap<>();
            for (org.apache.kafka.common.Node node : admin.describeCluster().nodes().get()) {
                listed.put(node.id(), node.host() + ":" + node.port());
            }
            if (new HashSet<>(listed.values()).equals(expected) && listed.size() == expected.size()) {
                break;
            }
            Thread.sleep(200);
        }
        return listed;
    }

    /** Each partition's leader, as Metadata names it. */
    private static Map<Integer, Integer> leaders(Admin admin, String topic) throws Exception {
        Map<Integer, Integer> leaders = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(partition -> leaders.put(partition.partition(), partition.leader().id()));
        return leaders;
    }

    private static final java.nio.file.Path KCAT = java.nio.file.Path.of("/usr/bin/kcat");

    /** kcat against the listener with {@code args}, {@code input} on its stdin; its stdout, once it exited 0. */
    private static String run(List<String> args, String input) throws Exception {
        List<String> command = new ArrayList<>(List.of(KCAT.toString(), "-b", cluster.kafkaBootstrap()));
        command.addAll(args);
        Commands.Run run = Commands.run(command, input, Duration.ofSeconds(60));
        assertThat(run.ended()).as("%s ends", command).isTrue();
        assertThat(run.exitCode()).as("%s exit code", command).isZero();
        return run.out();
    }

    /**
     * Client telemetry (KIP-714): a Kafka producer, pushing metrics as it does by default, is given its client instance
     * id and subscription by the gateway, and its pushes (every 2 s, the shared cluster's interval) show on the
     * gateway's Prometheus endpoint: its producer metrics labelled with its client id, instance id and principal, the
     * records it sent counted.
     */
    @Test
    void aProducersPushedMetricsAreOnTheGatewaysPrometheusEndpointUnderItsClientId() throws Exception {
        cluster.createTopic("telemetry", 1, 1, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG,
                "telemetry-producer"))) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("telemetry", ("record-" + i).getBytes())).get(30, TimeUnit.SECONDS);
            }
            Uuid instance = producer.clientInstanceId(Duration.ofSeconds(30));
            String[] page = new String[1];
            String expected = "client_instance_id=\"" + instance + "\"";
            try {
                String sent = Waits.await("the producer's pushed metrics on the Prometheus endpoint",
                        Duration.ofSeconds(30), () -> {
                            Response scraped = cluster.call("GET", "/actuator/prometheus", null, null);
                            assertThat(scraped.status()).as(scraped.text()).isEqualTo(200);
                            page[0] = scraped.text();
                            return page[0].lines()
                                    .filter(line -> line.startsWith("org_apache_kafka_producer_record_send_total{")
                                            && line.contains(expected) && line.endsWith(" 5.0"))
                                    .findFirst().orElse(null);
                        });
                assertThat(sent).contains("client_id=\"telemetry-producer\"", "principal=\"ANONYMOUS\"");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the endpoint's telemetry lines: " + (page[0] == null
                        ? "none" : page[0].lines().filter(line -> line.contains("Telemetry")
                                || line.contains("telemetry-producer")).limit(20).toList()), e);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, String> overrides) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.putAll(overrides);
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return consumer(new Properties());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties overrides) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.putAll(overrides);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Every record of the topic, from the beginning, as record numbers (see {@link #value}) per partition. */
    private static Map<Integer, List<Integer>> consumeAll(String topic, int partitions, int expected) {
        return consumeAll(topic, partitions, expected, KafkaClientsIT::number);
    }

    /** Every record of the topic, from the beginning, as {@code number} reads each value, per partition. */
    private static Map<Integer, List<Integer>> consumeAll(String topic, int partitions, int expected,
                                                          java.util.function.ToIntFunction<byte[]> number) {
        Map<Integer, List<Integer>> consumed = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            int total = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (total < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    consumed.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(number.applyAsInt(record.value()));
                    total++;
                }
            }
            // Anything beyond what was expected would be a duplicate: one more poll shows it.
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                consumed.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(number.applyAsInt(record.value()));
            }
        }
        return consumed;
    }

    /** A value that is a number and nothing else, as Kafka's producer tools write them. */
    private static int plainNumber(byte[] value) {
        return Integer.parseInt(new String(value, StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<byte[], byte[]> pollOne(KafkaConsumer<byte[], byte[]> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(500));
            if (!records.isEmpty()) {
                return records.iterator().next();
            }
        }
        throw new AssertionError("no record within 30 s");
    }

    private static byte[] key(int i) {
        return ("key-" + (i % 997)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i) {
        return ("record-" + i + "-" + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
    }

    /** A value {@link #number} reads, of 1 KiB and more. */
    private static byte[] kibibyteValue(int i) {
        return ("record-" + i + "-" + "x".repeat(1024)).getBytes(StandardCharsets.UTF_8);
    }

    private static int number(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        return Integer.parseInt(text.substring("record-".length(), text.indexOf('-', "record-".length())));
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get(3, java.util.concurrent.TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Socket connect() throws IOException {
        String[] hostPort = cluster.kafkaBootstrap().split(":");
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static ByteBuffer apiVersionsRequest(int correlationId) {
        short version = ApiKeys.API_VERSIONS.latestVersion();
        RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, version, "probe", correlationId);
        ByteBuffer payload = new ApiVersionsRequest.Builder().build(version).serializeWithHeader(header);
        return ByteBuffer.allocate(4 + payload.remaining()).putInt(payload.remaining()).put(payload).flip();
    }

    /** A produce request frame whose declared size is right but whose body stops in the middle of its batch. */
    private static ByteBuffer truncatedProduce(String topic) {
        short version = 9;
        RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, version, "probe", 3);
        var records = org.apache.kafka.common.record.internal.MemoryRecords.withRecords(
                org.apache.kafka.common.compress.Compression.NONE,
                new org.apache.kafka.common.record.internal.SimpleRecord("v".repeat(100).getBytes(StandardCharsets.UTF_8)));
        var data = new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) 1).setTimeoutMs(5000);
        var topicData = new org.apache.kafka.common.message.ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData()
                .setIndex(0).setRecords(records));
        data.topicData().add(topicData);
        ByteBuffer payload = new org.apache.kafka.common.requests.ProduceRequest.Builder(version, version, data)
                .build(version).serializeWithHeader(header);
        int cut = payload.remaining() - 40;
        ByteBuffer frame = ByteBuffer.allocate(4 + cut).putInt(cut);
        frame.put(payload.limit(payload.position() + cut));
        return frame.flip();
    }

    private static void send(Socket socket, ByteBuffer... parts) throws IOException {
        int size = 0;
        for (ByteBuffer part : parts) {
            size += part.remaining();
        }
        boolean framed = parts.length == 1;
        ByteBuffer out = ByteBuffer.allocate((framed ? 0 : 4) + size);
        if (!framed) {
            out.putInt(size);
        }
        for (ByteBuffer part : parts) {
            out.put(part.duplicate());
        }
        OutputStream stream = socket.getOutputStream();
        stream.write(out.array(), 0, out.position());
        stream.flush();
    }

    private static ByteBuffer receive(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] answer = new byte[in.readInt()];
        in.readFully(answer);
        return ByteBuffer.wrap(answer);
    }

    private static boolean closedByPeer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        } catch (EOFException e) {
            return true;
        }
    }
}
