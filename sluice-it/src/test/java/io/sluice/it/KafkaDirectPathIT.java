package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.launcher.ServiceKind;
import io.sluice.protocol.TopicPartition;
import io.sluice.testing.KafkaWire;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.tools.reassign.ReassignPartitionsCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct data path with Kafka's own client, on real processes: the partition services run Kafka listeners of
 * their own, Metadata (asked of the gateway) names each partition's leader node as its leader, and a producer and a
 * consumer group bootstrapped at the gateway produce to and fetch from the leaders themselves — their group, offsets
 * and metadata requests forwarded by the nodes to the gateway. A burst keeps five produce requests in flight on each
 * leader's connection; then the leader of a partition is SIGKILLed under the idempotent acks=all producer: every
 * acknowledged record is read back, once and in order per partition; and a partition is moved off its leader under
 * a producer and a consumer, with the same outcome. Kafka's {@code kafka-reassign-partitions}
 * generates and executes a plan of the nodes' ids, which only the direct path lists as brokers. Bad requests sent
 * raw to a node's listener get Kafka's error codes, or a closed connection, and change nothing. Kafka's Admin lists
 * each group and transaction once, though it asks every broker.
 */
class KafkaDirectPathIT {

    private static final String TOPIC = "direct";
    private static final int PARTITIONS = 3;
    private static final int GATEWAY_BROKER = 0;
    private static final int BURST = 20_000;

