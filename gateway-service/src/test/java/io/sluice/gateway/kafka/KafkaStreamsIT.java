package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeStreamsGroupsOptions;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupMemberAssignment;
import org.apache.kafka.clients.admin.StreamsGroupMemberDescription;
import org.apache.kafka.clients.admin.StreamsGroupTopologyDescription;
import org.apache.kafka.clients.admin.StreamsGroupTopologyDescriptionStatus;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.tools.ConfigCommand;
import org.apache.kafka.tools.streams.StreamsGroupCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka Streams (kafka-streams from Maven Central) against the gateway's Kafka listener, with real processes: a
 * word-count topology in two instances, each a JVM of its own, one SIGKILLed while lines flow. It needs the classic
 * group protocol with Streams' own assignor, internal repartition and changelog topics created through CreateTopics
 * with their configs, purges of the repartition topic (DeleteRecords) and, for exactly-once, transactions: producers
 * fenced by transactional id, offsets committed inside transactions, read_committed reads of the repartition topic.
 */
@ExtendWith(SharedGatewayCluster.class)
class KafkaStreamsIT {

    private static final String NAME = "KafkaStreamsIT";
    private static final int LINES = 900;

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        cluster = shared;
    }

    /**
     * Exactly once (v2), an instance killed mid-transaction: a read_committed reader sees each word's counts go
     * 1, 2, 3, ... up to the exact count, no count twice, none missing.
     */
    @Test
    void exactlyOnceTheWordCountSurvivesAnInstanceKilledMidStreamWithEveryCountExactAndNoneTwice() throws Exception {
        Map<String, Long> expected = runWithAnInstanceKilled("wc-eos", "exactly_once_v2", "classic", admin -> { });
        assertEveryCountOnce("wc-eos-counts", expected, "classic");
    }

    /**
     * The same over the streams rebalance protocol (KIP-1071, {@code group.protocol=streams}): the coordinator creates
     * the repartition and changelog topics, assigns the tasks to the two instances and, once the killed instance's
     * session has ended, hands its tasks to the survivor only after revoking them — and every count is still exact
     * and once. While both run, Kafka's Admin describes the group as a streams group whose two members hold every
     * task of the topology once between them, and each a standby of the other's counting tasks, as the group's own
     * {@code streams.num.standby.replicas}, set with kafka-configs, asks; then the coordinator is SIGKILLed and
     * started again, and the group is found the same after it (its state is the stored group's) before the instance
     * is killed.
     */
    @Test
    void theStreamsRebalanceProtocolRunsTheWordCountExactlyOnceAcrossAnInstanceKilled() throws Exception {
        KafkaTools.ToolRun configured = KafkaTools.run(ConfigCommand::main, "--bootstrap-server",
                cluster.kafkaBootstrap(), "--entity-type", "groups", "--entity-name", "wc-kip1071", "--alter",
                "--add-config", "streams.num.standby.replicas=1");
        assertThat(configured.out()).as(configured.err()).contains("Completed updating config for group wc-kip1071.");
        Map<String, Long> expected = runWithAnInstanceKilled("wc-kip1071", "exactly_once_v2", "streams", admin -> {
            Set<String> members = assertBothInstancesShareTheTasks(admin);
            StreamsGroupTopologyDescription described = topologyDescription(admin);
            cluster.processes().kill(LocalCluster.COORDINATOR);
            cluster.processes().start(LocalCluster.COORDINATOR);
            assertThat(assertBothInstancesShareTheTasks(admin)).as("the members after the coordinator's SIGKILL")
                    .isEqualTo(members);
            assertThat(topologyDescription(admin)).as("the stored description after the coordinator's SIGKILL")
                    .isEqualTo(described);
        });
        assertEveryCountOnce("wc-kip1071-counts", expected, "streams");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            assertThat(admin.listTopics().names().get()).as("the internal topics the coordinator created")
                    .anyMatch(topic -> topic.startsWith("wc-kip1071-") && topic.endsWith("-repartition"))
                    .anyMatch(topic -> topic.startsWith("wc-kip1071-") && topic.endsWith("-changelog"));
        }
    }

    /**
     * The application's topology description (KIP-1331), which a member sent when a heartbeat answer asked for it:
     * two subtopologies whose nodes read the input, count in a store and write the output.
     */
    private static StreamsGroupTopologyDescription topologyDescription(Admin admin) {
        String group = "wc-kip1071";
        StreamsGroupDescription described = Waits.await("the topology description of " + group,
                Duration.ofSeconds(60), () -> {
                    try {
                        StreamsGroupDescription d = admin.describeStreamsGroups(List.of(group),
                                new DescribeStreamsGroupsOptions().includeTopologyDescription(true))
                                .describedGroups().get(group).get();
                        return d.topologyDescriptionStatus() == StreamsGroupTopologyDescriptionStatus.AVAILABLE
                                ? d : null;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e);
                    }
                });
        StreamsGroupTopologyDescription description = described.topologyDescription().orElseThrow();
        assertThat(description.subtopologies()).extracting(StreamsGroupTopologyDescription.Subtopology::id)
                .containsExactlyInAnyOrder("0", "1");
        List<StreamsGroupTopologyDescription.Node> nodes = description.subtopologies().stream()
                .flatMap(subtopology -> subtopology.nodes().stream()).toList();
        assertThat(nodes).anySatisfy(node -> assertThat(node).isInstanceOfSatisfying(
                StreamsGroupTopologyDescription.Source.class,
                source -> assertThat(source.topics()).containsExactly("wc-kip1071-lines")));
        assertThat(nodes).anySatisfy(node -> assertThat(node).isInstanceOfSatisfying(
                StreamsGroupTopologyDescription.Sink.class,
                sink -> assertThat(sink.topic()).contains("wc-kip1071-counts")));
        return description;
    }

    private static StreamsGroupDescription describe(Admin admin, String group) {
        try {
            return admin.describeStreamsGroups(List.of(group)).describedGroups().get(group).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertEveryCountOnce(String output, Map<String, Long> expected, String protocol) {
        Map<String, List<Long>> counts = readCounts(output, IsolationLevel.READ_COMMITTED,
                seen -> expected.keySet().stream().allMatch(word -> last(seen, word) >= expected.get(word)));
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((word, count) -> assertThat(counts.get(word)).as("the committed counts of " + word)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList()));
        System.out.printf("[figure] exactly_once_v2 word count (group.protocol=%s) across an instance SIGKILL: %d "
                + "words, %d counts read committed, each once%n", protocol, expected.size(),
                counts.values().stream().mapToInt(List::size).sum());
    }

    /**
     * The group, described by Kafka's Admin once both instances hold tasks: two members, each task active once; Kafka's
     * tool shows them too. Answers the member ids.
     */
    private static Set<String> assertBothInstancesShareTheTasks(Admin admin) {
        String group = "wc-kip1071";
        StreamsGroupDescription description = Waits.await("both instances holding tasks of " + group,
                Duration.ofSeconds(60), () -> {
                    StreamsGroupDescription described = describe(admin, group);
                    return described.groupState() == GroupState.STABLE && described.members().size() == 2
                            && described.members().stream().noneMatch(m -> m.assignment().activeTasks().isEmpty()
                                    || m.assignment().standbyTasks().isEmpty())
                            ? described : null;
                });
        assertThat(description.subtopologies()).hasSize(2);
        List<String> active = description.members().stream()
                .flatMap(member -> member.assignment().activeTasks().stream())
                .flatMap(ids -> ids.partitions().stream().map(p -> ids.subtopologyId() + "_" + p))
                .toList();
        assertThat(active).as("every task active exactly once").hasSize(6).doesNotHaveDuplicates();
        // The counting subtopology's tasks (the stateful ones) have a standby on the other instance; the splitting
        // subtopology's keep no state and have none.
        for (StreamsGroupMemberDescription member : description.members()) {
            StreamsGroupMemberDescription other = description.members().stream()
                    .filter(m -> !m.memberId().equals(member.memberId())).findFirst().orElseThrow();
            assertThat(tasks(member.assignment().standbyTasks())).as(member.memberId() + "'s standby tasks")
                    .containsExactlyInAnyOrderElementsOf(tasks(other.assignment().activeTasks()).stream()
                            .filter(task -> task.startsWith("1_")).toList());
        }
        assertThat(description.members()).extracting(StreamsGroupMemberDescription::processId)
                .doesNotHaveDuplicates();

        // Kafka's kafka-streams-groups tool lists the group and describes its members.
        String bootstrap = cluster.kafkaBootstrap();
        KafkaTools.ToolRun list = KafkaTools.run(StreamsGroupCommand::main, "--bootstrap-server", bootstrap, "--list");
        assertThat(list.out().lines()).as(list.err()).contains(group);
        KafkaTools.ToolRun members = KafkaTools.run(StreamsGroupCommand::main, "--bootstrap-server", bootstrap,
                "--describe", "--group", group, "--members");
        assertThat(members.exitCode()).as(members.err()).isZero();
        description.members().forEach(member -> assertThat(members.out()).contains(member.memberId(),
                member.processId()));
        return description.members().stream().map(StreamsGroupMemberDescription::memberId)
                .collect(Collectors.toSet());
    }

    private static List<String> tasks(List<StreamsGroupMemberAssignment.TaskIds> ids) {
        return ids.stream().flatMap(t -> t.partitions().stream().map(p -> t.subtopologyId() + "_" + p)).toList();
    }

    /**
     * Two instances of the application count the words of {@link #LINES} lines. The first starts alone and reads a
     * third of them; the second joins; the rest are written while both run, and the first is SIGKILLed a sixth of the
     * way through them. With exactly-once, the kill waits until the first instance has a transaction open that wrote
     * to the output topic, and the transaction coordinator is then seen aborting it. Returns each word's true count.
     */
    private static Map<String, Long> runWithAnInstanceKilled(String application, String guarantee,
            String groupProtocol, Consumer<Admin> whileBothRun) throws Exception {
        String input = application + "-lines";
        String output = application + "-counts";
        boolean exactlyOnce = guarantee.startsWith("exactly_once");
        cluster.createTopic(input, 3, 3, Map.of());
        cluster.createTopic(output, 3, 3, Map.of());
        Map<String, Long> expected = new HashMap<>();
        Path state = Files.createTempDirectory("streams-state");
        Path logs = Path.of("target", "cluster-logs", NAME).toAbsolutePath();
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        ExecutorService killer = Executors.newSingleThreadExecutor();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties,
                        new StringSerializer(), new StringSerializer());
                WordCountInstance first = WordCountInstance.start(application + "-1", cluster.kafkaBootstrap(),
                        application, guarantee, groupProtocol, input, output, state.resolve("1"),
                        logs.resolve(application + "-1.log"))) {
            for (int i = 0; i < LINES / 3; i++) {
                produceLine(producer, input, i, expected);
            }
            producer.flush();
            Set<String> firstsTransactions = exactlyOnce ? Waits.await("the first instance's transactional ids",
                    Duration.ofSeconds(60), () -> {
                        Set<String> ids = transactionalIds(admin, application);
                        return ids.isEmpty() ? null : ids;
                    }) : Set.of();
            Future<?> kill = null;
            try (WordCountInstance second = WordCountInstance.start(application + "-2", cluster.kafkaBootstrap(),
                    application, guarantee, groupProtocol, input, output, state.resolve("2"),
                    logs.resolve(application + "-2.log"))) {
                whileBothRun.accept(admin);
                for (int i = LINES / 3; i < LINES; i++) {
                    produceLine(producer, input, i, expected);
                    producer.flush();
                    GatewayCluster.sleep(Duration.ofMillis(10));
                    if (i == LINES / 2) {
                        kill = killer.submit(() -> {
                            if (exactlyOnce) {
                                Waits.await("an open transaction of the first instance that wrote to " + output,
                                        Duration.ofSeconds(30), () -> openWithOutput(admin, firstsTransactions, output)
                                                ? true : null);
                            }
                            first.kill();
                        });
                    }
                }
                producer.flush();
                kill.get(60, TimeUnit.SECONDS);
                if (exactlyOnce) {
                    Waits.await("the killed instance's transactions aborted or committed", Duration.ofSeconds(60),
                            () -> descriptions(admin, firstsTransactions).stream()
                                    .noneMatch(txn -> txn.state() == TransactionState.ONGOING) ? true : null);
                }
                readCounts(output, IsolationLevel.READ_COMMITTED, seen -> expected.keySet().stream()
                        .allMatch(word -> last(seen, word) >= expected.get(word)));
            }
        } finally {
            killer.shutdownNow();
            try (Stream<Path> files = Files.walk(state)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return expected;
    }

    private static void produceLine(KafkaProducer<String, String> producer, String topic, int i,
            Map<String, Long> expected) {
        String line = "w" + (i % 7) + " v" + (i % 11) + " sluice";
        Arrays.stream(line.split(" ")).forEach(word -> expected.merge(word, 1L, Long::sum));
        producer.send(new ProducerRecord<>(topic, "line-" + i, line));
    }

    /** The transactional ids of {@code application}'s producers (Streams names them after the application). */
    private static Set<String> transactionalIds(Admin admin, String application) {
        try {
            return admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(application + "-")).collect(Collectors.toSet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean openWithOutput(Admin admin, Set<String> transactionalIds, String output) {
        return descriptions(admin, transactionalIds).stream().anyMatch(txn -> txn.state() == TransactionState.ONGOING
                && txn.topicPartitions().stream().anyMatch(tp -> tp.topic().equals(output)));
    }

    private static Collection<TransactionDescription> descriptions(Admin admin, Set<String> transactionalIds) {
        try {
            return admin.describeTransactions(transactionalIds).all().get().values();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long last(Map<String, List<Long>> counts, String word) {
        List<Long> values = counts.get(word);
        return values == null ? 0 : values.getLast();
    }

    /**
     * Every count on {@code topic} per word, in order, read from the start until {@code enough} holds (or for two
     * minutes) and then until nothing more comes for two seconds.
     */
    private static Map<String, List<Long>> readCounts(String topic, IsolationLevel isolation,
            Predicate<Map<String, List<Long>>> enough) {
        Map<String, List<Long>> counts = new TreeMap<>();
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new LongDeserializer())) {
            List<TopicPartition> partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline
                    && !(enough.test(counts) && System.nanoTime() - quietSince > Duration.ofSeconds(2).toNanos())) {
                for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
                    counts.computeIfAbsent(record.key(), word -> new ArrayList<>()).add(record.value());
                    quietSince = System.nanoTime();
                }
            }
        }
        return counts;
    }
}
