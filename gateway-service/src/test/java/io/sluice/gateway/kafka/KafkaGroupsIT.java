package io.sluice.gateway.kafka;

import static io.sluice.gateway.kafka.KafkaTools.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.gateway.testing.SseStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.tools.ConsumerPerformance;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Consumer groups over the Kafka protocol (KIP-848, {@code group.protocol=consumer}) with Kafka's own consumer, admin
 * client and {@code kafka-consumer-groups} tool, against real processes: the coordinator's groups, the ones HTTP
 * members use, shared by both protocols.
 */
@ExtendWith(SharedGatewayCluster.class)
class KafkaGroupsIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        cluster = shared;
    }

    @Test
    void twoKafkaConsumersOfOneGroupSplitTheTopicReadEveryRecordAndCommitTheirPositions() throws Exception {
        String topic = "groups-split";
        cluster.createTopic(topic, 4, 3, Map.of());
        produce(topic, 4, 0, 400);
        Map<Integer, Set<Long>> consumed = new ConcurrentHashMap<>();
        Reader one = new Reader("split", topic, consumed, Map.of());
        Reader two = new Reader("split", topic, consumed, Map.of());
        awaitConsumed(consumed, highWatermarks(topic));
        produce(topic, 4, 400, 400);
        awaitConsumed(consumed, highWatermarks(topic));
        try (Admin admin = admin()) {
            ConsumerGroupDescription group = awaitStable(admin, "split");
            assertThat(group.members()).hasSize(2);
            assertThat(group.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum())
                    .isEqualTo(4);
            assertThat(group.members()).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).hasSize(2));
            assertThat(group.members()).as("members' client ids and hosts, as their heartbeats came")
                    .allSatisfy(m -> {
                        assertThat(m.clientId()).startsWith("consumer-split-");
                        assertThat(m.host()).isEqualTo("/127.0.0.1");
                    });
        }
        Set<Integer> first = one.stop();
        Set<Integer> second = two.stop();
        assertThat(first).as("the partitions both consumers were given").doesNotContainAnyElementsOf(second);

        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("split")
                    .partitionsToOffsetAndMetadata().get();
            List<Long> ends = highWatermarks(topic);
            IntStream.range(0, 4).forEach(p -> assertThat(committed.get(new TopicPartition(topic, p)).offset())
                    .as("partition %d's committed offset", p).isEqualTo(ends.get(p)));
        }
        JsonNode overHttp = cluster.call("GET", "/v1/groups/split", null, null).json();
        assertThat(overHttp.path("partitions").size()).isEqualTo(4);
        overHttp.path("partitions").forEach(p -> assertThat(p.path("lag").asLong()).isZero());
    }

    /**
     * A consumer group's configs set over HTTP ({@code PATCH /v1/groups/{group}/configs}) are Kafka's group configs:
     * Kafka's Admin describes them as the group's own, and a KIP-848 consumer, which names no session, is kept under
     * the group's {@code consumer.session.timeout.ms}. A bad value is a 400 that changes nothing.
     */
    @Test
    void aConsumerGroupsConfigsSetOverHttpHoldForAKafkaConsumerAndAreKafkasGroupConfigs() throws Exception {
        String topic = "groups-tuned";
        String configs = "/v1/groups/tuned/configs";
        cluster.createTopic(topic, 2, 3, Map.of());
        Response set = cluster.call("PATCH", configs, "{\"configs\": [{\"name\": \"consumer.session.timeout.ms\","
                + " \"value\": \"20000\"}, {\"name\": \"consumer.heartbeat.interval.ms\", \"value\": \"1000\"}]}",
                "application/json");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        Response refused = cluster.call("PATCH", configs, "{\"configs\": [{\"name\":"
                + " \"consumer.session.timeout.ms\", \"value\": \"900\"}]}", "application/json");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("INVALID_CONFIG");
        JsonNode after = cluster.call("GET", configs, null, null).json();
        assertThat(after.path("configs").valueStream()
                .filter(c -> c.path("name").asString().equals("consumer.session.timeout.ms")).findFirst().orElseThrow()
                .path("value").asString()).isEqualTo("20000");

        try (Admin admin = admin()) {
            ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "tuned");
            ConfigEntry session = admin.describeConfigs(List.of(group)).all().get().get(group)
                    .get("consumer.session.timeout.ms");
            assertThat(session.value()).isEqualTo("20000");
            assertThat(session.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);

            Reader reader = new Reader("tuned", topic, new ConcurrentHashMap<>(), Map.of("group.protocol", "consumer"));
            try {
                awaitStable(admin, "tuned");
                JsonNode overHttp = cluster.call("GET", "/v1/groups/tuned", null, null).json();
                assertThat(overHttp.path("members").valueStream().map(m -> m.path("session_timeout_ms").asInt())
                        .toList()).as("the Kafka consumer's session, the group's").containsExactly(20_000);
            } finally {
                reader.stop();
            }
        }
    }

    /**
     * A Kafka consumer of either group protocol shares a group with an HTTP member. A classic one (Kafka's default
     * {@code group.protocol}) joins the consumer group as a member the coordinator assigns, and learns from its
     * heartbeats when to join again for more partitions.
     */
    @ParameterizedTest
    @ValueSource(strings = {"consumer", "classic"})
    void aKafkaConsumerAndAPollingHttpMemberShareAGroupAndWhenTheHttpMemberLeavesNoRecordIsSkipped(String protocol)
            throws Exception {
        String topic = "groups-mixed-" + protocol;
        String group = "mixed-" + protocol;
        cluster.createTopic(topic, 4, 3, Map.of());
        Map<Integer, Set<Long>> consumed = new ConcurrentHashMap<>();

        // The split is settled before any record exists: a Kafka consumer that joined first and found records
        // would read them all before the HTTP member got a share, and the test would prove nothing about sharing.
        // The HTTP member joins first: a classic consumer alone in a group makes it a classic group.
        JsonNode joined = cluster.postJson("/v1/groups/" + group + "/members",
                "{\"topics\": [\"" + topic + "\"], \"auto_offset_reset\": \"earliest\"}").json();
        Reader kafka = new Reader(group, topic, consumed, Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol));
        String member = joined.path("member_id").asString();
        String cursor = joined.path("cursor").asString();
        Set<Integer> httpAssigned = assignment(joined);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!splitBetween(httpAssigned, kafka.assignment()) && System.nanoTime() < deadline) {
            JsonNode polled = poll(group, member, cursor);
            cursor = polled.path("cursor").asString();
            httpAssigned = assignment(polled);
        }
        assertThat(httpAssigned).as("the HTTP member's share").isNotEmpty().hasSizeLessThan(4)
                .doesNotContainAnyElementsOf(kafka.assignment());

        produce(topic, 4, 0, 400);
        List<Long> ends = highWatermarks(topic);
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!covered(consumed, ends) && System.nanoTime() < deadline) {
            JsonNode polled = poll(group, member, cursor);
            cursor = polled.path("cursor").asString();
            polled.path("records").forEach(r -> consumed.computeIfAbsent(r.path("partition").asInt(),
                    p -> ConcurrentHashMap.newKeySet()).add(r.path("offset").asLong()));
        }
        assertThat(covered(consumed, ends)).as("both members together read everything").isTrue();

        Response left = cluster.call("DELETE", "/v1/groups/" + group + "/members/" + member + "?cursor=" + cursor, null,
                null);
        assertThat(left.status()).isEqualTo(204);
        produce(topic, 4, 400, 400);
        awaitConsumed(consumed, highWatermarks(topic));
        assertThat(kafka.stop()).as("the Kafka consumer's partitions in the end")
                .containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void kafkaConsumerGroupsListsDescribesResetsAndDeletesAGroup() throws Exception {
        String topic = "groups-tool";
        cluster.createTopic(topic, 2, 3, Map.of());
        produce(topic, 2, 0, 100);
        Map<Integer, Set<Long>> consumed = new ConcurrentHashMap<>();
        Reader reader = new Reader("tool", topic, consumed, Map.of());
        awaitConsumed(consumed, highWatermarks(topic));
        String bootstrap = cluster.kafkaBootstrap();

        assertThat(run(ConsumerGroupCommand::main, "--bootstrap-server", bootstrap, "--list").out().lines())
                .contains("tool");
        String members = run(ConsumerGroupCommand::main, "--bootstrap-server", bootstrap, "--describe",
                "--group", "tool", "--members").out();
        assertThat(members).contains("tool");
        assertThat(members.lines().filter(line -> line.startsWith("tool ")))
                .as("the member's line: its client id and host").singleElement()
                .satisfies(line -> assertThat(line).contains("consumer-tool-", "/127.0.0.1"));
        reader.stop();
        try (Admin admin = admin()) {
            awaitEmpty(admin, "tool");
        }
        String described = run(ConsumerGroupCommand::main, "--bootstrap-server", bootstrap, "--describe",
                "--group", "tool").out();
        assertThat(described.lines().filter(line -> line.contains(topic)))
                .as("a line per partition, committed at its end (50)").hasSize(2)
                .allSatisfy(line -> assertThat(line.split("\\s+")).contains("50"));

        String dryRun = run(ConsumerGroupCommand::main, "--bootstrap-server", bootstrap, "--reset-offsets",
                "--group", "tool", "--topic", topic, "--to-earliest", "--dry-run").out();
        assertThat(dryRun).contains(topic);
        assertThat(committed("tool", topic)).as("a dry run commits nothing").containsExactly(50L, 50L);
        assertThat(run(ConsumerGroupCommand::main, "--bootstrap-server", bootstrap, "--reset-offsets", "--group",
                "tool", "--topic", topic, "--to-offset", "10", "--execute").exitCode()).isZero();
        assertThat(committed("tool", topic)).containsExactly(10L, 10L);
        JsonNode overHttp = cluster.call("GET", "/v1/groups/tool", null, null).json();
        overHttp.path("partitions").forEach(p -> assertThat(p.path("committed_offset").asLong()).isEqualTo(10));

        assertThat(run(ConsumerGroupCommand::main, "--bootstrap-server", bootstrap, "--delete", "--group", "tool")
                .exitCode()).isZero();
        assertThat(cluster.call("GET", "/v1/groups/tool", null, null).status()).isEqualTo(404);
    }

    @Test
    void kafkasConsumerPerformanceToolReadsEveryRecordInAGroupOfItsOwn() throws Exception {
        String topic = "groups-consumer-performance";
        cluster.createTopic(topic, 3, 3, Map.of());
        produce(topic, 3, 0, 3000);

        KafkaTools.ToolRun run = run(ConsumerPerformance::main, "--bootstrap-server", cluster.kafkaBootstrap(),
                "--topic", topic, "--num-records", "3000", "--group", "perf", "--timeout", "60000",
                "--command-property", "group.protocol=consumer", "--hide-header");

        assertThat(run.exitCode()).as(run.err()).isZero();
        // start, end, MB consumed, MB/s, records consumed, ...
        String[] figures = run.out().lines().toList().getLast().split(",\\s*");
        assertThat(Long.parseLong(figures[4].trim())).as("records consumed").isEqualTo(3000);
        try (Admin admin = admin()) {
            assertThat(admin.listGroups().all().get()).extracting(GroupListing::groupId).contains("perf");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.apache.kafka.clients.consumer.RangeAssignor",
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"})
    void classicConsumersSplitATopicWithTheirOwnAssignorAndWhenOneLeavesTheOtherReadsOnWithNothingSkipped(
            String assignor) throws Exception {
        String group = "classic-" + assignor.substring(assignor.lastIndexOf('.') + 1);
        String topic = "groups-" + group.toLowerCase();
        cluster.createTopic(topic, 4, 3, Map.of());
        produce(topic, 4, 0, 400);
        Map<Integer, Set<Long>> consumed = new ConcurrentHashMap<>();
        Map<String, String> classic = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor);
        Reader first = new Reader(group, topic, consumed, classic);
        Reader second = new Reader(group, topic, consumed, classic);
        awaitConsumed(consumed, highWatermarks(topic));
        try (Admin admin = admin()) {
            ConsumerGroupDescription described = awaitStable(admin, group);
            assertThat(described.type()).isEqualTo(org.apache.kafka.common.GroupType.CLASSIC);
            assertThat(described.members()).hasSize(2)
                    .allSatisfy(m -> assertThat(m.assignment().topicPartitions()).hasSize(2));
        }

        Set<Integer> secondHad = second.stop();
        produce(topic, 4, 400, 400);
        awaitConsumed(consumed, highWatermarks(topic));
        assertThat(first.stop()).as("the remaining consumer's partitions after the other left")
                .containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(secondHad).hasSize(2);
        assertThat(committed(group, topic, 4)).as("committed offsets").isEqualTo(highWatermarks(topic));
    }

    /**
     * A Kafka consumer of either protocol and an SSE member (a member for the life of its connection) share a group;
     * the SSE member closes its stream, which leaves the group, and the Kafka consumer reads the rest: nothing skipped.
     */
    @ParameterizedTest
    @ValueSource(strings = {"consumer", "classic"})
    void aKafkaConsumerAndAnSseMemberShareAGroupAndWhenTheSseMemberLeavesNoRecordIsSkipped(String protocol)
            throws Exception {
        String topic = "groups-sse-" + protocol;
        String group = "sse-" + protocol;
        cluster.createTopic(topic, 4, 3, Map.of());
        Map<Integer, Set<Long>> consumed = new ConcurrentHashMap<>();
        URI uri = URI.create(cluster.gatewayUrl() + "/v1/groups/" + group + "/records?topics=" + topic
                + "&auto_offset_reset=earliest&auto_commit_interval_ms=200");
        Reader kafka;
        try (SseStream sse = SseStream.open(cluster.http(), uri, null, 1024)) {
            assertThat(sse.status()).as(sse.errorBody()).isEqualTo(200);
            Set<Integer> sseAssigned = new TreeSet<>();
            take(sse, sseAssigned, consumed, Duration.ofSeconds(5));
            assertThat(sseAssigned).as("the SSE member alone").hasSize(4);
            kafka = new Reader(group, topic, consumed, Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!splitBetween(sseAssigned, kafka.assignment()) && System.nanoTime() < deadline) {
                take(sse, sseAssigned, consumed, Duration.ofMillis(200));
            }
            assertThat(sseAssigned).as("the SSE member's share").isNotEmpty().hasSizeLessThan(4)
                    .doesNotContainAnyElementsOf(kafka.assignment());

            produce(topic, 4, 0, 400);
            List<Long> ends = highWatermarks(topic);
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!covered(consumed, ends) && System.nanoTime() < deadline) {
                take(sse, sseAssigned, consumed, Duration.ofMillis(200));
            }
            assertThat(covered(consumed, ends)).as("both members together read everything").isTrue();
        }
        produce(topic, 4, 400, 400);
        awaitConsumed(consumed, highWatermarks(topic));
        assertThat(kafka.stop()).as("the Kafka consumer's partitions in the end").containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    /** Takes the SSE member's events for {@code time}: its assignment as the last event said, the records it read. */
    private static void take(SseStream sse, Set<Integer> assigned, Map<Integer, Set<Long>> consumed, Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        for (SseStream.Event event = sse.next(time); event != null; event = System.nanoTime() < deadline
                ? sse.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))) : null) {
            JsonNode data = GatewayCluster.JSON.readTree(event.data());
            if ("assignment".equals(event.event())) {
                assigned.clear();
                assigned.addAll(assignment(data));
            } else if ("record".equals(event.event())) {
                consumed.computeIfAbsent(data.path("partition").asInt(), p -> ConcurrentHashMap.newKeySet())
                        .add(data.path("offset").asLong());
            } else if ("error".equals(event.event())) {
                throw new AssertionError("The SSE member's stream failed: " + event.data());
            }
        }
    }

    /**
     * Kafka consumers of the two group protocols in one group (Kafka's online migration), whichever came first: a
     * classic consumer joining a consumer-protocol member's group is assigned by the coordinator; a consumer-protocol
     * member joining a classic consumer's group makes it a consumer group, the classic consumer keeping what its leader
     * gave it until its heartbeat tells it to join again. They split the partitions, the first leaves, the second
     * takes over: nothing is skipped, and the committed offsets end at the high watermarks.
     */
    @ParameterizedTest
    @ValueSource(strings = {"consumer", "classic"})
    void consumersOfBothProtocolsShareAGroupWhicheverCameFirstAndNothingIsSkipped(String first) throws Exception {
        String second = first.equals("consumer") ? "classic" : "consumer";
        String topic = "groups-protocols-" + first;
        String group = "protocols-" + first;
        cluster.createTopic(topic, 2, 3, Map.of());
        produce(topic, 2, 0, 100);
        Map<Integer, Set<Long>> consumed = new ConcurrentHashMap<>();
        Reader earlier = new Reader(group, topic, consumed, Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, first));
        awaitConsumed(consumed, highWatermarks(topic));
        Reader later = new Reader(group, topic, consumed, Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, second));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(earlier.assignment().size() == 1 && later.assignment().size() == 1)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(later.assignment()).as("the %s consumer's share", second).hasSize(1)
                .doesNotContainAnyElementsOf(earlier.assignment());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()))) {
            assertThat(admin.describeConsumerGroups(List.of(group)).all().get().get(group).members())
                    .as("one consumer group holding both, one of them a classic member (not 'upgraded')")
                    .extracting(m -> m.upgraded().orElseThrow()).containsExactlyInAnyOrder(true, false);
        }
        produce(topic, 2, 100, 100);
        awaitConsumed(consumed, highWatermarks(topic));

        earlier.stop();
        produce(topic, 2, 200, 100);
        awaitConsumed(consumed, highWatermarks(topic));
        assertThat(later.stop()).as("its partitions in the end").containsExactlyInAnyOrder(0, 1);
        assertThat(committed(group, topic, 2)).as("committed offsets").isEqualTo(highWatermarks(topic));
    }

    /**
     * A group whose members all left is taken over by members of the other protocol, as Kafka replaces an empty group
     * of the other type: they read on from its committed offsets, classic to consumer and back.
     */
    @Test
    void anEmptyGroupIsJoinedByMembersOfTheOtherProtocolWhoReadOnFromItsCommittedOffsets() throws Exception {
        String topic = "groups-protocols-empty";
        cluster.createTopic(topic, 1, 3, Map.of());
        Map<String, String> classic = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        List<Map<String, String>> protocols = List.of(classic, Map.of(), classic);
        for (int round = 0; round < protocols.size(); round++) {
            produce(topic, 1, round * 10, 10);
            Map<Integer, Set<Long>> consumed = new ConcurrentHashMap<>();
            Reader reader = new Reader("protocols-empty", topic, consumed, protocols.get(round));
            long last = round * 10L + 9;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!consumed.getOrDefault(0, Set.of()).contains(last) && System.nanoTime() < deadline) {
                GatewayCluster.sleep(Duration.ofMillis(100));
            }
            reader.stop();
            try (Admin admin = admin()) {
                awaitEmpty(admin, "protocols-empty");
            }
            assertThat(consumed.get(0)).as("round %d (%s) read on from the committed offset", round,
                    protocols.get(round)).containsExactlyInAnyOrderElementsOf(
                            LongStream.range(round * 10L, round * 10L + 10).boxed().toList());
        }
    }

    /**
     * OffsetDelete through the admin client and {@code kafka-consumer-groups --delete-offsets}: only the partitions
     * named lose their offsets; a group that does not exist is GROUP_ID_NOT_FOUND; a topic the group's members read,
     * of either protocol, keeps its offsets (GROUP_SUBSCRIBED_TO_TOPIC) while another topic's go.
     */
    @Test
    void offsetDeleteRemovesTheNamedPartitionsOffsetsButNeverOnesOfATopicTheGroupReads() throws Exception {
        String read = "groups-offsets-read";
        String other = "groups-offsets-other";
        cluster.createTopic(read, 2, 3, Map.of());
        cluster.createTopic(other, 2, 3, Map.of());
        produce(read, 2, 0, 20);
        produce(other, 2, 0, 20);
        TopicPartition read0 = new TopicPartition(read, 0);
        TopicPartition other0 = new TopicPartition(other, 0);
        TopicPartition other1 = new TopicPartition(other, 1);
        try (Admin admin = admin()) {
            for (String group : List.of("pruned", "pruned-classic")) {
                admin.alterConsumerGroupOffsets(group, Map.of(read0, new OffsetAndMetadata(4),
                        new TopicPartition(read, 1), new OffsetAndMetadata(4), other0, new OffsetAndMetadata(3),
                        other1, new OffsetAndMetadata(3))).all().get();
            }

            KafkaTools.ToolRun run = run(ConsumerGroupCommand::main, "--bootstrap-server", cluster.kafkaBootstrap(),
                    "--delete-offsets", "--group", "pruned", "--topic", other + ":0");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(admin.listConsumerGroupOffsets("pruned").partitionsToOffsetAndMetadata().get())
                    .as("the offsets left").containsOnlyKeys(read0, new TopicPartition(read, 1), other1);

            assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets("never-was", Set.of(other1)).all().get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupIdNotFoundException.class);
            assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets("pruned",
                    Set.of(new TopicPartition(other, 7))).all().get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.UnknownTopicOrPartitionException.class);

            Map<Integer, Set<Long>> consumed = new ConcurrentHashMap<>();
            Reader reader = new Reader("pruned", read, consumed, Map.of());
            Reader classicReader = new Reader("pruned-classic", read, new ConcurrentHashMap<>(), Map.of(
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"));
            try {
                for (String group : List.of("pruned", "pruned-classic")) {
                    assertThat(awaitStable(admin, group).members()).as(group).hasSize(1);
                }
                for (String group : List.of("pruned", "pruned-classic")) {
                    var refused = admin.deleteConsumerGroupOffsets(group, Set.of(read0));
                    assertThat(catchThrowable(() -> refused.partitionResult(read0).get())).as(group)
                            .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupSubscribedToTopicException.class);
                    admin.deleteConsumerGroupOffsets(group, Set.of(other1)).all().get();
                    assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
                            .as("%s: the offsets left", group).containsKey(read0).doesNotContainKey(other1);
                }
            } finally {
                reader.stop();
                classicReader.stop();
            }
        }
    }

    /**
     * The HTTP API's offset delete follows the coordinator's one rule, as OffsetDelete does: while a classic Kafka
     * consumer reads a topic, deleting its offsets over HTTP is 409 GROUP_SUBSCRIBED_TO_TOPIC and a reset, even a
     * forced one, 409 NON_EMPTY_GROUP, the offsets as they were; once the consumer has left, the delete goes through.
     */
    @Test
    void overHttpATopicAClassicConsumerReadsKeepsItsOffsetsUntilTheConsumerHasLeft() throws Exception {
        String topic = "groups-http-classic";
        String group = "http-classic";
        cluster.createTopic(topic, 2, 3, Map.of());
        produce(topic, 2, 0, 20);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        String offsets = "/v1/groups/" + group + "/topics/" + topic + "/offsets";
        try (Admin admin = admin()) {
            // At the log end: the consumer reads nothing and commits the same offsets, so they only change if deleted.
            admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(10), p1,
                    new OffsetAndMetadata(10))).all().get();
            Reader reader = new Reader(group, topic, new ConcurrentHashMap<>(), Map.of(
                    ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"));
            try {
                assertThat(awaitStable(admin, group).members()).hasSize(1);

                Response refused = cluster.call("DELETE", offsets, null, null);
                assertThat(refused.status()).as(refused.text()).isEqualTo(409);
                assertThat(refused.json().path("error_code").asString()).isEqualTo("GROUP_SUBSCRIBED_TO_TOPIC");
                Response reset = cluster.postJson("/v1/groups/" + group + "/offsets/reset",
                        "{\"topic\": \"" + topic + "\", \"to\": \"earliest\", \"force\": true}");
                assertThat(reset.status()).as(reset.text()).isEqualTo(409);
                assertThat(reset.json().path("error_code").asString()).isEqualTo("NON_EMPTY_GROUP");
                assertThat(committed(group, topic)).as("the offsets after both refusals").containsExactly(10L, 10L);
            } finally {
                reader.stop();
            }
            awaitEmpty(admin, group);

            Response deleted = cluster.call("DELETE", offsets, null, null);
            assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
                    .doesNotContainKeys(p0, p1);
        }
    }

    // ---- helpers

    /**
     * A Kafka consumer of a group reading a topic on a thread of its own, into {@code consumed} (offsets per partition),
     * committing automatically, until {@link #stop}, when it commits and leaves.
     */
    private static final class Reader {

        private final AtomicBoolean stopping = new AtomicBoolean();
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final Future<Set<Integer>> assigned;
        private volatile Set<Integer> current = Set.of();

        Reader(String group, String topic, Map<Integer, Set<Long>> consumed, Map<String, String> overrides) {
            assigned = thread.submit(() -> read(group, topic, consumed, overrides));
        }

        /** The partitions it holds now. */
        Set<Integer> assignment() {
            return current;
        }

        /** Stops it; the partitions it was assigned last. */
        Set<Integer> stop() throws Exception {
            stopping.set(true);
            try {
                return assigned.get(1, TimeUnit.MINUTES);
            } finally {
                thread.shutdown();
            }
        }

        private Set<Integer> read(String group, String topic, Map<Integer, Set<Long>> consumed,
                                  Map<String, String> overrides) {
            Set<Integer> last = new TreeSet<>();
            Properties properties = consumerProperties(group);
            properties.putAll(overrides);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties,
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (!stopping.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        consumed.computeIfAbsent(record.partition(), p -> ConcurrentHashMap.newKeySet())
                                .add(record.offset());
                    }
                    last.clear();
                    consumer.assignment().forEach(tp -> last.add(tp.partition()));
                    current = Set.copyOf(last);
                }
                consumer.commitSync();
            }
            return last;
        }
    }

    private static Properties consumerProperties(String group) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "200");
        return properties;
    }

    /** The partitions an HTTP member's join or poll answer says it owns. */
    private static Set<Integer> assignment(JsonNode answer) {
        Set<Integer> partitions = new TreeSet<>();
        answer.path("assignment").forEach(t -> t.path("partitions").forEach(p -> partitions.add(p.asInt())));
        return partitions;
    }

    /** Whether two members hold all four partitions between them, each some, none twice. */
    private static boolean splitBetween(Set<Integer> one, Set<Integer> other) {
        Set<Integer> both = new TreeSet<>(one);
        both.addAll(other);
        return !one.isEmpty() && !other.isEmpty() && both.size() == 4 && one.size() + other.size() == 4;
    }

    private static JsonNode poll(String group, String member, String cursor) {
        Response polled = cluster.postJson("/v1/groups/" + group + "/members/" + member + "/poll",
                "{\"cursor\": \"" + cursor + "\", \"wait_ms\": 200}");
        assertThat(polled.status()).as(polled.text()).isEqualTo(200);
        return polled.json();
    }

    /** Records {@code from} to {@code from + count - 1}, spread evenly over the partitions. */
    private static void produce(String topic, int partitions, int from, int count) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null,
                        ("record-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private static List<Long> highWatermarks(String topic) {
        return cluster.highWatermarks(topic);
    }

    private static boolean covered(Map<Integer, Set<Long>> consumed, List<Long> ends) {
        for (int p = 0; p < ends.size(); p++) {
            Set<Long> offsets = consumed.getOrDefault(p, Set.of());
            for (long offset = 0; offset < ends.get(p); offset++) {
                if (!offsets.contains(offset)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void awaitConsumed(Map<Integer, Set<Long>> consumed, List<Long> ends) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!covered(consumed, ends) && System.nanoTime() < deadline) {
            GatewayCluster.sleep(Duration.ofMillis(100));
        }
        assertThat(covered(consumed, ends)).as("every record below %s read, got %s", ends, sizes(consumed)).isTrue();
    }

    private static Map<Integer, Integer> sizes(Map<Integer, Set<Long>> consumed) {
        Map<Integer, Integer> sizes = new HashMap<>();
        consumed.forEach((p, offsets) -> sizes.put(p, offsets.size()));
        return sizes;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
    }

    private static ConsumerGroupDescription awaitStable(Admin admin, String group) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ConsumerGroupDescription described;
        do {
            described = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            if (described.groupState() == GroupState.STABLE) {
                return described;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return described;
    }

    private static void awaitEmpty(Admin admin, String group) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            GroupListing listing = admin.listGroups().all().get().stream()
                    .filter(g -> g.groupId().equals(group)).findFirst().orElseThrow();
            if (listing.groupState().orElse(null) == GroupState.EMPTY) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(group + " still has members");
    }

    private static List<Long> committed(String group, String topic) throws Exception {
        return committed(group, topic, 2);
    }

    private static List<Long> committed(String group, String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return IntStream.range(0, partitions).mapToObj(p -> offsets.get(new TopicPartition(topic, p)).offset())
                    .toList();
        }
    }
}
