package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.launcher.LocalCluster;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.tools.VerifiableConsumer;
import org.apache.kafka.tools.VerifiableProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Kafka's verifiable consumer (kafka-tools' {@link VerifiableConsumer}, run in this JVM on consumers of this test's
 * making) in three groups of two — classic with the eager range assignor, classic with cooperative-sticky, and
 * {@code group.protocol=consumer} — all reading one topic that Kafka's {@link VerifiableProducer} (a JVM of its own)
 * writes, while each gateway and then each partition service is restarted in turn, and last the coordinator (which
 * keeps the groups) is SIGKILLed and started again. The clients bootstrap to both gateways. As each restart begins,
 * one member of each group is replaced by a new one (Kafka's system tests bounce consumers too), so partitions change
 * hands through committed offsets while the service is away. What the tools
 * print is the oracle, as in those tests: every record the producer had acknowledged is consumed by every group (at
 * least once), each group keeps reading after every restart, and the offsets a group has committed, as the admin
 * client reads them throughout, never go backwards on any partition and end at the partition's end.
 *
 * <p>It runs on the shared cluster ({@link SharedGatewayCluster}), with a second gateway of its own that it stops
 * after itself; the services it restarts come back with the shared cluster's settings.
 */
@ExtendWith(SharedGatewayCluster.class)
class KafkaGroupsRollingRestartIT {

    /** The second gateway this class starts on the shared cluster, and stops after itself. */
    private static final String SECOND_GATEWAY = "gateway-rolling";

    private static final String TOPIC = "rolling-verifiable";
    private static final int PARTITIONS = 6;

    /** The three kinds of group, by what their members are configured with. */
    private enum Flavour {
        EAGER(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName())),
        COOPERATIVE(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName())),
        CONSUMER(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));

        private final Map<String, String> settings;

        Flavour(Map<String, String> settings) {
            this.settings = settings;
        }

        String group() {
            return "rolling-" + name().toLowerCase();
        }
    }

    private static GatewayCluster cluster;
    private static String bootstrap;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        cluster = shared;
        cluster.startGateway(SECOND_GATEWAY);
        bootstrap = cluster.kafkaBootstrap() + "," + cluster.kafkaBootstrap(SECOND_GATEWAY);
    }

    @AfterAll
    static void stopSecondGateway() {
        cluster.processes().stop(SECOND_GATEWAY);
    }

    @Test
    void verifiableConsumerGroupsOfEveryProtocolReadEveryAcknowledgedRecordAndNeverCommitBackwardsThroughRollingRestarts()
            throws Exception {
        cluster.createTopic(TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
        // Every member each group has had, the two current ones last.
        Map<Flavour, List<Member>> groups = new EnumMap<>(Flavour.class);
        for (Flavour flavour : Flavour.values()) {
            groups.put(flavour, new CopyOnWriteArrayList<>(List.of(new Member(flavour), new Member(flavour))));
        }
        Path produced = Files.createTempFile("verifiable-producer", ".out");
        Process producer = KafkaTools.startInJvm(VerifiableProducer.class, produced, "--topic", TOPIC,
                "--bootstrap-server", bootstrap, "--acks", "-1", "--throughput", "300", "--max-messages", "-1");
        CommitSampler sampler = new CommitSampler();
        try {
            awaitProgress(groups, "the groups' first records");
            for (String service : List.of(LocalCluster.GATEWAY, SECOND_GATEWAY, LocalCluster.partition(1),
                    LocalCluster.partition(2), LocalCluster.partition(3))) {
                bounceOneMember(groups);
                Duration took = cluster.restart(service);
                System.out.printf("[rolling] %s restarted in %.1f s%n", service, took.toMillis() / 1000.0);
                awaitProgress(groups, "reading on after " + service + " restarted");
            }
            // The groups' coordinator dies without a word: every kind of group is taken up again from Redis.
            bounceOneMember(groups);
            long killed = System.nanoTime();
            cluster.processes().kill(LocalCluster.COORDINATOR);
            cluster.processes().start(LocalCluster.COORDINATOR);
            System.out.printf("[rolling] coordinator SIGKILLed and started again in %.1f s%n",
                    (System.nanoTime() - killed) / 1e9);
            awaitProgress(groups, "reading on after the coordinator's SIGKILL");
        } finally {
            stop(producer);
        }
        Map<Integer, BitSet> acknowledged = acknowledged(produced);
        Files.delete(produced);
        List<Long> ends = cluster.highWatermarks(TOPIC);
        assertThat(IntStream.range(0, PARTITIONS).allMatch(p -> acknowledged.getOrDefault(p, new BitSet())
                .length() <= ends.get(p))).as("acknowledged offsets within %s", ends).isTrue();

        // Every group reads to each partition's end and commits it, then its members stop.
        try {
            awaitCommittedAt(ends, groups);
        } finally {
            sampler.stop();
            closeCurrent(groups);
        }

        for (Flavour flavour : Flavour.values()) {
            Map<Integer, BitSet> consumed = new HashMap<>();
            for (Member member : groups.get(flavour)) {
                member.events().forEach(event -> member.check(event, consumed));
            }
            for (int p = 0; p < PARTITIONS; p++) {
                BitSet missing = (BitSet) acknowledged.getOrDefault(p, new BitSet()).clone();
                missing.andNot(consumed.getOrDefault(p, new BitSet()));
                assertThat(missing.stream().boxed().toList())
                        .as("%s: acknowledged offsets of partition %d never consumed", flavour, p).isEmpty();
            }
            assertThat(groups.get(flavour)).flatExtracting(Member::backwards)
                    .as("%s: a member's successful commits that went backwards", flavour).isEmpty();
            JsonNode overHttp = cluster.call("GET", "/v1/groups/" + flavour.group(), null, null).json();
            List<Long> committedOverHttp = new ArrayList<>(ends.stream().map(e -> -1L).toList());
            overHttp.path("partitions").forEach(p -> committedOverHttp.set(p.path("partition").asInt(),
                    p.path("committed_offset").asLong()));
            assertThat(atEnds(committedOverHttp, ends)).as("%s: committed offsets over HTTP %s at the ends %s", flavour,
                    committedOverHttp, ends).isTrue();
        }
        assertThat(sampler.backwards()).as("committed offsets the admin client saw go backwards").isEmpty();
        assertThat(sampler.samples()).as("admin client samples of the committed offsets").isGreaterThan(20);
        System.out.printf("[figure] rolling restarts: %d records acknowledged, %d samples of committed offsets%n",
                acknowledged.values().stream().mapToInt(BitSet::cardinality).sum(), sampler.samples());
    }

    // ---- the tools

    /**
     * One {@link VerifiableConsumer} of a group on a thread of its own, committing synchronously after each poll (the
     * tool's default, which reports every commit); what it prints is kept as parsed events.
     */
    private static final class Member {

        private final Flavour flavour;
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();
        private final AtomicLong consumedCount = new AtomicLong();
        private final VerifiableConsumer tool;
        private final Thread thread;
        private final List<String> backwards = new ArrayList<>();
        private final Map<Integer, Long> lastCommitted = new HashMap<>();

        Member(Flavour flavour) {
            this.flavour = flavour;
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, flavour.group());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            properties.putAll(flavour.settings);
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                    new StringDeserializer());
            PrintStream out = new PrintStream(OutputStream.nullOutputStream()) {
                @Override
                public void println(String line) {
                    JsonNode event = GatewayCluster.JSON.readTree(line);
                    if ("records_consumed".equals(event.path("name").asString())) {
                        consumedCount.addAndGet(event.path("count").asLong());
                    }
                    events.add(event);
                }
            };
            tool = new VerifiableConsumer(consumer, out, TOPIC, -1, false, false, false, 30_000);
            thread = Thread.ofPlatform().name("verifiable-" + flavour.group()).start(tool::run);
        }

        List<JsonNode> events() {
            return events;
        }

        long consumedCount() {
            return consumedCount.get();
        }

        /** Adds a records_consumed event's offsets to {@code consumed}; notes a commit below this member's last one. */
        void check(JsonNode event, Map<Integer, BitSet> consumed) {
            switch (event.path("name").asString()) {
                case "records_consumed" -> event.path("partitions").forEach(summary -> {
                    long min = summary.path("minOffset").asLong();
                    long max = summary.path("maxOffset").asLong();
                    // A plain topic has no offset gaps: a summary whose count is not its span skipped a record.
                    assertThat(summary.path("count").asLong()).as("%s: records in %s", flavour, summary)
                            .isEqualTo(max - min + 1);
                    consumed.computeIfAbsent(summary.path("partition").asInt(), p -> new BitSet())
                            .set((int) min, (int) max + 1);
                });
                case "offsets_committed" -> {
                    if (event.path("success").asBoolean()) {
                        event.path("offsets").forEach(offset -> {
                            int partition = offset.path("partition").asInt();
                            long committed = offset.path("offset").asLong();
                            Long before = lastCommitted.put(partition, committed);
                            if (before != null && committed < before) {
                                backwards.add("partition " + partition + ": " + before + " then " + committed);
                            }
                        });
                    }
                }
                default -> {
                }
            }
        }

        List<String> backwards() {
            return backwards;
        }

        /**
         * The tool's last four assignment changes, last five failed commits (with their errors) and last successful
         * commit, in the order printed.
         */
        List<JsonNode> lastEvents() {
            List<JsonNode> assignments = last(4, event -> event.path("name").asString().startsWith("partitions_"));
            List<JsonNode> failed = last(5, event -> "offsets_committed".equals(event.path("name").asString())
                    && !event.path("success").asBoolean());
            List<JsonNode> succeeded = last(1, event -> "offsets_committed".equals(event.path("name").asString())
                    && event.path("success").asBoolean());
            return events.stream().filter(event -> assignments.contains(event) || failed.contains(event)
                    || succeeded.contains(event)).toList();
        }

        private List<JsonNode> last(int count, java.util.function.Predicate<JsonNode> kind) {
            List<JsonNode> matching = events.stream().filter(kind).toList();
            return matching.subList(Math.max(0, matching.size() - count), matching.size());
        }

        void close() throws InterruptedException {
            tool.close();
            thread.join(Duration.ofSeconds(60));
            // The tool stops on its own only when its consumer failed: then it completed before it was asked to.
            List<String> names = events.stream().map(event -> event.path("name").asString()).toList();
            assertThat(names.indexOf("shutdown_requested")).as("%s: the tool ran until asked to stop", flavour)
                    .isNotNegative().isLessThan(names.indexOf("shutdown_complete"));
        }
    }

    /** Ends the producer with SIGTERM: its shutdown hook flushes, prints its summary and closes. */
    private static void stop(Process producer) throws InterruptedException {
        producer.destroy();
        if (!producer.waitFor(60, TimeUnit.SECONDS)) {
            producer.destroyForcibly();
            producer.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the verifiable producer did not end within 60 s of SIGTERM");
        }
    }

    /** The offsets the producer reported acknowledged, by partition; none reported twice. */
    private static Map<Integer, BitSet> acknowledged(Path produced) throws Exception {
        Map<Integer, BitSet> acknowledged = new HashMap<>();
        long sent = 0;
        long errors = 0;
        for (String line : Files.readAllLines(produced)) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode event = GatewayCluster.JSON.readTree(line);
            switch (event.path("name").asString()) {
                case "producer_send_success" -> {
                    sent++;
                    BitSet offsets = acknowledged.computeIfAbsent(event.path("partition").asInt(), p -> new BitSet());
                    int offset = (int) event.path("offset").asLong();
                    assertThat(offsets.get(offset)).as("offset %s acknowledged twice", event).isFalse();
                    offsets.set(offset);
                }
                case "producer_send_error" -> errors++;
                default -> {
                }
            }
        }
        System.out.printf("[rolling] the producer had %d records acknowledged, %d sends failed%n", sent, errors);
        assertThat(sent).as("records acknowledged").isGreaterThan(1000);
        return acknowledged;
    }

    // ---- waits

    /** Waits until every group has consumed more than it had when called (at most 90 s). */
    private static void awaitProgress(Map<Flavour, List<Member>> groups, String what) {
        Map<Flavour, Long> before = new EnumMap<>(Flavour.class);
        groups.forEach((flavour, members) -> before.put(flavour, consumed(members)));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (groups.entrySet().stream().allMatch(g -> consumed(g.getValue()) > before.get(g.getKey()))) {
                return;
            }
            GatewayCluster.sleep(Duration.ofMillis(100));
        }
        Map<Flavour, Long> after = new EnumMap<>(Flavour.class);
        groups.forEach((flavour, members) -> after.put(flavour, consumed(members)));
        throw new AssertionError(what + ": a group read nothing in 90 s; records consumed before " + before
                + ", after " + after);
    }

    private static long consumed(List<Member> members) {
        return members.stream().mapToLong(Member::consumedCount).sum();
    }

    /** Waits until every group's committed offsets are {@code ends} (at most 120 s). */
    private static void awaitCommittedAt(List<Long> ends, Map<Flavour, List<Member>> groups) throws Exception {
        Map<Flavour, List<Long>> committed = new EnumMap<>(Flavour.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                for (Flavour flavour : Flavour.values()) {
                    committed.put(flavour, committed(admin, flavour.group()));
                }
                if (committed.values().stream().allMatch(offsets -> atEnds(offsets, ends))) {
                    return;
                }
                GatewayCluster.sleep(Duration.ofMillis(200));
            }
            throw new AssertionError("the groups' committed offsets " + committed + ", the partitions' ends " + ends
                    + "; the groups behind: " + described(admin, committed, ends, groups));
        }
    }

    /**
     * What the admin client and the HTTP API tell of each group not at the ends (its members and assignments), and what
     * its members' tools last printed of assignments and commits.
     */
    private static String described(Admin admin, Map<Flavour, List<Long>> committed, List<Long> ends,
                                    Map<Flavour, List<Member>> groups) {
        StringBuilder text = new StringBuilder();
        committed.forEach((flavour, offsets) -> {
            if (atEnds(offsets, ends)) {
                return;
            }
            text.append("\n").append(flavour).append(": ");
            try {
                text.append(admin.describeConsumerGroups(List.of(flavour.group())).all().get(10, TimeUnit.SECONDS));
            } catch (Exception e) {
                text.append("not described (").append(e).append(")");
            }
            text.append("\n  over HTTP: ").append(cluster.call("GET", "/v1/groups/" + flavour.group(), null, null)
                    .json());
            List<Member> members = groups.get(flavour);
            for (Member member : members.subList(Math.max(0, members.size() - 3), members.size())) {
                text.append("\n  member ").append(members.indexOf(member)).append(" last printed: ")
                        .append(member.lastEvents());
            }
        });
        return text.toString();
    }

    /**
     * Whether a group's committed offsets ({@code -1}: none) are the partitions' ends. A partition the producer wrote
     * nothing to may have no commit: VerifiableConsumer commits the offsets of records it consumed, and the producer's
     * sticky partitioner, which moves on only after a batch's worth of records, can pass a partition by for a whole run
     * (seen: ends [1293, 4976, 2859, 4395, 2547, 0], partition 5 committed by no group).
     */
    private static boolean atEnds(List<Long> committed, List<Long> ends) {
        return IntStream.range(0, ends.size()).allMatch(p -> committed.get(p).equals(ends.get(p))
                || ends.get(p) == 0 && committed.get(p) == -1);
    }

    private static List<Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return IntStream.range(0, PARTITIONS).mapToObj(p -> offsets.get(new TopicPartition(TOPIC, p)))
                .map(offset -> offset == null ? -1L : offset.offset()).toList();
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** In each group, the older of its two current members leaves and a new one joins. */
    private static void bounceOneMember(Map<Flavour, List<Member>> groups) throws Exception {
        groups.forEach((flavour, members) -> members.add(new Member(flavour)));
        close(groups.values().stream().map(members -> members.get(members.size() - 3)).toList());
    }

    private static void closeCurrent(Map<Flavour, List<Member>> groups) throws Exception {
        close(groups.values().stream().flatMap(members -> members.subList(members.size() - 2, members.size())
                .stream()).toList());
    }

    private static void close(List<Member> members) throws Exception {
        ExecutorService closing = Executors.newCachedThreadPool();
        try {
            List<Future<?>> closed = new ArrayList<>();
            members.forEach(member -> closed.add(closing.submit(() -> {
                member.close();
                return null;
            })));
            for (Future<?> future : closed) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            closing.shutdownNow();
        }
    }

    /**
     * Reads every group's committed offsets through the admin client (OffsetFetch) every 250 ms on a thread of its
     * own, and notes any that is below one read earlier. A read that fails (a gateway restarting) is skipped.
     */
    private static final class CommitSampler {

        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<String> backwards = new CopyOnWriteArrayList<>();
        private final Map<String, Long> last = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile int samples;

        CommitSampler() {
            thread = Thread.ofPlatform().name("commit-sampler").start(this::sample);
        }

        private void sample() {
            try (Admin admin = admin()) {
                while (!stopping.get()) {
                    for (Flavour flavour : Flavour.values()) {
                        try {
                            List<Long> committed = committed(admin, flavour.group());
                            for (int p = 0; p < PARTITIONS; p++) {
                                Long before = last.put(flavour + "-" + p, committed.get(p));
                                if (before != null && committed.get(p) < before) {
                                    backwards.add(flavour + " partition " + p + ": " + before + " then "
                                            + committed.get(p));
                                }
                            }
                            samples++;
                        } catch (Exception e) {
                            if (e instanceof InterruptedException) {
                                return;
                            }
                        }
                    }
                    GatewayCluster.sleep(Duration.ofMillis(250));
                }
            }
        }

        void stop() throws InterruptedException {
            stopping.set(true);
            thread.join(Duration.ofSeconds(30));
        }

        List<String> backwards() {
            return backwards;
        }

        int samples() {
            return samples;
        }
    }
}
