package io.sluice.gateway.kafka;

import static io.sluice.gateway.kafka.KafkaTools.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.KafkaWire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.ShareAcknowledgeRequest;
import org.apache.kafka.common.requests.ShareAcknowledgeResponse;
import org.apache.kafka.common.requests.ShareFetchRequest;
import org.apache.kafka.common.requests.ShareFetchResponse;
import org.apache.kafka.common.requests.ShareGroupDescribeRequest;
import org.apache.kafka.common.requests.ShareGroupDescribeResponse;
import org.apache.kafka.common.requests.ShareGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ShareGroupHeartbeatResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.tools.consumer.group.ShareGroupCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Share groups over the Kafka protocol (KIP-932) with kafka-clients' own {@code KafkaShareConsumer}, against real
 * processes (the shared cluster, whose coordinator locks records for 5 s and starts new share-partitions at the log
 * start): explicit and implicit acknowledgement, consumers splitting a topic's records, a share consumer and an HTTP
 * worker in one group, a leaving member's records delivered again at once, refused acknowledgements, and consumers
 * reading on through a SIGKILL of the coordinator.
 */
@ExtendWith(SharedGatewayCluster.class)
class KafkaShareGroupsIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        cluster = shared;
    }

    @Test
    void anExplicitShareConsumerAcceptsReleasesAndRejectsAndAReleasedRecordComesBackDeliveredTwice() {
        String topic = "ksh-explicit";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 6);
        try (KafkaShareConsumer<String, String> consumer = consumer("ksh-explicit-group", "explicit")) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> first = pollUntil(consumer, 6, AcknowledgeType.ACCEPT, false);
            assertThat(first).extracting(ConsumerRecord::value)
                    .containsExactly("record-0", "record-1", "record-2", "record-3", "record-4", "record-5");
            assertThat(first).allSatisfy(r -> assertThat(r.deliveryCount()).hasValue((short) 1));
            for (ConsumerRecord<String, String> record : first) {
                consumer.acknowledge(record, record.offset() == 4 ? AcknowledgeType.RELEASE
                        : record.offset() == 5 ? AcknowledgeType.REJECT : AcknowledgeType.ACCEPT);
            }
            assertThat(consumer.commitSync(Duration.ofSeconds(10)).values()).allSatisfy(error ->
                    assertThat(error).isEmpty());

            List<ConsumerRecord<String, String>> again = pollUntil(consumer, 1, AcknowledgeType.ACCEPT, true);
            assertThat(again).singleElement().satisfies(r -> {
                assertThat(r.value()).isEqualTo("record-4");
                assertThat(r.deliveryCount()).hasValue((short) 2);
            });
            consumer.commitSync(Duration.ofSeconds(10));
        }
        assertThat(httpTake("ksh-explicit-group", topic, "checker", 2000)).as("every record accepted or archived")
                .isEmpty();
    }

    @Test
    void anImplicitShareConsumerAcceptsEveryRecordItIsGiven() {
        String topic = "ksh-implicit";
        cluster.createTopic(topic, 2, 3, Map.of());
        produce(topic, 2, 0, 40);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (KafkaShareConsumer<String, String> consumer = consumer("ksh-implicit-group", "implicit")) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < 40 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> assertThat(seen.add(r.value())).isTrue());
            }
            consumer.commitSync(Duration.ofSeconds(10));
        }
        assertThat(seen).hasSize(40);
        assertThat(httpTake("ksh-implicit-group", topic, "checker", 2000)).isEmpty();
    }

    /**
     * Two share consumers read on through a SIGKILL of the coordinator, which keeps the share-partitions' state: every
     * record ends accepted, none whose acceptance was confirmed is delivered again, and nothing is left to take.
     * Acceptances the consumers could not confirm while the coordinator was away are delivered again once it is back,
     * or (if the acceptance had landed) not; either is Kafka's contract.
     */
    @Test
    void shareConsumersReadOnThroughACoordinatorSigkillAndNoConfirmedAcceptanceIsDeliveredAgain() throws Exception {
        String topic = "ksh-coordinator-kill";
        String group = "ksh-coordinator-kill-group";
        cluster.createTopic(topic, 4, 3, Map.of());
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        Set<String> produced = new HashSet<>();
        try (Readers readers = new Readers()) {
            readers.startThroughFaults(2, group, topic, accepted, new ConcurrentHashMap<>());
            readers.awaitPolling();
            // Four batches, the coordinator killed after the second while the consumers hold records of it.
            for (int i = 0; i < 400; i += 100) {
                produce(topic, 4, i, 100);
                IntStream.range(i, i + 100).forEach(n -> produced.add("record-" + n));
                if (i == 100) {
                    cluster.processes().kill(LocalCluster.COORDINATOR);
                    cluster.processes().start(LocalCluster.COORDINATOR);
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!covered(produced, accepted.keySet(), readers.unconfirmed) && System.nanoTime() < deadline) {
                GatewayCluster.sleep(Duration.ofMillis(100));
            }
            System.out.printf("[figure] share consumers through a coordinator SIGKILL: %d records, %d accepted, %d"
                    + " acceptances unconfirmed%n", produced.size(), accepted.size(), readers.refusedAcks.get());
            assertThat(covered(produced, accepted.keySet(), readers.unconfirmed))
                    .as("every record accepted, or its acceptance unconfirmed").isTrue();
        }
        assertThat(accepted.values()).as("confirmed acceptances: each record once").allMatch(count -> count == 1);
        // Past the 5 s lock: whatever was taken and not accepted would be offered again.
        assertThat(httpTake(group, topic, "checker", 7000)).as("nothing left to take").isEmpty();
    }

    private static boolean covered(Set<String> produced, Set<String> accepted, Set<String> unconfirmed) {
        return produced.stream().allMatch(value -> accepted.contains(value) || unconfirmed.contains(value));
    }

    @Test
    void twoShareConsumersSplitTheRecordsAndNoneIsAcceptedTwice() throws Exception {
        String topic = "ksh-split";
        cluster.createTopic(topic, 4, 3, Map.of());
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        Map<String, Set<String>> byConsumer = new ConcurrentHashMap<>();
        try (Readers readers = new Readers()) {
            readers.start(2, "ksh-split-group", topic, accepted, byConsumer);
            // Both are polling before records come, a few at a time: one alone would otherwise take them all.
            readers.awaitPolling();
            for (int i = 0; i < 400; i += 10) {
                produce(topic, 4, i, 10);
                GatewayCluster.sleep(Duration.ofMillis(20));
            }
            awaitSize(accepted, 400);
        }
        assertThat(accepted).hasSize(400);
        assertThat(accepted.values()).as("accepted once").allMatch(count -> count == 1);
        assertThat(byConsumer.values()).as("both consumers took records").hasSize(2)
                .allSatisfy(values -> assertThat(values).isNotEmpty());
    }

    /**
     * The admin client describes a share group: its share consumers, their subscriptions and assignments; so does the
     * HTTP describe, and a delete is refused while the consumer is in the group.
     */
    @Test
    void theAdminClientDescribesAShareGroupsMembers() throws Exception {
        String topic = "ksh-describe";
        String group = "ksh-describe-group";
        cluster.createTopic(topic, 2, 3, Map.of());
        try (KafkaShareConsumer<String, String> consumer = consumer(group, "implicit");
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     cluster.kafkaBootstrap()))) {
            consumer.subscribe(List.of(topic));
            consumer.poll(Duration.ofMillis(500));
            ShareGroupDescription described = admin.describeShareGroups(List.of(group)).describedGroups().get(group)
                    .get(30, TimeUnit.SECONDS);
            assertThat(described.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(described.members()).singleElement().satisfies(member -> {
                assertThat(member.assignment().topicPartitions()).extracting(tp -> tp.partition())
                        .containsExactlyInAnyOrder(0, 1);
                assertThat(member.host()).isEqualTo("/127.0.0.1");
            });

            Response overHttp = cluster.call("GET", "/v1/share-groups/" + group, null, null);
            assertThat(overHttp.status()).as(overHttp.text()).isEqualTo(200);
            assertThat(overHttp.json().path("members")).singleElement().satisfies(member -> {
                assertThat(member.path("member_id").asString()).isEqualTo(described.members().iterator().next()
                        .consumerId());
                assertThat(member.path("subscribed_topics").get(0).asString()).isEqualTo(topic);
                assertThat(member.path("assignment").get(0).path("partitions")).hasSize(2);
            });
            Response deleteRefused = cluster.call("DELETE", "/v1/share-groups/" + group, null, null);
            assertThat(deleteRefused.status()).as(deleteRefused.text()).isEqualTo(409);
            assertThat(deleteRefused.json().path("error_code").asString()).isEqualTo("NON_EMPTY_GROUP");
        }
    }

    @Test
    void aShareConsumerAndAnHttpWorkerShareOneGroupAndEveryRecordIsAcceptedOnce() throws Exception {
        String topic = "ksh-mixed";
        String group = "ksh-mixed-group";
        cluster.createTopic(topic, 2, 3, Map.of());
        produce(topic, 2, 0, 300);
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        Map<String, Set<String>> byConsumer = new ConcurrentHashMap<>();
        int byHttp = 0;
        try (Readers readers = new Readers()) {
            readers.start(1, group, topic, accepted, byConsumer);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (accepted.size() < 300 && System.nanoTime() < deadline) {
                List<JsonNode> taken = httpTake(group, topic, "http-worker", 200, 20);
                if (taken.isEmpty()) {
                    continue;
                }
                StringBuilder items = new StringBuilder();
                for (JsonNode record : taken) {
                    items.append(items.isEmpty() ? "" : ",").append("{\"topic\":\"").append(topic)
                            .append("\",\"partition\":").append(record.path("partition").asInt())
                            .append(",\"acquisition_id\":").append(record.path("acquisition_id").asLong())
                            .append(",\"type\":\"accept\"}");
                }
                Response acked = cluster.postJson("/v1/share-groups/" + group + "/acknowledgements",
                        "{\"member_id\":\"http-worker\",\"acknowledgements\":[" + items + "]}");
                assertThat(acked.status()).as(acked.text()).isEqualTo(200);
                for (JsonNode record : taken) {
                    accepted.merge(record.path("value").asString(), 1, Integer::sum);
                    byHttp++;
                }
            }
        }
        assertThat(accepted).hasSize(300);
        assertThat(accepted.values()).as("accepted once").allMatch(count -> count == 1);
        assertThat(byHttp).as("the HTTP worker took some").isPositive();
        assertThat(byConsumer.values()).as("the share consumer took some")
                .allSatisfy(values -> assertThat(values).isNotEmpty());
    }

    /**
     * A share consumer closed without acknowledging what it was given leaves the group, and its records go to the next
     * taker at once (their 5 s locks have not expired), delivered a second time.
     */
    @Test
    void aShareConsumerClosedWithoutAcknowledgingGivesItsRecordsToTheNextTakerAtOnce() {
        String topic = "ksh-close";
        String group = "ksh-close-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 5);
        try (KafkaShareConsumer<String, String> consumer = consumer(group, "explicit")) {
            consumer.subscribe(List.of(topic));
            assertThat(pollUntil(consumer, 5, AcknowledgeType.ACCEPT, false)).hasSize(5);
        }
        List<JsonNode> again = httpTake(group, topic, "http-worker", 0);
        assertThat(again).extracting(r -> r.path("value").asString())
                .containsExactly("record-0", "record-1", "record-2", "record-3", "record-4");
        assertThat(again).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));
    }

    /**
     * A member that leaves holding records gives them back at once: the next taker gets them well before their 5 s
     * locks would have expired, delivered a second time.
     */
    @Test
    void aLeavingMembersRecordsGoToTheNextTakerAtOnce() throws Exception {
        String topic = "ksh-leave";
        String group = "ksh-leave-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 5);
        Uuid topicId = topicId(topic);
        String member = Uuid.randomUuid().toString();
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            ShareGroupHeartbeatResponseData joined = heartbeat(connection, group, member, 0, List.of(topic));
            assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(joined.assignment().topicPartitions()).singleElement()
                    .satisfies(tp -> assertThat(tp.topicId()).isEqualTo(topicId));

            ShareFetchResponseData fetched = shareFetch(connection, group, member, 0, topicId, 5000, null);
            assertThat(fetched.errorCode()).isEqualTo(Errors.NONE.code());
            ShareFetchResponseData.PartitionData partition = fetched.responses().iterator().next().partitions()
                    .getFirst();
            assertThat(partition.acquiredRecords()).singleElement().satisfies(range -> {
                assertThat(range.firstOffset()).isZero();
                assertThat(range.lastOffset()).isEqualTo(4);
                assertThat(range.deliveryCount()).isEqualTo((short) 1);
            });
            assertThat(httpTake(group, topic, "other", 0)).as("the member holds all").isEmpty();

            assertThat(heartbeat(connection, group, member, -1, null).memberEpoch()).isEqualTo(-1);
        }
        List<JsonNode> again = httpTake(group, topic, "other", 0);
        assertThat(again).extracting(r -> r.path("value").asString())
                .containsExactly("record-0", "record-1", "record-2", "record-3", "record-4");
        assertThat(again).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));
    }

    /**
     * A group's own session timeout and heartbeat interval (set with Kafka's Admin client): the member is told the
     * interval, and a member that stops heartbeating is removed after the session timeout, its records going to the
     * next taker long before the group's 60 s locks would have ended.
     */
    @Test
    void aMemberSilentForItsGroupsSessionTimeoutIsRemovedAndItsRecordsGoToTheNextTaker() throws Exception {
        String topic = "ksh-silent";
        String group = "ksh-silent-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 3);
        Uuid topicId = topicId(topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.kafkaBootstrap()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                    new AlterConfigOp(new ConfigEntry("share.session.timeout.ms", "2000"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.heartbeat.interval.ms", "500"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.record.lock.duration.ms", "60000"),
                            AlterConfigOp.OpType.SET)))).all().get(2, TimeUnit.MINUTES);
        }
        String member = Uuid.randomUuid().toString();
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            ShareGroupHeartbeatResponseData joined = heartbeat(connection, group, member, 0, List.of(topic));
            assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(joined.heartbeatIntervalMs()).isEqualTo(500);
            ShareFetchResponseData fetched = shareFetch(connection, group, member, 0, topicId, 5000, null);
            assertThat(fetched.responses().iterator().next().partitions().getFirst().acquiredRecords())
                    .singleElement().satisfies(range -> assertThat(range.lastOffset()).isEqualTo(2));
            assertThat(httpTake(group, topic, "other", 0)).as("the member holds all").isEmpty();

            // The member sends no more heartbeats.
            List<JsonNode> again = new ArrayList<>();
            await("the silent member's records to come back").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> again.addAll(httpTake(group, topic, "other", 0)) && again.size() == 3);
            assertThat(again).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));

            ShareGroupHeartbeatResponseData late = heartbeat(connection, group, member, joined.memberEpoch(), null);
            assertThat(late.errorCode()).as("removed").isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
    }

    /**
     * Acknowledging records the member does not hold is INVALID_RECORD_STATE and changes nothing; share session
     * epochs out of turn, and sessions the connection does not have, are refused.
     */
    @Test
    void acknowledgingRecordsNotAcquiredIsInvalidRecordStateAndChangesNothing() throws Exception {
        String topic = "ksh-bad-ack";
        String group = "ksh-bad-ack-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 3);
        Uuid topicId = topicId(topic);
        String member = Uuid.randomUuid().toString();
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            ShareFetchResponseData opened = shareFetch(connection, group, member, 0, topicId, 0, 0);
            assertThat(opened.errorCode()).isEqualTo(Errors.NONE.code());

            ShareAcknowledgeResponse refused = acknowledge(connection, group, member, 1, topicId, 0, 2);
            assertThat(refused.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(refused.data().responses().iterator().next().partitions().getFirst().errorCode())
                    .isEqualTo(Errors.INVALID_RECORD_STATE.code());

            assertThat(acknowledge(connection, group, member, 7, topicId, 0, 2).data().errorCode())
                    .isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH.code());
        }
        try (KafkaWire.Connection other = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            assertThat(acknowledge(other, group, member, 1, topicId, 0, 2).data().errorCode())
                    .isEqualTo(Errors.SHARE_SESSION_NOT_FOUND.code());
        }
        List<JsonNode> untouched = httpTake(group, topic, "http-worker", 0);
        assertThat(untouched).as("nothing was acknowledged").hasSize(3)
                .allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(1));
    }

    /**
     * Group ids are one namespace: a consumer group's id is no share group's (GROUP_ID_NOT_FOUND, as Kafka), for a
     * share consumer's join, an HTTP worker's take (404) and AlterShareGroupOffsets.
     */
    @Test
    void aShareMemberCannotJoinAConsumerGroupsId() throws Exception {
        String topic = "ksh-namespace";
        String group = "ksh-namespace-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        Response joined = cluster.postJson("/v1/groups/" + group + "/members", "{\"topics\": [\"" + topic + "\"]}");
        assertThat(joined.status() / 100).as(joined.text()).isEqualTo(2);
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            ShareGroupHeartbeatResponseData refused = heartbeat(connection, group, Uuid.randomUuid().toString(), 0,
                    List.of(topic));
            assertThat(refused.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        }
        Response take = cluster.postJson("/v1/share-groups/" + group + "/acquisitions", "{\"topic\":\"" + topic
                + "\",\"member_id\":\"worker\"}");
        assertThat(take.status()).as(take.text()).isEqualTo(404);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.kafkaBootstrap()))) {
            assertThat(catchThrowable(() -> admin.alterShareGroupOffsets(group, Map.of(new TopicPartition(topic, 0),
                    0L)).all().get(30, TimeUnit.SECONDS))).hasCauseInstanceOf(GroupIdNotFoundException.class);
        }
        assertThat(cluster.call("GET", "/v1/share-groups/" + group, null, null).status())
                .as("no share state was made under the consumer group's id").isEqualTo(404);
    }

    /**
     * Kafka's own {@code kafka-share-groups} ({@code ShareGroupCommand}) and admin client against a share group HTTP
     * workers made: listed with type share, described with start offset and lag, a reset refused while a share
     * consumer is in the group and done once it left, offsets of a topic deleted, and the group deleted.
     */
    @Test
    void kafkasShareGroupToolListsDescribesResetsDeletesOffsetsAndDeletesAShareGroup() throws Exception {
        String topic = "ksh-tool";
        String group = "ksh-tool-group";
        String bootstrap = cluster.kafkaBootstrap();
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 10);
        accept(group, topic, httpTake(group, topic, "worker", 0, 4));
        TopicPartition p0 = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS))
                    .filteredOn(listing -> listing.groupId().equals(group)).singleElement().satisfies(listing -> {
                        assertThat(listing.type()).hasValue(GroupType.SHARE);
                        assertThat(listing.groupState()).hasValue(GroupState.EMPTY);
                    });
            assertThat(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS))
                    .extracting(GroupListing::groupId).doesNotContain(group);
            assertThat(run(ShareGroupCommand::main, "--bootstrap-server", bootstrap, "--list").out().lines())
                    .contains(group);

            SharePartitionOffsetInfo described = admin.listShareGroupOffsets(Map.of(group,
                    new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS).get(p0);
            assertThat(described.startOffset()).as("four records accepted").isEqualTo(4);
            assertThat(described.lag()).hasValue(6L);
            KafkaTools.ToolRun describe = run(ShareGroupCommand::main, "--bootstrap-server", bootstrap, "--describe",
                    "--group", group, "--offsets");
            assertThat(describe.exitCode()).as(describe.err()).isZero();
            assertThat(describe.out().lines()).anySatisfy(line -> assertThat(line.trim().split("\\s+"))
                    .contains(group, topic, "0", "4", "6"));

            try (KafkaShareConsumer<String, String> member = consumer(group, "explicit")) {
                member.subscribe(List.of(topic));
                member.poll(Duration.ofMillis(200));
                awaitMembers(admin, group, 1);
                assertThat(catchThrowable(() -> admin.alterShareGroupOffsets(group, Map.of(p0, 0L)).all()
                        .get(30, TimeUnit.SECONDS))).as("refused while the group has a member")
                        .hasCauseInstanceOf(GroupNotEmptyException.class);
            }
            KafkaTools.ToolRun reset = run(ShareGroupCommand::main, "--bootstrap-server", bootstrap,
                    "--reset-offsets", "--group", group, "--topic", topic, "--to-earliest", "--execute");
            assertThat(reset.exitCode()).as(reset.out() + reset.err()).isZero();
            assertThat(admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS).get(p0).startOffset()).isZero();
            assertThat(httpTake(group, topic, "worker", 0, 100)).as("every record again, from the start").hasSize(10)
                    .allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(1));
            cluster.postJson("/v1/share-groups/" + group + "/acknowledgements", "{\"member_id\":\"worker\","
                    + "\"acknowledgements\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"first_offset\":0,"
                    + "\"last_offset\":9,\"type\":\"release\"}]}");

            KafkaTools.ToolRun deleteOffsets = run(ShareGroupCommand::main, "--bootstrap-server", bootstrap,
                    "--delete-offsets", "--group", group, "--topic", topic);
            assertThat(deleteOffsets.exitCode()).as(deleteOffsets.out() + deleteOffsets.err()).isZero();
            assertThat(cluster.call("GET", "/v1/share-groups/" + group, null, null).status())
                    .as("the group's only topic forgotten: no share-partition left").isEqualTo(404);
            admin.alterShareGroupOffsets(group, Map.of(p0, 7L)).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS).get(p0).startOffset())
                    .as("an alter makes the group again").isEqualTo(7);
            assertThat(catchThrowable(() -> admin.deleteShareGroupOffsets(group, Set.of("ksh-no-such-topic")).all()
                    .get(30, TimeUnit.SECONDS))).hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(catchThrowable(() -> admin.alterShareGroupOffsets(group, Map.of(new TopicPartition(topic, 5),
                    0L)).all().get(30, TimeUnit.SECONDS))).hasCauseInstanceOf(UnknownTopicOrPartitionException.class);

            KafkaTools.ToolRun delete = run(ShareGroupCommand::main, "--bootstrap-server", bootstrap, "--delete",
                    "--group", group);
            assertThat(delete.exitCode()).as(delete.out() + delete.err()).isZero();
            assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS))
                    .extracting(GroupListing::groupId).doesNotContain(group);
            assertThat(catchThrowable(() -> admin.deleteShareGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)))
                    .hasCauseInstanceOf(GroupIdNotFoundException.class);

            KafkaTools.ToolRun fresh = run(ShareGroupCommand::main, "--bootstrap-server", bootstrap,
                    "--reset-offsets", "--group", group, "--topic", topic, "--to-latest", "--execute");
            assertThat(fresh.exitCode()).as("a reset makes a share group that does not exist: " + fresh.err())
                    .isZero();
            assertThat(admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(group).get(30, TimeUnit.SECONDS).get(p0).startOffset()).isEqualTo(10);
            KafkaTools.ToolRun members = run(ShareGroupCommand::main, "--bootstrap-server", bootstrap, "--describe",
                    "--group", group, "--members");
            assertThat(members.exitCode()).as(members.err()).isZero();
        }
    }

    /**
     * A share group's id to the consumer-group APIs, as Kafka answers: ConsumerGroupDescribe and DescribeGroups v6
     * GROUP_ID_NOT_FOUND (DescribeGroups v5 {@code Dead}); a consumer joining it, by KIP-848 GROUP_ID_NOT_FOUND, by
     * the classic protocol INCONSISTENT_GROUP_PROTOCOL, over HTTP 404; and ShareGroupDescribe of an unknown id
     * GROUP_ID_NOT_FOUND.
     */
    @Test
    void aShareGroupsIdIsNoConsumerGroupForDescribesAndJoins() throws Exception {
        String topic = "ksh-namespace-back";
        String group = "ksh-namespace-back-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 1);
        assertThat(httpTake(group, topic, "worker", 0, 1)).hasSize(1);
        String bootstrap = cluster.kafkaBootstrap();
        try (KafkaWire.Connection connection = new KafkaWire.Connection(bootstrap)) {
            var described = ((ConsumerGroupDescribeResponse) connection.call(ApiKeys.CONSUMER_GROUP_DESCRIBE,
                    new ConsumerGroupDescribeRequest.Builder(new ConsumerGroupDescribeRequestData()
                            .setGroupIds(List.of(group))))).data().groups().getFirst();
            assertThat(described.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
            assertThat(described.errorMessage()).isEqualTo("Group " + group + " is not a consumer group.");

            var v6 = ((DescribeGroupsResponse) connection.call(ApiKeys.DESCRIBE_GROUPS, (short) 6,
                    new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData().setGroups(List.of(group)))))
                    .data().groups().getFirst();
            assertThat(v6.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
            var v5 = ((DescribeGroupsResponse) connection.call(ApiKeys.DESCRIBE_GROUPS, (short) 5,
                    new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData().setGroups(List.of(group)))))
                    .data().groups().getFirst();
            assertThat(v5.groupState()).isEqualTo("Dead");

            var joined = (ConsumerGroupHeartbeatResponse) connection.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT,
                    new ConsumerGroupHeartbeatRequest.Builder(new ConsumerGroupHeartbeatRequestData()
                            .setGroupId(group).setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0)
                            .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of(topic))
                            .setTopicPartitions(List.of())));
            assertThat(joined.data().errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());

            JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                    new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                    .setMetadata(new byte[0]));
            var classicJoin = (JoinGroupResponse) connection.call(ApiKeys.JOIN_GROUP, new JoinGroupRequest.Builder(
                    new JoinGroupRequestData().setGroupId(group).setMemberId("").setProtocolType("consumer")
                            .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocols(protocols)));
            assertThat(classicJoin.data().errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());

            var unknown = ((ShareGroupDescribeResponse) connection.call(ApiKeys.SHARE_GROUP_DESCRIBE,
                    new ShareGroupDescribeRequest.Builder(new ShareGroupDescribeRequestData()
                            .setGroupIds(List.of("ksh-nobody"))))).data().groups().getFirst();
            assertThat(unknown.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        }
        Response overHttp = cluster.postJson("/v1/groups/" + group + "/members", "{\"topics\": [\"" + topic + "\"]}");
        assertThat(overHttp.status()).as(overHttp.text()).isEqualTo(404);
        assertThat(overHttp.json().path("error_code").asString()).isEqualTo("UNKNOWN_GROUP");
    }

    /**
     * A share session closed by ShareAcknowledge or ShareFetch with epoch -1 gives the records it holds back before the
     * answer; a connection dropped while holding records gives them back at once too: the next taker gets them,
     * delivered a second time, well before their 5 s locks would have ended. No heartbeat is sent: the member never
     * joins or leaves, so only the session's end releases the records.
     */
    @Test
    void aClosedShareSessionOrADroppedConnectionGivesItsRecordsToTheNextTakerAtOnce() throws Exception {
        String topic = "ksh-session-close";
        String group = "ksh-session-close-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 6);
        Uuid topicId = topicId(topic);
        String member = Uuid.randomUuid().toString();
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            assertThat(acquiredCount(shareFetch(connection, group, member, 0, topicId, 5000, 3))).isEqualTo(3);
            ShareAcknowledgeResponse closed = acknowledge(connection, group, member, -1, topicId, 0, 0);
            assertThat(closed.data().errorCode()).isEqualTo(Errors.NONE.code());
        }
        List<JsonNode> afterClose = httpTake(group, topic, "other", 0, 2);
        assertThat(afterClose).extracting(r -> r.path("offset").asLong()).containsExactly(1L, 2L);
        assertThat(afterClose).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));

        long taken;
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            assertThat(acquiredCount(shareFetch(connection, group, member, 0, topicId, 5000, 3))).isEqualTo(3);
            taken = System.nanoTime();
        }
        List<JsonNode> afterDrop = new ArrayList<>();
        while (afterDrop.isEmpty() && System.nanoTime() - taken < Duration.ofSeconds(4).toNanos()) {
            afterDrop.addAll(httpTake(group, topic, "other", 0, 10));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - taken)).as("before the 5 s locks end")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(afterDrop).extracting(r -> r.path("offset").asLong()).containsExactly(3L, 4L, 5L);
        assertThat(afterDrop).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));

        produce(topic, 1, 6, 3);
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            assertThat(acquiredCount(shareFetch(connection, group, member, 0, topicId, 5000, 3))).isEqualTo(3);
            assertThat(shareFetch(connection, group, member, -1, topicId, 0, 3).errorCode())
                    .as("a ShareFetch that closes the session").isEqualTo(Errors.NONE.code());
            List<JsonNode> afterFinalFetch = httpTake(group, topic, "other", 0, 10);
            assertThat(afterFinalFetch).extracting(r -> r.path("offset").asLong()).containsExactly(6L, 7L, 8L);
            assertThat(afterFinalFetch).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));
        }
    }

    /**
     * KIP-1191 with Kafka's own clients: the dead-letter topic is created with Admin (its opt-in config validated like
     * any topic config), the group pointed at it with incrementalAlterConfigs, a KafkaShareConsumer rejects records,
     * and a KafkaConsumer reads their copies back with the original values and Kafka's context headers.
     */
    @Test
    void aShareConsumersRejectedRecordsAreReadBackFromTheDeadLetterTopicByAKafkaConsumer() throws Exception {
        String topic = "ksh-dlq";
        String deadLetters = "dlq.ksh-dlq";
        String group = "ksh-dlq-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.kafkaBootstrap()))) {
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> admin.createTopics(List.of(
                    new NewTopic("dlq.ksh-dlq-bad", 1, (short) 1).configs(Map.of(
                            "errors.deadletterqueue.group.enable", "yes")))).all().get(2, TimeUnit.MINUTES));
            assertThat(refused).isInstanceOf(java.util.concurrent.ExecutionException.class)
                    .cause().isInstanceOf(org.apache.kafka.common.errors.InvalidConfigurationException.class);
            admin.createTopics(List.of(new NewTopic(deadLetters, 2, (short) 3).configs(Map.of(
                    "errors.deadletterqueue.group.enable", "true")))).all().get(2, TimeUnit.MINUTES);
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(
                    new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.topic.name", deadLetters),
                            AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.copy.record.enable", "true"),
                            AlterConfigOp.OpType.SET)))).all().get(2, TimeUnit.MINUTES);
        }
        cluster.awaitServed(deadLetters, 2);
        produce(topic, 1, 0, 2);

        try (KafkaShareConsumer<String, String> consumer = consumer(group, "explicit")) {
            consumer.subscribe(List.of(topic));
            for (ConsumerRecord<String, String> record : pollUntil(consumer, 2, AcknowledgeType.ACCEPT, false)) {
                consumer.acknowledge(record, AcknowledgeType.REJECT);
            }
            assertThat(consumer.commitSync(Duration.ofSeconds(10)).values()).allSatisfy(error ->
                    assertThat(error).isEmpty());
        }

        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        List<ConsumerRecord<String, String>> copies = new ArrayList<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> reader =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(properties, new StringDeserializer(),
                             new StringDeserializer())) {
            // Source partition 0 goes to dead-letter partition 0 mod 2.
            reader.assign(List.of(new org.apache.kafka.common.TopicPartition(deadLetters, 0)));
            reader.seekToBeginning(reader.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (copies.size() < 2 && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(500)).forEach(copies::add);
            }
        }
        assertThat(copies).hasSize(2);
        for (int i = 0; i < 2; i++) {
            ConsumerRecord<String, String> copy = copies.get(i);
            assertThat(copy.value()).isEqualTo("record-" + i);
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            copy.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
            assertThat(headers).containsExactly(Map.entry("__dlq.errors.topic", topic),
                    Map.entry("__dlq.errors.partition", "0"),
                    Map.entry("__dlq.errors.offset", Integer.toString(i)),
                    Map.entry("__dlq.errors.group", group),
                    Map.entry("__dlq.errors.delivery.count", "1"),
                    Map.entry("__dlq.errors.message", "Offset rejected by client."));
        }
    }

    /**
     * A share group whose member joined but never fetched (no share state stored) is listed, as Kafka lists it from
     * its members: by the admin client with type share and state Stable, and by the HTTP list; the HTTP describe shows
     * its member and no share-partition. Once the member left, the group is gone from both.
     */
    @Test
    void aShareGroupWhoseMemberJoinedButNeverFetchedIsListedAsStable() throws Exception {
        String topic = "ksh-list-joined";
        String group = "ksh-list-joined-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        String member = Uuid.randomUuid().toString();
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     cluster.kafkaBootstrap()))) {
            ShareGroupHeartbeatResponseData joined = heartbeat(connection, group, member, 0, List.of(topic));
            assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());

            assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS))
                    .filteredOn(listing -> listing.groupId().equals(group)).singleElement().satisfies(listing -> {
                        assertThat(listing.type()).hasValue(GroupType.SHARE);
                        assertThat(listing.groupState()).hasValue(GroupState.STABLE);
                    });
            Response listed = cluster.call("GET", "/v1/share-groups", null, null);
            assertThat(listed.status()).as(listed.text()).isEqualTo(200);
            assertThat(listed.json().path("share_groups")).filteredOn(g -> g.path("group_id").asString()
                    .equals(group)).singleElement().satisfies(g -> assertThat(g.path("partitions").asInt()).isZero());
            Response described = cluster.call("GET", "/v1/share-groups/" + group, null, null);
            assertThat(described.status()).as(described.text()).isEqualTo(200);
            assertThat(described.json().path("members")).singleElement()
                    .satisfies(m -> assertThat(m.path("member_id").asString()).isEqualTo(member));
            assertThat(described.json().path("partitions")).isEmpty();

            heartbeat(connection, group, member, -1, null);
            assertThat(admin.listGroups(ListGroupsOptions.forShareGroups()).all().get(30, TimeUnit.SECONDS))
                    .extracting(GroupListing::groupId).doesNotContain(group);
        }
        assertThat(cluster.call("GET", "/v1/share-groups/" + group, null, null).status()).isEqualTo(404);
    }

    /**
     * A ShareFetch with epoch 0 on a connection that already has a session for the member replaces the session and,
     * as at Kafka (the old session is dropped from the cache, nothing released), releases nothing: the records the
     * old session took stay the member's under their locks, another taker gets none of them, and the member
     * acknowledges them in the new session. Closing the new session then releases what the member still holds.
     */
    @Test
    void aShareFetchWithEpochZeroOnAnOpenSessionReleasesNothing() throws Exception {
        String topic = "ksh-session-reopen";
        String group = "ksh-session-reopen-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 1, 0, 6);
        Uuid topicId = topicId(topic);
        String member = Uuid.randomUuid().toString();
        try (KafkaWire.Connection connection = new KafkaWire.Connection(cluster.kafkaBootstrap())) {
            assertThat(acquiredCount(shareFetch(connection, group, member, 0, topicId, 5000, 3))).isEqualTo(3);
            assertThat(acquiredCount(shareFetch(connection, group, member, 0, topicId, 5000, 3)))
                    .as("a new session takes the next records").isEqualTo(3);
            assertThat(httpTake(group, topic, "other", 0)).as("the old session's records stay the member's")
                    .isEmpty();

            ShareAcknowledgeResponse accepted = acknowledge(connection, group, member, 1, topicId, 0, 2);
            assertThat(accepted.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(accepted.data().responses().iterator().next().partitions().getFirst().errorCode())
                    .as("the old session's records acknowledged in the new one").isEqualTo(Errors.NONE.code());
            assertThat(acknowledge(connection, group, member, -1, topicId, 0, 0).data().errorCode())
                    .isEqualTo(Errors.NONE.code());
        }
        List<JsonNode> released = httpTake(group, topic, "other", 0);
        assertThat(released).extracting(r -> r.path("offset").asLong()).containsExactly(3L, 4L, 5L);
        assertThat(released).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));
    }

    // ---------------------------------------------------------------- helpers

    private static int acquiredCount(ShareFetchResponseData fetched) {
        assertThat(fetched.errorCode()).isEqualTo(Errors.NONE.code());
        return fetched.responses().iterator().next().partitions().getFirst().acquiredRecords().stream()
                .mapToInt(range -> (int) (range.lastOffset() - range.firstOffset() + 1)).sum();
    }

    private static void accept(String group, String topic, List<JsonNode> records) {
        StringBuilder items = new StringBuilder();
        for (JsonNode record : records) {
            items.append(items.isEmpty() ? "" : ",").append("{\"topic\":\"").append(topic)
                    .append("\",\"partition\":").append(record.path("partition").asInt())
                    .append(",\"acquisition_id\":").append(record.path("acquisition_id").asLong())
                    .append(",\"type\":\"accept\"}");
        }
        Response acked = cluster.postJson("/v1/share-groups/" + group + "/acknowledgements",
                "{\"member_id\":\"worker\",\"acknowledgements\":[" + items + "]}");
        assertThat(acked.status()).as(acked.text()).isEqualTo(200);
    }

    private static void awaitMembers(Admin admin, String group, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (admin.describeShareGroups(List.of(group)).describedGroups().get(group).get(30, TimeUnit.SECONDS)
                .members().size() < count && System.nanoTime() < deadline) {
            GatewayCluster.sleep(Duration.ofMillis(100));
        }
    }

    private static KafkaShareConsumer<String, String> consumer(String group, String mode) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put("share.acknowledgement.mode", mode);
        return new KafkaShareConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * Polls until {@code count} records came; in explicit mode records of an earlier poll are acknowledged with
     * {@code type} only when {@code acknowledgeEach} (otherwise the first poll must bring them all).
     */
    private static List<ConsumerRecord<String, String>> pollUntil(KafkaShareConsumer<String, String> consumer,
                                                                  int count, AcknowledgeType type,
                                                                  boolean acknowledgeEach) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                records.add(record);
                if (acknowledgeEach) {
                    consumer.acknowledge(record, type);
                }
            }
        }
        assertThat(records).as("records polled").hasSize(count);
        return records;
    }

    /** Share consumers in implicit mode on threads of their own, each counting what it accepted. */
    private static final class Readers implements AutoCloseable {

        private final AtomicBoolean stopping = new AtomicBoolean();
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final List<Future<?>> running = new ArrayList<>();
        private final java.util.concurrent.CountDownLatch polling = new java.util.concurrent.CountDownLatch(2);

        /** Values whose acceptance came back with an error: each may or may not have been accepted. */
        private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();
        private final AtomicLong refusedAcks = new AtomicLong();
        private volatile boolean faultsExpected;

        /**
         * As {@link #start}, for a run with faults: an acceptance that comes back with an error (or not at all) is
         * not counted, and its records are noted as {@link #unconfirmed} instead of failing the reader.
         */
        void startThroughFaults(int count, String group, String topic, Map<String, Integer> accepted,
                                Map<String, Set<String>> byConsumer) {
            faultsExpected = true;
            start(count, group, topic, accepted, byConsumer);
        }

        void start(int count, String group, String topic, Map<String, Integer> accepted,
                   Map<String, Set<String>> byConsumer) {
            for (int i = 0; i < count; i++) {
                String name = "consumer-" + i;
                Set<String> mine = ConcurrentHashMap.newKeySet();
                byConsumer.put(name, mine);
                running.add(threads.submit(() -> {
                    try (KafkaShareConsumer<String, String> consumer = consumer(group, "implicit")) {
                        consumer.subscribe(List.of(topic));
                        boolean counted = false;
                        while (!stopping.get()) {
                            List<ConsumerRecord<String, String>> batch = new ArrayList<>();
                            try {
                                consumer.poll(Duration.ofMillis(200)).forEach(batch::add);
                            } catch (KafkaException e) {
                                if (!faultsExpected) {
                                    throw e;
                                }
                                continue;
                            }
                            if (!counted) {
                                polling.countDown();
                                counted = true;
                            }
                            // Counted once the acceptance is done: implicit mode accepts them at the next call.
                            Set<TopicPartition> refused = new HashSet<>();
                            try {
                                consumer.commitSync(Duration.ofSeconds(10)).forEach((partition, error) -> {
                                    if (!faultsExpected) {
                                        assertThat(error).isEmpty();
                                    }
                                    error.ifPresent(e -> refused.add(partition.topicPartition()));
                                });
                            } catch (KafkaException e) {
                                if (!faultsExpected) {
                                    throw e;
                                }
                                batch.forEach(r -> refused.add(new TopicPartition(r.topic(), r.partition())));
                            }
                            batch.forEach(r -> {
                                if (refused.contains(new TopicPartition(r.topic(), r.partition()))) {
                                    refusedAcks.incrementAndGet();
                                    unconfirmed.add(r.value());
                                } else {
                                    mine.add(r.value());
                                    accepted.merge(r.value(), 1, Integer::sum);
                                }
                            });
                        }
                    }
                    return null;
                }));
            }
        }

        /** Waits until two consumers' first polls have come back. */
        void awaitPolling() throws InterruptedException {
            assertThat(polling.await(60, TimeUnit.SECONDS)).as("the consumers poll").isTrue();
        }

        @Override
        public void close() throws Exception {
            stopping.set(true);
            for (Future<?> future : running) {
                future.get(60, TimeUnit.SECONDS);
            }
            threads.shutdownNow();
        }
    }

    private static void awaitSize(Map<String, Integer> accepted, int size) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (accepted.size() < size && System.nanoTime() < deadline) {
            GatewayCluster.sleep(Duration.ofMillis(100));
        }
    }

    /** A ShareGroupHeartbeat over the wire: epoch 0 joins subscribed to {@code topics}, -1 leaves, others beat. */
    private static ShareGroupHeartbeatResponseData heartbeat(KafkaWire.Connection connection, String group,
                                                             String member, int epoch, List<String> topics)
            throws Exception {
        ShareGroupHeartbeatRequestData data = new ShareGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId(member).setMemberEpoch(epoch);
        if (topics != null) {
            data.setSubscribedTopicNames(topics);
        }
        return ((ShareGroupHeartbeatResponse) connection.call(ApiKeys.SHARE_GROUP_HEARTBEAT,
                new ShareGroupHeartbeatRequest.Builder(data))).data();
    }

    private static ShareFetchResponseData shareFetch(KafkaWire.Connection connection, String group, String member,
                                                     int epoch, Uuid topicId, int maxWaitMs, Integer maxRecords)
            throws Exception {
        ShareFetchRequestData data = new ShareFetchRequestData().setGroupId(group).setMemberId(member)
                .setShareSessionEpoch(epoch).setMaxWaitMs(maxWaitMs).setMinBytes(1).setMaxBytes(1 << 20)
                .setMaxRecords(maxRecords == null ? 500 : Math.max(1, maxRecords)).setBatchSize(500);
        ShareFetchRequestData.FetchTopicCollection topics = new ShareFetchRequestData.FetchTopicCollection();
        ShareFetchRequestData.FetchPartitionCollection partitions = new ShareFetchRequestData.FetchPartitionCollection();
        partitions.add(new ShareFetchRequestData.FetchPartition().setPartitionIndex(0));
        topics.add(new ShareFetchRequestData.FetchTopic().setTopicId(topicId).setPartitions(partitions));
        data.setTopics(maxRecords != null && maxRecords == 0 ? new ShareFetchRequestData.FetchTopicCollection()
                : topics);
        return ((ShareFetchResponse) connection.call(ApiKeys.SHARE_FETCH, new ShareFetchRequest.Builder(data)))
                .data();
    }

    private static ShareAcknowledgeResponse acknowledge(KafkaWire.Connection connection, String group,
                                                        String member, int epoch, Uuid topicId, long first,
                                                        long last) throws Exception {
        ShareAcknowledgeRequestData.AcknowledgePartitionCollection partitions =
                new ShareAcknowledgeRequestData.AcknowledgePartitionCollection();
        partitions.add(new ShareAcknowledgeRequestData.AcknowledgePartition().setPartitionIndex(0)
                .setAcknowledgementBatches(List.of(new ShareAcknowledgeRequestData.AcknowledgementBatch()
                        .setFirstOffset(first).setLastOffset(last).setAcknowledgeTypes(List.of((byte) 1)))));
        ShareAcknowledgeRequestData.AcknowledgeTopicCollection topics =
                new ShareAcknowledgeRequestData.AcknowledgeTopicCollection();
        topics.add(new ShareAcknowledgeRequestData.AcknowledgeTopic().setTopicId(topicId).setPartitions(partitions));
        return (ShareAcknowledgeResponse) connection.call(ApiKeys.SHARE_ACKNOWLEDGE, new ShareAcknowledgeRequest.Builder(
                new ShareAcknowledgeRequestData().setGroupId(group).setMemberId(member).setShareSessionEpoch(epoch)
                        .setTopics(topics)));
    }

    private static Uuid topicId(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.kafkaBootstrap()))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId();
        }
    }

    private static List<JsonNode> httpTake(String group, String topic, String member, long waitMs) {
        return httpTake(group, topic, member, waitMs, 100);
    }

    private static List<JsonNode> httpTake(String group, String topic, String member, long waitMs, int max) {
        Response taken = cluster.postJson("/v1/share-groups/" + group + "/acquisitions", "{\"topic\":\"" + topic
                + "\",\"member_id\":\"" + member + "\",\"max_records\":" + max + ",\"max_wait_ms\":" + waitMs + "}");
        assertThat(taken.status()).as(taken.text()).isEqualTo(200);
        List<JsonNode> records = new ArrayList<>();
        taken.json().path("records").forEach(records::add);
        return records;
    }

    /** Records {@code from} to {@code from + count - 1}, spread evenly over the partitions, values "record-i". */
    private static void produce(String topic, int partitions, int from, int count) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, null,
                        ("record-" + i).getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError("records " + from + " to " + (from + count - 1) + " of " + topic
                    + " not acknowledged", e);
        }
    }
}
