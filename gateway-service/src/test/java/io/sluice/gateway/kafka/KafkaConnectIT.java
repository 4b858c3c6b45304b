package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.testing.ConnectWorker;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ClassicGroupDescription;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ClassicGroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Kafka Connect in distributed mode (connect-runtime and connect-file 4.3.1 from Maven Central, see
 * {@link ConnectWorker}) against the gateway's Kafka listener, with real processes: two workers of one group (the
 * classic group protocol with protocol type {@code connect} and Connect's own assignor), the config, offset and status
 * topics that Connect creates compacted and checks, and a FileStreamSource → topic → FileStreamSink pipeline that
 * loses no line when the worker running the source task is SIGKILLed, and then the one running the sink task. Each
 * task resumes from what it committed before the kill — source offsets in the offsets topic, the sink's in its consumer
 * group — so the lines it repeats are exactly those of at-least-once delivery. A second group of workers runs with
 * exactly-once source support (KIP-618), and there the same kill repeats no line. Every worker process is stopped by
 * its PID; their logs stay in {@code target/cluster-logs/KafkaConnectIT/}.
 */
@ExtendWith(SharedGatewayCluster.class)
class KafkaConnectIT {

    private static final String NAME = "KafkaConnectIT";
    private static final String TOPIC = "connect-lines";
    /** Every line is "line-" and six digits, and a newline: the source task's byte positions count lines. */
    private static final int LINE_BYTES = 12;
    private static final String EOS_GROUP = "sluice-connect-eos";
    private static final List<String> INTERNAL_TOPICS = List.of("connect-configs", "connect-offsets",
            "connect-status");

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        cluster = shared;
    }

    @Test
    void aFileSourceToFileSinkPipelineDeliversEveryLineWhenWorkersAreKilled(@TempDir Path work) throws Exception {
        // One partition: the order in which the source task read the lines is then the order of the topic.
        cluster.createTopic(TOPIC, 1, 3, Map.of());
        Path source = Files.createFile(work.resolve("source.txt"));
        Path sink = work.resolve("sink.txt");
        List<String> written = new ArrayList<>();
        List<ConnectWorker> workers = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            ConnectWorker one = startWorker(workers, "connect-worker-1", work);
            ConnectWorker two = startWorker(workers, "connect-worker-2", work);
            assertInternalTopicsAreCompacted(admin);

            // Each through a different worker: a worker that does not lead the group forwards it to the leader.
            assertThat(one.put("/connectors/file-source/config", GatewayCluster.JSON.valueToTree(Map.of(
                    "connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                    "tasks.max", "1", "file", source.toString(), "topic", TOPIC))).status()).isEqualTo(201);
            assertThat(two.put("/connectors/file-sink/config", GatewayCluster.JSON.valueToTree(Map.of(
                    "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                    "tasks.max", "1", "file", sink.toString(), "topics", TOPIC))).status()).isEqualTo(201);

            Kill sourceKill;
            Kill sinkKill;
            try (LineWriter writer = new LineWriter(source)) {
                // The source task's worker dies: the task resumes on the other from the offsets topic.
                awaitSinkLines(sink, 1_000);
                sourceKill = killWhileLinesFlow(workers, "file-source", writer, KafkaConnectIT::committedSourceLine,
                        () -> topicEnd(admin));

                // A third worker joins and takes one of the tasks; once lines flow end to end again, the sink task's
                // worker dies: the sink task resumes elsewhere from its group's committed offset.
                awaitSinkLines(sink, writer.count());
                ConnectWorker three = startWorker(workers, "connect-worker-3", work);
                ConnectWorker survivor = sourceKill.survivor();
                Waits.await("a task on " + three, Duration.ofSeconds(60), () -> Stream.of("file-source", "file-sink")
                        .anyMatch(connector -> tasksWorkers(survivor, connector).contains(three.workerId())) ? true
                        : null);
                awaitSinkLines(sink, writer.count());
                sinkKill = killWhileLinesFlow(workers, "file-sink", writer, KafkaConnectIT::committedSinkOffset,
                        () -> completeLines(sink).size());
                written.addAll(writer.stop());
            }

            // More lines once both are gone, after the writer stopped.
            List<String> appended = lines(written.size(), 1_000);
            Files.write(source, appended, StandardOpenOption.APPEND);
            written.addAll(appended);
            awaitSinkLines(sink, written.size());
            List<String> topic = topicValues();
            List<String> sunk = completeLines(sink);
            assertDeliveredAtLeastOnceInOrder("topic " + TOPIC, written, topic);
            assertDeliveredAtLeastOnceInOrder("sink file", written, sunk);
            assertRepeatsOnlyFromCommittedPositions("topic " + TOPIC + " (the source task's output)", written, topic,
                    sourceKill);
            assertRepeatsOnlyFromCommittedPositions("sink file (the sink task's output)", topic, sunk, sinkKill);

            List<ConnectWorker> alive = workers.stream().filter(ConnectWorker::isAlive).toList();
            assertGroupsAsAdminSeesThem(admin, alive);

            // The sink task's commits are its group's offsets, the ones the HTTP API shows: once idle, the topic's end.
            int end = topicEnd(admin);
            Waits.await("connect-file-sink's committed offset at " + end + " over HTTP", Duration.ofSeconds(30),
                    () -> committedSinkOffset() == end ? true : null);
            OffsetAndMetadata overKafka = admin.listConsumerGroupOffsets("connect-file-sink")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(new TopicPartition(TOPIC, 0));
            assertThat(overKafka).as("connect-file-sink's committed offset over Kafka").isNotNull();
            assertThat(overKafka.offset()).isEqualTo(end);

            // A deletion is a tombstone (a null value) in the config topic, which every worker reads.
            for (String connector : List.of("file-source", "file-sink")) {
                assertThat(alive.getFirst().delete("/connectors/" + connector).status()).isEqualTo(204);
            }
            Waits.await("no connector left on " + alive, Duration.ofSeconds(30), () -> alive.stream()
                    .allMatch(worker -> worker.get("/connectors").json().isEmpty()) ? true : null);
        } finally {
            workers.forEach(ConnectWorker::close);
        }
    }

    /**
     * Connect's exactly-once source support (KIP-618): a group of workers with {@code exactly.once.source.support=
     * enabled} writes the config topic in transactions of its leader, and a source task's records and its offsets in
     * one transaction per poll. When the worker running the task is SIGKILLed while lines flow, its open transaction
     * is aborted, the task starts again on the other worker, which fences the dead one's transactional producer first
     * (Admin's FenceProducers), and resumes from the offsets committed with the last transaction: a read_committed
     * reader of the topic finds every line exactly once, in order — where the at-least-once pipeline above repeats
     * lines after the same kill.
     */
    @Test
    void withExactlyOnceSourceSupportEveryLineIsInTheTopicOnceAcrossAWorkerKilled(@TempDir Path work)
            throws Exception {
        String topic = "connect-eos-lines";
        cluster.createTopic(topic, 1, 3, Map.of());
        Path source = Files.createFile(work.resolve("eos-source.txt"));
        List<ConnectWorker> workers = new ArrayList<>();
        try {
            Map<String, String> settings = workerSettings(EOS_GROUP, "connect-eos");
            settings.put("exactly.once.source.support", "enabled");
            ConnectWorker one = startWorker(workers, "connect-eos-worker-1", work, settings);
            startWorker(workers, "connect-eos-worker-2", work, settings);
            assertThat(one.put("/connectors/eos-source/config", GatewayCluster.JSON.valueToTree(Map.of(
                    "connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                    "tasks.max", "1", "file", source.toString(), "topic", topic,
                    "exactly.once.support", "required", "transaction.boundary", "poll"))).status())
                    .isEqualTo(201);
            List<String> written;
            try (LineWriter writer = new LineWriter(source)) {
                awaitCommitted(topic, 1_000, workers);
                killWhileLinesFlow(workers, "eos-source", writer, () -> -1, () -> -1);
                written = writer.stop();
            }
            awaitCommitted(topic, written.size(), workers);
            List<String> committed = committedValues(topic);
            System.out.println("[connect] exactly-once source: " + written.size() + " lines written, "
                    + committed.size() + " read committed from " + topic);
            assertThat(committed).as("the lines read committed: each written line once, in order")
                    .containsExactlyElementsOf(written);
        } finally {
            workers.forEach(ConnectWorker::close);
        }
    }

    /**
     * Waits until {@code topic} holds {@code count} lines read committed; if it does not within 90 s, the failure
     * says where the transactions stood: the partition's end read committed and uncommitted, its producers' open
     * transactions, the source task's transactional id as the coordinator has it, and the task's status.
     */
    private static void awaitCommitted(String topic, int count, List<ConnectWorker> workers) {
        try {
            Waits.await(String.format("%,d lines committed to %s", count, topic), Duration.ofSeconds(90),
                    () -> committedValues(topic).size() >= count ? true : null);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + transactionsAt(topic, workers), e);
        }
    }

    private static String transactionsAt(String topic, List<ConnectWorker> workers) {
        TopicPartition partition = new TopicPartition(topic, 0);
        StringBuilder state = new StringBuilder();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            for (IsolationLevel isolation : IsolationLevel.values()) {
                state.append(partition).append(" end ").append(isolation).append(": ").append(admin
                        .listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                        .partitionResult(partition).get(30, TimeUnit.SECONDS).offset()).append('\n');
            }
            state.append(partition).append(" producers: ").append(admin.describeProducers(List.of(partition))
                    .partitionResult(partition).get(30, TimeUnit.SECONDS).activeProducers()).append('\n');
            // Connect's transactional id of a source task: the worker group, the connector, the task.
            String transactionalId = EOS_GROUP + "-eos-source-0";
            state.append(transactionalId).append(": ").append(admin.describeTransactions(List.of(transactionalId))
                    .description(transactionalId).get(30, TimeUnit.SECONDS)).append('\n');
        } catch (Exception e) {
            state.append("(could not describe the transactions: ").append(e).append(")\n");
        }
        workers.stream().filter(ConnectWorker::isAlive).forEach(worker -> state.append(worker).append(": ")
                .append(worker.get("/connectors/eos-source/status").text()).append('\n'));
        return state.toString();
    }

    /** Every committed value of {@code topic}'s partition 0, in offset order, as a read_committed consumer reads it. */
    private static List<String> committedValues(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new StringDeserializer())) {
            return readToEnd(consumer, List.of(new TopicPartition(topic, 0))).stream().map(ConsumerRecord::value)
                    .toList();
        }
    }

    private static ConnectWorker startWorker(List<ConnectWorker> workers, String name, Path work) {
        return startWorker(workers, name, work, workerSettings("sluice-connect", "connect"));
    }

    private static ConnectWorker startWorker(List<ConnectWorker> workers, String name, Path work,
                                             Map<String, String> settings) {
        ConnectWorker worker = ConnectWorker.start(name, settings, work,
                Path.of("target", "cluster-logs", NAME, name + ".log").toAbsolutePath());
        workers.add(worker);
        return worker;
    }

    /**
     * A SIGKILL of the worker running a task: the worker that runs the task after it, the length of the task's output
     * just after the kill, and the input position the task had committed just before it (it may resume no earlier).
     */
    private record Kill(ConnectWorker survivor, int outputAtKill, int committedBefore) {
    }

    /**
     * SIGKILLs the worker running {@code connector}'s task while lines are being written, and waits until another
     * worker runs the task and 1,000 more lines were written.
     *
     * @param committed the task's committed position in its input
     * @param output    the length of the task's output
     */
    private static Kill killWhileLinesFlow(List<ConnectWorker> workers, String connector, LineWriter writer,
                                           IntSupplier committed, IntSupplier output) {
        List<ConnectWorker> alive = workers.stream().filter(ConnectWorker::isAlive).toList();
        ConnectWorker via = alive.getFirst();
        String workerId = Waits.await(connector + "'s task running", Duration.ofSeconds(60), () -> {
            List<String> running = tasksWorkers(via, connector);
            return running.size() == 1 ? running.getFirst() : null;
        });
        ConnectWorker victim = alive.stream().filter(worker -> worker.workerId().equals(workerId)).findFirst()
                .orElseThrow(() -> new AssertionError(connector + "'s task runs on " + workerId + ", none of " + alive));
        int committedBefore = committed.getAsInt();
        int writtenAtKill = writer.count();
        victim.kill();
        int outputAtKill = output.getAsInt();
        System.out.println("[connect] SIGKILLed " + victim + ", which ran " + connector + "'s task, after "
                + writtenAtKill + " lines written; its output held " + outputAtKill + ", its committed position was "
                + committedBefore);
        ConnectWorker survivor = alive.stream().filter(worker -> worker != victim).findFirst().orElseThrow();
        Waits.await(connector + "'s task running again", Duration.ofSeconds(60), () -> {
            List<String> running = tasksWorkers(survivor, connector);
            return running.size() == 1 && !running.getFirst().equals(victim.workerId()) ? true : null;
        });
        writer.awaitCount(writtenAtKill + 1_000);
        return new Kill(survivor, outputAtKill, committedBefore);
    }

    /**
     * Worker properties for Sluice, for the worker group {@code group} with its internal topics named
     * {@code topicPrefix}{@code -configs}, {@code -offsets} and {@code -status}: internal topics with three replicas
     * (one per partition service), string converters so that the topic holds the lines as they are, offsets flushed
     * every second. For a short test, a killed worker is noticed sooner than by default: sessions of 6 s (the
     * coordinator's shortest, as Kafka's) for the worker group and the sink task's consumer group, and a lost worker's
     * tasks reassigned 3 s after, not Connect's 5 minutes (incremental cooperative rebalancing waits that long for a
     * worker to come back).
     */
    private static Map<String, String> workerSettings(String group, String topicPrefix) {
        return ConnectWorker.settings(cluster.kafkaBootstrap(), group, topicPrefix);
    }

    /**
     * The workers' group as Kafka's Admin describes it (DescribeGroups, ListGroups): a classic group of protocol type
     * {@code connect} with Connect's {@code sessioned} protocol, stable with the live workers as its members; the sink
     * task's consumer group beside it.
     */
    private static void assertGroupsAsAdminSeesThem(Admin admin, List<ConnectWorker> alive) {
        ClassicGroupDescription workers = Waits.await("the worker group stable with " + alive.size() + " members",
                Duration.ofSeconds(60), () -> {
                    ClassicGroupDescription group = describeClassicGroup(admin, "sluice-connect");
                    return group.state() == ClassicGroupState.STABLE && group.members().size() == alive.size()
                            ? group : null;
                });
        assertThat(workers.protocol()).as("protocol type").isEqualTo("connect");
        assertThat(workers.protocolData()).as("protocol").isEqualTo("sessioned");
        assertThat(workers.members()).extracting(MemberDescription::clientId).containsExactlyInAnyOrderElementsOf(
                alive.stream().map(worker -> "connect-" + worker.workerId()).toList());
        try {
            Map<String, String> protocolTypes = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .collect(Collectors.toMap(GroupListing::groupId, GroupListing::protocol));
            assertThat(protocolTypes).containsEntry("sluice-connect", "connect")
                    .containsEntry("connect-file-sink", "consumer");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClassicGroupDescription describeClassicGroup(Admin admin, String group) {
        try {
            return admin.describeClassicGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connect refuses to start on internal topics that are not {@code cleanup.policy=compact}; this says it again. */
    private static void assertInternalTopicsAreCompacted(Admin admin) throws Exception {
        List<ConfigResource> topics = INTERNAL_TOPICS.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics).all().get(30, TimeUnit.SECONDS);
        topics.forEach(topic -> assertThat(configs.get(topic).get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                .as("cleanup.policy of %s", topic.name()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * The sink task's committed offset in the topic (its consumer group's), 0 before its first commit: read over the
     * HTTP API, apart from the Kafka OffsetFetch the task itself resumes from.
     */
    private static int committedSinkOffset() {
        for (JsonNode partition : cluster.call("GET", "/v1/groups/connect-file-sink", null, null).json()
                .path("partitions")) {
            if (partition.path("topic").asString().equals(TOPIC) && partition.path("partition").asInt() == 0) {
                return Math.toIntExact(partition.path("committed_offset").asLong());
            }
        }
        return 0;
    }

    /**
     * The source task's committed position, as a line number: the last byte position it stored in the offsets topic
     * ({@code {"position": n}}), over the bytes of a line.
     */
    private static int committedSourceLine() {
        long position = 0;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor("connect-offsets").stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            for (ConsumerRecord<String, String> record : readToEnd(consumer, partitions)) {
                if (record.value() != null && record.key().contains("\"file-source\"")) {
                    position = GatewayCluster.JSON.readTree(record.value()).path("position").asLong();
                }
            }
        }
        return Math.toIntExact(position / LINE_BYTES);
    }

    private static int topicEnd(Admin admin) {
        try {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            return Math.toIntExact(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(30, TimeUnit.SECONDS).offset());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The workers of a connector's RUNNING tasks, as {@code via} reports them. */
    private static List<String> tasksWorkers(ConnectWorker via, String connector) {
        ConnectWorker.Response status = via.get("/connectors/" + connector + "/status");
        if (status.status() != 200) {
            // Thrown, not asserted: callers poll with Waits, which retries it and reports the last one.
            throw new IllegalStateException(connector + "'s status from " + via + ": " + status.status() + " "
                    + status.text());
        }
        List<String> workers = new ArrayList<>();
        for (JsonNode task : status.json().path("tasks")) {
            if ("RUNNING".equals(task.path("state").asString())) {
                workers.add(task.path("worker_id").asString());
            }
        }
        return workers;
    }

    /** Waits (two minutes at most) until the sink file holds {@code count} distinct lines. */
    private static void awaitSinkLines(Path sink, int count) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int distinct = 0;
        while (System.nanoTime() < deadline) {
            distinct = new LinkedHashSet<>(completeLines(sink)).size();
            if (distinct >= count) {
                return;
            }
            Waits.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("the sink file holds " + distinct + " distinct lines after two minutes, not "
                + count);
    }

    /** The sink file's lines that end in a newline (the sink task may be writing the last one). */
    private static List<String> completeLines(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
            lines.removeLast();
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every value of the pipeline's topic, in offset order. */
    private static List<String> topicValues() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            return readToEnd(consumer, List.of(new TopicPartition(TOPIC, 0))).stream().map(ConsumerRecord::value)
                    .toList();
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()),
                new StringDeserializer(), new StringDeserializer());
    }

    /**
     * The records of {@code partitions} from their beginning, in offset order per partition, up to at least the end
     * each had when the read began: a partition still being written to (the offsets topic, while a source task
     * commits) may give a few more.
     */
    private static List<ConsumerRecord<String, String>> readToEnd(KafkaConsumer<String, String> consumer,
                                                                  List<TopicPartition> partitions) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        partitions.forEach(p -> assertThat(consumer.position(p)).as("read %s to its end", p)
                .isGreaterThanOrEqualTo(ends.get(p)));
        return records;
    }

    /**
     * At-least-once delivery in order: every written line arrives and nothing else does; a line may arrive more than
     * once (a task that took over from a killed worker resumes from the last committed offset, and repeats what the
     * dead one did after it), but the first arrivals are in the written order.
     */
    private static void assertDeliveredAtLeastOnceInOrder(String where, List<String> written, List<String> arrived) {
        Set<String> distinct = new LinkedHashSet<>(arrived);
        Set<String> missing = new LinkedHashSet<>(written);
        missing.removeAll(distinct);
        Set<String> unexpected = new LinkedHashSet<>(distinct);
        written.forEach(unexpected::remove);
        long duplicates = arrived.size() - distinct.size();
        System.out.println("[connect] " + where + ": " + arrived.size() + " lines, " + distinct.size() + " distinct, "
                + duplicates + " repeated");
        assertThat(missing).as("lines written but missing from the %s (%d of %d)", where, missing.size(),
                written.size()).isEmpty();
        assertThat(unexpected).as("lines in the %s that were never written", where).isEmpty();
        assertThat(List.copyOf(distinct)).as("the %s's lines in the order of their first arrival: at-least-once "
                + "delivery may repeat lines (%d here), but never reorders them", where, duplicates)
                .containsExactlyElementsOf(written);
    }

    /**
     * At-least-once as Connect delivers it: a task writes its input in order, and a task that starts again (on another
     * worker, after a kill or a rebalance) resumes from its last committed position and repeats what came after it.
     * So the output is runs of consecutive input, each beginning no later than where the run before it ended (never
     * ahead: that would be a line skipped); and the run the kill began starts no earlier than the position committed
     * before the kill (offsets never go back).
     */
    private static void assertRepeatsOnlyFromCommittedPositions(String where, List<String> input, List<String> output,
                                                               Kill kill) {
        Map<String, List<Integer>> positions = new HashMap<>();
        for (int i = 0; i < input.size(); i++) {
            positions.computeIfAbsent(input.get(i), line -> new ArrayList<>()).add(i);
        }
        // The furthest point of the input the output can have reached; a repeat goes back to the latest position
        // before it that holds the line (the earliest point from which the rest can still be matched).
        int reached = 0;
        List<String> repeats = new ArrayList<>();
        Integer resumedAfterKill = null;
        for (int i = 0; i < output.size(); i++) {
            String line = output.get(i);
            if (reached < input.size() && input.get(reached).equals(line)) {
                reached++;
                continue;
            }
            int limit = reached;
            int from = positions.getOrDefault(line, List.of()).stream().filter(p -> p < limit).mapToInt(p -> p).max()
                    .orElse(-1);
            assertThat(from).as("%s, line %d (%s): not the next one (%s) nor a repeat of an earlier one: a line was "
                    + "skipped", where, i, line, reached < input.size() ? input.get(reached) : "none").isNotNegative();
            repeats.add("at " + i + " back to " + from + " from " + reached);
            if (resumedAfterKill == null && i >= kill.outputAtKill()) {
                resumedAfterKill = from;
            }
            reached = from + 1;
        }
        System.out.println("[connect] " + where + " repeats: " + repeats);
        if (resumedAfterKill != null) {
            assertThat(resumedAfterKill).as("%s: where the task resumed after the kill; its committed position was %d",
                    where, kill.committedBefore()).isGreaterThanOrEqualTo(kill.committedBefore());
        }
    }

    private static List<String> lines(int from, int count) {
        List<String> lines = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            lines.add(String.format("line-%06d", i));
        }
        return lines;
    }

    /**
     * Appends numbered lines to the source file from a thread of its own, 10 every 20 ms (about 500 a second), until
     * stopped: lines keep flowing while a worker is killed.
     */
    private static final class LineWriter implements AutoCloseable {

        private final Path file;
        private final AtomicInteger count = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<?> writing;

        LineWriter(Path file) {
            this.file = file;
            this.writing = thread.submit(() -> {
                while (!stop.get()) {
                    List<String> batch = lines(count.get(), 10);
                    Files.write(file, batch, StandardOpenOption.APPEND);
                    count.addAndGet(batch.size());
                    Thread.sleep(20);
                }
                return null;
            });
        }

        int count() {
            return count.get();
        }

        void awaitCount(int target) {
            Waits.await(target + " lines written", Duration.ofSeconds(30), () -> count.get() >= target ? true : null);
        }

        /** Stops writing; the lines written, in order. */
        List<String> stop() throws Exception {
            stop.set(true);
            writing.get(10, TimeUnit.SECONDS);
            return lines(0, count.get());
        }

        @Override
        public void close() {
            stop.set(true);
            thread.shutdownNow();
        }
    }
}