    private static SluiceCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = SluiceCluster.builder("kafka-direct").nodes(3).withGateway().directDataPath()
                .jvmOptions(SluiceCluster.testJvm("256m"))
                .args(ServiceKind.COORDINATOR, "--sluice.coordinator.session-timeout=4s",
                        "--sluice.coordinator.heartbeat-interval=500ms")
                .args(ServiceKind.PARTITION, "--sluice.partition.replication.lag-time-max=3s",
                        "--sluice.partition.rack=rack-{node}")
                .start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void kafkaClientsProduceToAndFetchFromTheLeadersThemselvesThroughALeaderKill() throws Exception {
        Map<TopicPartition, List<String>> acknowledged = new HashMap<>();
        int killed;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
            Map<Integer, Node> brokers = Waits.await("the three nodes listed as brokers beside the gateway",
                    Duration.ofSeconds(30), () -> {
                        Map<Integer, Node> listed = get(admin.describeCluster().nodes()).stream()
                                .collect(Collectors.toMap(Node::id, node -> node));
                        return listed.keySet().containsAll(Set.of(GATEWAY_BROKER, 1, 2, 3)) ? listed : null;
                    });
            assertThat(Set.of(brokers.get(1).port(), brokers.get(2).port(), brokers.get(3).port()))
                    .as("each node's own listener").hasSize(3)
                    .doesNotContain(brokers.get(GATEWAY_BROKER).port());
            TopicDescription described = Waits.await("every partition led by a node", Duration.ofSeconds(30), () -> {
                TopicDescription now = get(admin.describeTopics(List.of(TOPIC)).allTopicNames()).get(TOPIC);
                return now.partitions().stream().allMatch(p -> p.leader() != null && p.leader().id() != GATEWAY_BROKER)
                        ? now : null;
            });
            for (TopicPartitionInfo partition : described.partitions()) {
                assertThat(partition.leader().id()).as("partition %d's leader", partition.partition())
                        .isEqualTo(partition(partition.partition()).leader());
            }
        }

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            // A burst: produce requests pipelined five deep on each leader's connection, answered in order.
            // 1 KiB records in batches of up to 256 KiB, as Kafka's ProducerPerformance sends them.
            List<Future<RecordMetadata>> burst = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                burst.add(producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, burstValue(i))));
            }
            for (int i = 0; i < BURST; i++) {
                RecordMetadata sent = burst.get(i).get(60, TimeUnit.SECONDS);
                acknowledged.computeIfAbsent(new TopicPartition(TOPIC, sent.partition()), p -> new ArrayList<>())
                        .add(burstValue(i));
            }
            sendAndRecord(producer, 0, 300, acknowledged);
            PartitionState before = partition(0);
            killed = before.leader();
            List<Future<RecordMetadata>> inFlight = new ArrayList<>();
            for (int i = 300; i < 600; i++) {
                inFlight.add(producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, "v" + i)));
                if (i == 350) {
                    cluster.kill(before.leader());
                }
            }
            for (int i = 0; i < inFlight.size(); i++) {
                RecordMetadata sent = inFlight.get(i).get(120, TimeUnit.SECONDS);
                acknowledged.computeIfAbsent(new TopicPartition(TOPIC, sent.partition()), p -> new ArrayList<>())
                        .add("v" + (300 + i));
            }
            Waits.await("partition 0 led by another node", Duration.ofSeconds(30), () -> {
                PartitionState now = partition(0);
                return now.hasLeader() && now.leader() != before.leader() ? now : null;
            });
            sendAndRecord(producer, 600, 700, acknowledged);
        }

        Map<TopicPartition, List<String>> read = readAll(acknowledged.values().stream().mapToInt(List::size).sum());
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(TOPIC, p);
            assertThat(read.get(tp)).as("partition %d read back through its leader", p)
                    .containsExactlyElementsOf(acknowledged.get(tp));
        }
        // The records went through the leaders' own listeners, not through the gateway.
        for (int node : List.of(1, 2, 3)) {
            if (cluster.isRunning(node)) {
                String metrics = metrics(node);
                assertThat(directRequests(metrics, "Produce")).as("produce requests node %d answered", node)
                        .isPositive();
                assertThat(directRequests(metrics, "Fetch")).as("fetch requests node %d answered", node)
                        .isPositive();
            }
        }
        cluster.start(killed); // back for the other tests
        Figures.report("direct data path: %d records acknowledged across a leader SIGKILL, all read back once and in "
                + "order from the leaders' own listeners", acknowledged.values().stream().mapToInt(List::size).sum());
    }

    /**
     * Kafka's Admin asks every broker for the groups and transactions it coordinates and joins the answers: the nodes,
     * which coordinate none, add nothing, so each group and each transaction is listed once (forwarded to the gateway,
     * every node's answer had listed them all again).
     */
    @Test
    void kafkasAdminListsEachGroupAndTransactionOnceAcrossTheBrokers() throws Exception {
        String topic = "direct-listed";
        Properties txn = producerConfig();
        txn.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "direct-listed-txn");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(txn);
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig("direct-listed-group"))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "in a transaction")).get(30, TimeUnit.SECONDS);
            producer.commitTransaction();
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                assertThat(System.nanoTime()).as("the group's first record within 60 s").isLessThan(deadline);
            }
            assertThat(get(admin.describeCluster().nodes())).as("the gateway and the three nodes").hasSize(4);

            assertThat(get(admin.listTransactions().all()).stream()
                    .filter(listing -> listing.transactionalId().equals("direct-listed-txn"))).hasSize(1);
            assertThat(get(admin.listGroups().all()).stream()
                    .filter(listing -> listing.groupId().equals("direct-listed-group"))).hasSize(1);
        }
    }

    /**
     * DescribeConfigs of a node's broker resource, which Kafka's Admin sends to that node: its listener forwards it to
     * the gateway, which answers the node's id and the cluster's broker configs.
     */
    @Test
    void aNodesBrokerConfigsAreDescribedThroughItsListener() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            int node = get(admin.describeCluster().nodes()).stream().mapToInt(Node::id)
                    .filter(id -> id != GATEWAY_BROKER).min().orElseThrow();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(node));

            Config config = admin.describeConfigs(List.of(broker)).all().get(60, TimeUnit.SECONDS).get(broker);

            assertThat(config.get("broker.id").value()).isEqualTo(Integer.toString(node));
            assertThat(config.get("node.id").value()).isEqualTo(Integer.toString(node));
            assertThat(config.get("num.partitions").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
            assertThat(config.get("log.retention.ms").isReadOnly()).isTrue();
        }
    }

    /**
     * DescribeLogDirs as {@code kafka-log-dirs} asks it (of every broker DescribeCluster lists): each node is the broker
     * of its own data directory, named by its real path with its file store's sizes, and lists exactly the replicas it
     * holds, so that each replica is under the brokers Metadata names as its replicas; the gateway one directory of
     * its own with none (Kafka's Admin takes an answer without directories for a refusal). A
     * replica's size grows as records are produced to it.
     */
    @Test
    void kafkasLogDirsListEachReplicaUnderExactlyTheNodesHoldingIt() throws Exception {
        String topic = "direct-log-dirs";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 2))).all().get(60, TimeUnit.SECONDS);
            Set<Integer> brokers = Waits.await("the three nodes listed as brokers", Duration.ofSeconds(60), () -> {
                Set<Integer> ids = get(admin.describeCluster().nodes()).stream().map(Node::id)
                        .collect(Collectors.toSet());
                return ids.containsAll(Set.of(1, 2, 3)) ? ids : null;
            });
            var written = new org.apache.kafka.common.TopicPartition(topic, 0);
            int leader = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions()
                    .getFirst().leader().id();
            String leaderDir = cluster.dataDir(leader).toAbsolutePath().normalize().toString();
            var before = get(admin.describeLogDirs(List.of(leader)).allDescriptions()).get(leader).get(leaderDir);
            long sizeBefore = before.replicaInfos().containsKey(written)
                    ? before.replicaInfos().get(written).size() : 0;
            producer.send(new ProducerRecord<>(topic, 0, "k", "v".repeat(2000))).get(30, TimeUnit.SECONDS);
            Map<org.apache.kafka.common.TopicPartition, Set<Integer>> replicas = new HashMap<>();
            get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().forEach(p ->
                    replicas.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                            p.replicas().stream().map(Node::id).collect(Collectors.toSet())));

            var dirs = Waits.await("every replica of the topic in a node's directory", Duration.ofSeconds(30), () -> {
                var described = get(admin.describeLogDirs(brokers).allDescriptions());
                return holders(described, topic).equals(replicas) ? described : null;
            });

            assertThat(dirs.get(GATEWAY_BROKER)).as("the gateway holds no replica").containsOnlyKeys("gateway-0")
                    .allSatisfy((name, dir) -> assertThat(dir.replicaInfos()).isEmpty());
            for (int node = 1; node <= 3; node++) {
                String path = cluster.dataDir(node).toAbsolutePath().normalize().toString();
                assertThat(dirs.get(node)).containsOnlyKeys(path);
                var dir = dirs.get(node).get(path);
                assertThat(dir.error()).isNull();
                assertThat(dir.totalBytes().orElse(-1)).isPositive();
                assertThat(dir.usableBytes().orElse(-1)).isPositive().isLessThanOrEqualTo(dir.totalBytes().getAsLong());
                assertThat(dir.replicaInfos().values()).allSatisfy(replica -> {
                    assertThat(replica.size()).isNotNegative();
                    assertThat(replica.offsetLag()).isNotNegative();
                });
            }
            assertThat(dirs.get(leader).get(leaderDir).replicaInfos().get(written).size())
                    .isGreaterThan(sizeBefore + 2000);
        }
    }

    /** By partition of {@code topic}, the brokers whose log dirs list a replica of it. */
    private static Map<org.apache.kafka.common.TopicPartition, Set<Integer>> holders(
            Map<Integer, Map<String, org.apache.kafka.clients.admin.LogDirDescription>> dirs, String topic) {
        Map<org.apache.kafka.common.TopicPartition, Set<Integer>> holders = new HashMap<>();
        dirs.forEach((broker, byPath) -> byPath.values().forEach(dir -> dir.replicaInfos().keySet().stream()
                .filter(tp -> tp.topic().equals(topic))
                .forEach(tp -> holders.computeIfAbsent(tp, key -> new java.util.HashSet<>()).add(broker))));
        return holders;
    }

    /**
     * Fetch from the closest replica (KIP-392): each node is a rack of its own, and a consumer that names a follower's
     * rack ({@code client.rack}) is sent there by the leader and reads every record from that follower, in order,
     * records produced after it started too (its long poll waits on the follower's high watermark); the follower's
     * own metrics show the bytes it sent. A consumer in the leader's rack stays at the leader.
     */
    @Test
    void aConsumerThatNamesItsRackReadsFromTheReplicaInItsRack() throws Exception {
        String topic = "direct-racks";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
        }
        List<String> produced = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "r" + i)).get(30, TimeUnit.SECONDS);
                produced.add("r" + i);
            }
            PartitionState state = Waits.await("all three replicas in sync", Duration.ofSeconds(30), () -> {
                PartitionState now = cluster.coordinator().describeTopic(topic).partition(0);
                return now.hasLeader() && now.isr().size() == 3 ? now : null;
            });
            int leader = state.leader();
            int follower = leader % 3 + 1;
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            double sentBefore = consumerBytesOut(follower, topic);

            try (KafkaConsumer<String, String> consumer = fromTheBeginningInRack(tp, "rack-" + follower)) {
                List<String> read = pollUntil(consumer, 200);
                for (int i = 200; i < 300; i++) { // written after the consumer moved to the follower
                    producer.send(new ProducerRecord<>(topic, 0, null, "r" + i)).get(30, TimeUnit.SECONDS);
                    produced.add("r" + i);
                }
                read.addAll(pollUntil(consumer, 100));
                assertThat(read).as("every record, in order, once").containsExactlyElementsOf(produced);
                assertThat(preferredReadReplica(consumer, tp)).as("the replica the leader sent the consumer to")
                        .isEqualTo(follower);
            }
            assertThat(consumerBytesOut(follower, topic) - sentBefore).as("record bytes the follower sent")
                    .isPositive();

            try (KafkaConsumer<String, String> consumer = fromTheBeginningInRack(tp, "rack-" + leader)) {
                assertThat(pollUntil(consumer, 300)).containsExactlyElementsOf(produced);
                assertThat(preferredReadReplica(consumer, tp)).as("none: the leader is in the consumer's rack")
                        .isEqualTo(-1);
            }
        }
    }

    /**
     * A partition moved off its leader (KIP-455, through Kafka's Admin) under Kafka's own idempotent acks=all producer
     * and a consumer, both on the direct path: they keep writing and reading while the new replica catches up and
     * the leadership goes to the target replicas, and every acknowledged record, with those written after the new
     * leader took over, is read once and in order; the new leader's own listener answered those last writes.
     */
    @Test
    void kafkaClientsProduceAndFetchThroughAMoveThatTakesThePartitionOffItsLeader() throws Exception {
        String topic = "direct-moved";
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 2)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(60, TimeUnit.SECONDS);
            PartitionState before = Waits.await("both replicas in sync", Duration.ofSeconds(30), () -> {
                PartitionState now = cluster.coordinator().describeTopic(topic).partition(0);
                return now.hasLeader() && now.isr().size() == 2 ? now : null;
            });
            int kept = before.replicas().stream().filter(node -> node != before.leader()).findFirst().orElseThrow();
            int newcomer = Set.of(1, 2, 3).stream().filter(node -> !before.replicas().contains(node))
                    .findFirst().orElseThrow();
            List<Integer> target = List.of(newcomer, kept);
            List<String> acknowledged = new ArrayList<>();
            List<String> read = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = fromTheBeginningInRack(tp, null)) {
                writeAndRead(producer, consumer, topic, 200, acknowledged, read);
                admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(target))))
                        .all().get(30, TimeUnit.SECONDS);
                int rounds = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                PartitionState after;
                do {
                    assertThat(System.nanoTime()).as("the move to %s done within 90 s", target).isLessThan(deadline);
                    writeAndRead(producer, consumer, topic, 100, acknowledged, read);
                    rounds++;
                    after = cluster.coordinator().describeTopic(topic).partition(0);
                } while (!after.replicas().equals(target) || after.isReassigning() || !after.hasLeader()
                        || after.leader() == before.leader()
                        || !get(admin.listPartitionReassignments().reassignments()).isEmpty());
                int leader = after.leader();
                assertThat(target).as("the new leader").contains(leader);
                double answeredBefore = directRequests(metrics(leader), "Produce");
                // Written after the new leader took over: only it can acknowledge them.
                writeAndRead(producer, consumer, topic, 200, acknowledged, read);
                read.addAll(pollUntil(consumer, acknowledged.size() - read.size()));

                assertThat(read).as("every acknowledged record, once, in order").containsExactlyElementsOf(acknowledged);
                assertThat(directRequests(metrics(leader), "Produce") - answeredBefore)
                        .as("produce requests the new leader, node %d, answered itself", leader).isPositive();
                Figures.report("direct data path: %d records acknowledged while a partition moved from node %d's "
                        + "leadership to %s over %d rounds of writes (the producer retried %.0f), all read back once "
                        + "and in order", acknowledged.size(), before.leader(), target, rounds,
                        producerTotal(producer, "record-retry-total"));
            }
        }
    }

    /**
     * Sends {@code count} records to partition 0 of {@code topic} at once, so that several produce requests are in
     * flight, and awaits them in order; then keeps what one short poll of {@code consumer} brings.
     */
    private static void writeAndRead(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer,
                                     String topic, int count, List<String> acknowledged, List<String> read)
            throws Exception {
        List<String> values = new ArrayList<>(count);
        List<Future<RecordMetadata>> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String value = "m" + (acknowledged.size() + i);
            values.add(value);
            sent.add(producer.send(new ProducerRecord<>(topic, 0, null, value)));
        }
        for (int i = 0; i < count; i++) {
            sent.get(i).get(120, TimeUnit.SECONDS);
            acknowledged.add(values.get(i));
        }
        consumer.poll(Duration.ofMillis(50)).forEach(record -> read.add(record.value()));
    }

    /** A producer's own count, from its {@code producer-metrics}. */
    private static double producerTotal(KafkaProducer<String, String> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals(name)
                        && metric.getKey().group().equals("producer-metrics"))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                .findFirst().orElseThrow(() -> new AssertionError("no producer metric " + name));
    }

    /** A node's Prometheus page. */
    private static String metrics(int node) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                cluster.nodeUrl(node).resolve("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * A consumer without a group at the start of {@code tp}, naming {@code rack} as its {@code client.rack} (null:
     * none, so that it reads from the leader).
     */
    private static KafkaConsumer<String, String> fromTheBeginningInRack(org.apache.kafka.common.TopicPartition tp,
                                                                        String rack) {
        Properties config = consumerConfig("unused");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        if (rack != null) {
            config.put(ConsumerConfig.CLIENT_RACK_CONFIG, rack);
        }
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        return consumer;
    }

    /** Polls until {@code count} more records came (a wait of 60 s at most), their values in order. */
    private static List<String> pollUntil(KafkaConsumer<String, String> consumer, int count) {
        List<String> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (read.size() < count) {
            assertThat(System.nanoTime()).as("%d of %d records within 60 s", read.size(), count)
                    .isLessThan(deadline);
            consumer.poll(Duration.ofMillis(200)).forEach(record -> read.add(record.value()));
        }
        return read;
    }

    /** The consumer's own metric of the replica it reads {@code tp} from instead of the leader (-1: none). */
    private static int preferredReadReplica(KafkaConsumer<String, String> consumer,
                                            org.apache.kafka.common.TopicPartition tp) {
        return consumer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().name().equals("preferred-read-replica")
                        && tp.topic().equals(metric.getKey().tags().get("topic"))
                        && String.valueOf(tp.partition()).equals(metric.getKey().tags().get("partition")))
                .mapToInt(metric -> ((Number) metric.getValue().metricValue()).intValue())
                .findFirst().orElseThrow(() -> new AssertionError("no preferred-read-replica metric for " + tp));
    }

    /** The record bytes a node's Prometheus page says it sent consumers of {@code topic}. */
    private static double consumerBytesOut(int node, String topic) throws Exception {
        String metrics = metrics(node);
        return sum(metrics, "sluice_partition_bytes_out_bytes_total", "topic=\"" + topic + "\"",
                "kind=\"consumer\"");
    }

    /**
     * Kafka's {@code kafka-reassign-partitions --generate} and {@code --execute} (the tool's own code, run in-process):
     * with the partition services listed as brokers, a plan of their node ids is accepted, and the partitions end on
     * the nodes the generated plan names.
     */
    @Test
    void kafkaReassignPartitionsGeneratesAndExecutesAPlanOfNodeIds() throws Exception {
        String topic = "reassigned";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 2))).all().get(60, TimeUnit.SECONDS);
            Waits.await("the three nodes listed as brokers", Duration.ofSeconds(60), () ->
                    get(admin.describeCluster().nodes()).stream().map(Node::id).collect(Collectors.toSet())
                            .containsAll(Set.of(1, 2, 3)) ? true : null);

            Map.Entry<Map<org.apache.kafka.common.TopicPartition, List<Integer>>,
                    Map<org.apache.kafka.common.TopicPartition, List<Integer>>> generated =
                    ReassignPartitionsCommand.generateAssignment(admin,
                            "{\"version\":1,\"topics\":[{\"topic\":\"" + topic + "\"}]}", "1,2", false);
            Map<org.apache.kafka.common.TopicPartition, List<Integer>> proposed = generated.getKey();
            assertThat(proposed).hasSize(3);
            assertThat(proposed.values()).allSatisfy(replicas ->
                    assertThat(replicas).hasSize(2).containsExactlyInAnyOrder(1, 2));

            ReassignPartitionsCommand.executeAssignment(admin, false,
                    ReassignPartitionsCommand.formatAsReassignmentJson(proposed, Map.of()), -1L, -1L, 10_000L,
                    Time.SYSTEM, false);
            Waits.await("the generated plan carried out", Duration.ofSeconds(60), () -> {
                boolean moving = !get(admin.listPartitionReassignments().reassignments()).isEmpty();
                Map<Integer, List<Integer>> replicas = get(admin.describeTopics(List.of(topic)).allTopicNames())
                        .get(topic).partitions().stream().collect(Collectors.toMap(TopicPartitionInfo::partition,
                                p -> p.replicas().stream().map(Node::id).toList()));
                return !moving && replicas.values().stream().allMatch(r -> Set.of(1, 2).containsAll(r)) ? true : null;
            });
        }
    }

    /** How many {@code api} requests a node's Prometheus page says it answered itself. */
    private static double directRequests(String metrics, String api) {
        return sum(metrics, "sluice_partition_kafka_requests_seconds_count", "api=\"" + api + "\"",
                "path=\"direct\"");
    }

    /** The sum of a Prometheus page's samples of {@code metric} whose labels include every one of {@code labels}. */
    private static double sum(String page, String metric, String... labels) {
        return page.lines()
                .filter(line -> line.startsWith(metric + "{") && Arrays.stream(labels).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Record {@code i} of the burst: its number, padded to 1 KiB. */
    private static String burstValue(int i) {
        String number = "b" + i;
        return number + "-".repeat(1024 - number.length());
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Bad input at a node's own listener, on the wire: each bad produce is answered with Kafka's error code for its
     * partition, a bad fetch likewise, and frames that are no request close the connection. None of them appends
     * anything: a barrier produced after them all lands at offset 0. Then ListOffsets and OffsetsForLeaderEpoch, asked
     * of the leader, are answered by it from its log (and by a follower with NOT_LEADER_OR_FOLLOWER).
     */
    /**
     * A topic with schema validation, produced to at its leader's own listener: a batch with a value outside
     * Confluent's wire format is INVALID_RECORD with the record named in {@code record_errors} (KIP-467), and nothing
     * of it is written; a batch of valid values is written.
     */
    @Test
    void aLeaderRefusesABatchWithARecordItsTopicsSchemaValidationRefusesNamingTheRecord() throws Exception {
        String topic = "direct-validated";
        HttpResponse<String> registered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        cluster.gatewayUrl().resolve("/schema-registry/subjects/" + topic + "-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\": \"\\\"string\\\"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        int schemaId = Integer.parseInt(registered.body().replaceAll("\\D", ""));
        String listener;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3)
                    .configs(Map.of("confluent.value.schema.validation", "true")))).all().get(60, TimeUnit.SECONDS);
            int leader = Waits.await("the partition led by a node", Duration.ofSeconds(30), () -> {
                Node led = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions()
                        .getFirst().leader();
                return led != null && led.id() != GATEWAY_BROKER ? led.id() : null;
            });
            listener = get(admin.describeCluster().nodes()).stream().filter(node -> node.id() == leader)
                    .map(node -> node.host() + ":" + node.port()).findFirst().orElseThrow();
        }
        // An Avro string "ok": its length (2, zig-zag 4) and bytes, after the magic byte and the schema id.
        byte[] valid = ByteBuffer.allocate(8).put((byte) 0).putInt(schemaId).put(new byte[] {4, 'o', 'k'}).array();
        ByteBuffer mixed = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(valid),
                new SimpleRecord("plain".getBytes(StandardCharsets.UTF_8))).buffer();
        ByteBuffer good = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(valid)).buffer();

        ProduceResponseData.PartitionProduceResponse refused = produceAnswer(listener, topic, 0, (short) -1, mixed);
        ProduceResponseData.PartitionProduceResponse written = produceAnswer(listener, topic, 0, (short) -1, good);

        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.INVALID_RECORD);
        assertThat(refused.recordErrors()).singleElement().satisfies(error -> {
            assertThat(error.batchIndex()).isEqualTo(1);
            assertThat(error.batchIndexErrorMessage()).contains("not in the Confluent wire format");
        });
        assertThat(Errors.forCode(written.errorCode())).isEqualTo(Errors.NONE);
        assertThat(written.baseOffset()).as("the refused batch took no offset").isZero();
    }

    @Test
    void aNodeAnswersBadRequestsWithKafkasErrorsChangingNothingAndOffsetQuestionsFromItsLog() throws Exception {
        String topic = "direct-bad";
        Map<Integer, String> listeners;
        Uuid topicId;
        int leader;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
            TopicDescription described = Waits.await("the partition led by a node", Duration.ofSeconds(30), () -> {
                TopicDescription now = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
                Node led = now.partitions().getFirst().leader();
                return led != null && led.id() != GATEWAY_BROKER ? now : null;
            });
            topicId = described.topicId();
            leader = described.partitions().getFirst().leader().id();
            listeners = get(admin.describeCluster().nodes()).stream()
                    .collect(Collectors.toMap(Node::id, node -> node.host() + ":" + node.port()));
        }
        String atLeader = listeners.get(leader);
        String atFollower = listeners.get(leader % 3 + 1);
        SimpleRecord record = new SimpleRecord("bad".getBytes(StandardCharsets.UTF_8));
        ByteBuffer one = MemoryRecords.withRecords(Compression.NONE, record).buffer();
        ByteBuffer two = ByteBuffer.allocate(2 * one.remaining()).put(one.duplicate()).put(one.duplicate()).flip();
        ByteBuffer corrupt = copy(one);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0x5a)); // the CRC no longer holds
        ByteBuffer control = MemoryRecords.withEndTransactionMarker(7L, (short) 0,
                new EndTransactionMarker(ControlRecordType.COMMIT, 0)).buffer();
        ByteBuffer transactional = MemoryRecords.withTransactionalRecords(Compression.NONE, 7L, (short) 0, 0, record)
                .buffer();

        assertThat(produce(atLeader, topic, 0, (short) 2, one)).isEqualTo(Errors.INVALID_REQUIRED_ACKS);
        assertThat(produce(atLeader, "direct-no-such-topic", 0, (short) -1, one))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(produce(atLeader, topic, 7, (short) -1, one)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(produce(atLeader, topic, 0, (short) -1, one.duplicate().limit(one.limit() - 5)))
                .as("a truncated batch: no whole batch, as Kafka counts them").isEqualTo(Errors.INVALID_RECORD);
        ByteBuffer stray = ByteBuffer.allocate(one.remaining() + 5).put(one.duplicate()).put(new byte[5]).flip();
        assertThat(produce(atLeader, topic, 0, (short) -1, stray)).as("a batch and stray bytes after it")
                .isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(produce(atLeader, topic, 0, (short) -1, corrupt)).as("a batch whose CRC fails")
                .isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(produce(atLeader, topic, 0, (short) -1, two)).as("two batches").isEqualTo(Errors.INVALID_RECORD);
        assertThat(produce(atLeader, topic, 0, (short) -1, control)).as("a control batch")
                .isEqualTo(Errors.INVALID_RECORD);
        assertThat(produce(atLeader, topic, 0, (short) -1, transactional))
                .as("a transactional batch without a transactional id").isEqualTo(Errors.INVALID_RECORD);
        assertThat(produce(atFollower, topic, 0, (short) -1, one)).as("at a node that does not lead")
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(produceById(atLeader, Uuid.randomUuid(), one)).isEqualTo(Errors.UNKNOWN_TOPIC_ID);

        assertThat(fetch(atLeader, Uuid.randomUuid(), 0)).isEqualTo(Errors.UNKNOWN_TOPIC_ID);
        assertThat(fetch(atLeader, topicId, 1_000)).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(fetch(atFollower, topicId, 0)).as("a follower serves a consumer's fetch (KIP-392)")
                .isEqualTo(Errors.NONE);
        assertThat(fetchByName(atFollower, topic, 0, (short) 10))
                .as("but not one of a version before KIP-392's (11)").isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(fetchByName(atLeader, topic, 0, (short) 10)).isEqualTo(Errors.NONE);

        byte[][] notRequests = {
                {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff},        // a frame of 2 GiB
                {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0}, // a negative length
                {0, 0, 0, 8, 0x75, 0x30, 0, 0, 0, 0, 0, 1},           // API key 30000
                {0, 0, 0, 3, 0, 0, 0}};                                // a header cut short
        for (byte[] bytes : notRequests) {
            try (KafkaWire.Connection connection = new KafkaWire.Connection(atLeader)) {
                connection.send(bytes);
                assertThat(connection.closedByPeer()).as("the node closes a connection sent %s",
                        Arrays.toString(bytes)).isTrue();
            }
        }

        ProduceResponseData.PartitionProduceResponse barrier = produceAnswer(atLeader, topic, 0, (short) -1, one);
        assertThat(Errors.forCode(barrier.errorCode())).isEqualTo(Errors.NONE);
        assertThat(barrier.baseOffset()).as("the barrier is the partition's first record").isZero();

        // Offset questions, answered by the leader from its own log.
        int epoch = cluster.coordinator().describeTopic(topic).partition(0).leaderEpoch();
        assertThat(listOffset(atLeader, topic, -1, epoch).offset()).as("the high watermark").isEqualTo(1);
        assertThat(listOffset(atLeader, topic, -2, -1).offset()).as("the log start").isZero();
        assertThat(Errors.forCode(listOffset(atLeader, topic, -1, epoch + 1).errorCode()))
                .as("a leader epoch from the future").isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);
        assertThat(Errors.forCode(listOffset(atFollower, topic, -1, epoch).errorCode()))
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        EpochEndOffset end = epochEnd(atLeader, topic, epoch, epoch);
        assertThat(Errors.forCode(end.errorCode())).isEqualTo(Errors.NONE);
        assertThat(end.endOffset()).as("where the current epoch ends: the log end").isEqualTo(1);
        assertThat(Errors.forCode(epochEnd(atFollower, topic, epoch, epoch).errorCode()))
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        String metrics = metrics(leader);
        assertThat(directRequests(metrics, "ListOffsets")).as("ListOffsets answered by the node").isPositive();
        assertThat(directRequests(metrics, "OffsetForLeaderEpoch")).as("OffsetsForLeaderEpoch answered by the node")
                .isPositive();
    }

    private static ListOffsetsResponseData.ListOffsetsPartitionResponse listOffset(String listener, String topic,
                                                                                 long timestamp, int currentEpoch)
            throws IOException {
        ListOffsetsResponse answer = (ListOffsetsResponse) KafkaWire.call(listener, ApiKeys.LIST_OFFSETS,
                ListOffsetsRequest.Builder.forConsumer(false, IsolationLevel.READ_UNCOMMITTED).setTargetTimes(List.of(
                        new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(List.of(
                                new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
                                        .setTimestamp(timestamp).setCurrentLeaderEpoch(currentEpoch))))));
        return answer.data().topics().getFirst().partitions().getFirst();
    }

    private static EpochEndOffset epochEnd(String listener, String topic, int currentEpoch, int epoch)
            throws IOException {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic asked =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic);
        asked.partitions().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                .setCurrentLeaderEpoch(currentEpoch).setLeaderEpoch(epoch));
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        topics.add(asked);
        OffsetsForLeaderEpochResponse answer = (OffsetsForLeaderEpochResponse) KafkaWire.call(listener,
                ApiKeys.OFFSET_FOR_LEADER_EPOCH, OffsetsForLeaderEpochRequest.Builder.forConsumer(topics));
        return answer.data().topics().find(topic).partitions().getFirst();
    }

    private static Errors produce(String listener, String topic, int partition, short acks, ByteBuffer records)
            throws IOException {
        return Errors.forCode(produceAnswer(listener, topic, partition, acks, records).errorCode());
    }

    private static ProduceResponseData.PartitionProduceResponse produceAnswer(String listener, String topic,
                                                                            int partition, short acks,
                                                                            ByteBuffer records) throws IOException {
        ProduceRequestData data = new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setName(topic).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(partition)
                        .setRecords(MemoryRecords.readableRecords(copy(records))))));
        ProduceResponse answer = (ProduceResponse) KafkaWire.call(listener, ApiKeys.PRODUCE, (short) 12,
                unchecked(data, (short) 12));
        return answer.data().responses().iterator().next().partitionResponses().getFirst();
    }

    private static Errors produceById(String listener, Uuid topicId, ByteBuffer records) throws IOException {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        data.topicData().add(new ProduceRequestData.TopicProduceData().setTopicId(topicId).setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(copy(records))))));
        ProduceResponse answer = (ProduceResponse) KafkaWire.call(listener, ApiKeys.PRODUCE, (short) 13,
                unchecked(data, (short) 13));
        return Errors.forCode(answer.data().responses().iterator().next().partitionResponses().getFirst()
                .errorCode());
    }

    /** A produce request as {@code data} says, without the checks of records Kafka's builder makes before sending. */
    private static AbstractRequest.Builder<ProduceRequest> unchecked(ProduceRequestData data, short version) {
        return new AbstractRequest.Builder<>(ApiKeys.PRODUCE, version, version) {
            @Override
            public ProduceRequest build(short built) {
                return new ProduceRequest(data, built);
            }
        };
    }

    private static Errors fetch(String listener, Uuid topicId, long offset) throws IOException {
        FetchRequestData data = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopicId(topicId).setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                                .setPartitionMaxBytes(1 << 20)))));
        FetchResponse answer = (FetchResponse) KafkaWire.call(listener, ApiKeys.FETCH,
                new FetchRequest.SimpleBuilder(data));
        return Errors.forCode(answer.data().responses().getFirst().partitions().getFirst().errorCode());
    }

    private static Errors fetchByName(String listener, String topic, long offset, short version) throws IOException {
        FetchRequestData data = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                                .setPartitionMaxBytes(1 << 20)))));
        FetchResponse answer = (FetchResponse) KafkaWire.call(listener, ApiKeys.FETCH, version,
                new FetchRequest.SimpleBuilder(data));
        return Errors.forCode(answer.data().responses().getFirst().partitions().getFirst().errorCode());
    }

    private static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining()).put(buffer.duplicate());
        return copy.flip();
    }

    private static PartitionState partition(int partition) {
        return cluster.coordinator().describeTopic(TOPIC).partition(partition);
    }

    private static void sendAndRecord(KafkaProducer<String, String> producer, int from, int to,
                                      Map<TopicPartition, List<String>> acknowledged) throws Exception {
        for (int i = from; i < to; i++) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, "v" + i))
                    .get(60, TimeUnit.SECONDS);
            acknowledged.computeIfAbsent(new TopicPartition(TOPIC, sent.partition()), p -> new ArrayList<>())
                    .add("v" + i);
        }
    }

    /** Reads the topic with a consumer group until {@code expected} records came, each partition in order. */
    private static Map<TopicPartition, List<String>> readAll(int expected) {
        Map<TopicPartition, List<String>> read = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig("direct-readers"))) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int count = 0;
            while (count < expected) {
                assertThat(System.nanoTime()).as("%d of %d records read within 120 s", count, expected)
                        .isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.computeIfAbsent(new TopicPartition(TOPIC, record.partition()), p -> new ArrayList<>())
                            .add(record.value());
                    count++;
                }
            }
            consumer.commitSync();
        }
        return read;
    }

    /** A consumer of {@code group} from the earliest offsets, bootstrapped at the gateway. */
    private static Properties consumerConfig(String group) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    private static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 110_000);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }
}
