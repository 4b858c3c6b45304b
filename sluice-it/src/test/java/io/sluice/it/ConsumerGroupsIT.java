package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import static io.sluice.it.GatewayHttp.assertProblem;
import static io.sluice.it.GatewayHttp.committed;
import static io.sluice.it.GatewayHttp.delete;
import static io.sluice.it.GatewayHttp.get;
import static io.sluice.it.GatewayHttp.post;
import static io.sluice.it.GatewayHttp.send;

import io.sluice.internal.SluiceJson;
import io.sluice.it.GatewayHttp.Response;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumer groups through two gateways, every process real: members on either gateway share a topic's partitions,
 * a polling member's calls alternate between the gateways, a client whose gateway dies resumes through the other one
 * from the committed positions, a reset's dry run shows its plan and the next member starts where it was applied, and
 * bad input changes nothing. On the suite's shared cluster ({@link ClusterExtension}) with a second gateway of its own;
 * each case has its own group.
 *
 * <p>The at-least-once rule checked (docs/api.md): a record is delivered again only to the next owner of its
 * partition, and only if it was sent after the last commit that reached the coordinator.
 */
@ExtendWith(ClusterExtension.class)
class ConsumerGroupsIT {

    /** The second gateway this class starts on the shared cluster, and stops after itself. */
    private static final String SECOND_GATEWAY = "gateway-b";

    /** Rounds of the churn test, each a join or a leave one to two and a half seconds apart. */
    private static final int CHURN_ROUNDS = Integer.getInteger("sluice.churn.rounds", 12);

    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 6;
    private static final int RECORDS = 30_000;
    private static final int PER_PARTITION = RECORDS / PARTITIONS;

    private static SluiceCluster cluster;
    private static URI gatewayA;
    private static URI gatewayB;
    private static final HttpClient HTTP = GatewayHttp.HTTP;
    private static final JsonMapper JSON = SluiceJson.mapper();

    @BeforeAll
    static void startSecondGatewayAndProduce(SluiceCluster shared) {
        cluster = shared;
        gatewayA = cluster.gatewayUrl();
        gatewayB = cluster.startGateway(SECOND_GATEWAY);
        createTopic(TOPIC, PARTITIONS);
        produce(TOPIC, PARTITIONS, RECORDS);
    }

    @AfterAll
    static void stopSecondGateway() {
        if (gatewayB != null) {
            cluster.processes().stop(SECOND_GATEWAY);
        }
    }

    /**
     * Three members over both gateways (two SSE, one polling that alternates) share a 6-partition topic; once the group
     * is balanced, 30,000 records are produced, with a fourth member joining and leaving halfway, and every one is
     * delivered; a record repeats only at a hand-off, never within one member.
     */
    @Test
    void threeMembersOverTwoGatewaysConsumeEveryRecordAndCommitToTheLogEnd() throws Exception {
        String group = "spread";
        String topic = "spread";
        createTopic(topic, PARTITIONS);
        GroupDeliveries deliveries = new GroupDeliveries();
        String query = "/v1/groups/" + group + "/records?topics=" + topic + "&auto_offset_reset=earliest"
                + "&auto_commit_interval_ms=300";
        List<GroupSse> streams = new ArrayList<>();
        streams.add(GroupSse.open(HTTP, gatewayA.resolve(query), deliveries.session("sse-a")));
        streams.add(GroupSse.open(HTTP, gatewayB.resolve(query), deliveries.session("sse-b")));
        AtomicBoolean stop = new AtomicBoolean();
        List<String> pollGateways = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> pollerFailure = new AtomicReference<>();
        AtomicReference<String> lastPoll = new AtomicReference<>();
        Thread poller = Thread.ofPlatform().name("poller").start(() -> {
            try {
                pollUntil(group, topic, stop, deliveries.session("poll"), pollGateways, lastPoll);
            } catch (Throwable e) {
                pollerFailure.set(e);
            }
        });
        awaitMembersWithPartitions(group, 3, pollerFailure);
        produce(topic, PARTITIONS, RECORDS / 2);
        // A fourth member joins under load and leaves again: partitions move twice, with commits at each hand-off.
        // It leaves while it may still be reading its backlog. An SSE member's automatic commit is of what it was sent
        // an interval earlier (docs/api.md), so a client further behind than that when it goes away has records
        // committed that it never read: on a loaded machine this reader has been 300 ms behind (the partition's next
        // owner then started past what it had delivered). It commits at the gateway's default interval, 5 s, instead.
        GroupSse extra = GroupSse.open(HTTP, gatewayB.resolve(query.replace("auto_commit_interval_ms=300",
                "auto_commit_interval_ms=5000")), deliveries.session("sse-extra"));
        awaitMembersWithPartitions(group, 4, pollerFailure);
        produce(topic, PARTITIONS, RECORDS / 2);
        extra.close();
        try {
            try {
                Waits.await("every record delivered", Duration.ofSeconds(180), () ->
                        deliveries.distinct() == RECORDS ? Boolean.TRUE : null);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; " + deliveries.missing(PARTITIONS, PER_PARTITION)
                        + "; the group: " + get(gatewayA, "/v1/groups/" + group).text() + "; the poller's last answer: "
                        + lastPoll.get() + "; the poller's failure: " + pollerFailure.get(), e);
            }
            // Automatic commits are one interval behind what was sent: the members stay until they reach the end.
            Waits.await("committed offsets at the log end", Duration.ofSeconds(60), () ->
                    committed(get(gatewayA, "/v1/groups/" + group).json()).values().stream()
                            .filter(offset -> offset == PER_PARTITION).count() == PARTITIONS ? Boolean.TRUE : null);
        } finally {
            stop.set(true);
            poller.join(30_000);
            streams.forEach(GroupSse::close);
        }

        assertThat(pollerFailure.get()).as("the polling member's failure").isNull();
        assertThat(pollGateways).as("gateways the polling member called").contains(gatewayA.toString(),
                gatewayB.toString());
        deliveries.assertDuplicatesOnlyAtHandOffs();
        assertThat(deliveries.sessionsThatDelivered()).as("members that got records").contains("sse-a", "sse-b",
                "poll");
        Waits.await("committed offsets at the log end, members gone", Duration.ofSeconds(60), () -> {
            JsonNode view = get(gatewayB, "/v1/groups/" + group).json();
            Map<Integer, Long> committed = committed(view);
            return view.get("members").isEmpty() && committed.size() == PARTITIONS
                    && committed.values().stream().allMatch(offset -> offset == PER_PARTITION)
                    && view.get("lag").asLong() == 0 ? Boolean.TRUE : null;
        });
        JsonNode listed = get(gatewayA, "/v1/groups").json();
        assertThat(listed.get("groups").findValuesAsString("group_id")).contains(group);
        String metrics = get(gatewayA, "/actuator/prometheus").text();
        assertThat(metrics).contains("sluice_gateway_group_rebalances_total{group=\"" + group + "\"",
                "sluice_gateway_group_lag_records{group=\"" + group + "\",partition=\"0\"",
                "sluice_gateway_group_lag_seconds{group=\"" + group + "\",partition=\"0\"",
                "sluice_gateway_group_members{group=\"" + group + "\"");
    }

    /**
     * A gateway dies under an SSE member after it committed what it delivered; more records arrive; the client
     * reconnects through the other gateway and resumes exactly at the committed positions, once the dead member's
     * session has ended.
     */
    @Test
    void aClientWhoseGatewayDiesResumesThroughTheOtherFromTheCommittedPositions() throws Exception {
        String group = "gateway-failover";
        String topic = "gateway-failover";
        int partitions = 3;
        createTopic(topic, partitions);
        produce(topic, partitions, 3000);
        URI gatewayC = cluster.startGateway("gateway-c");
        GroupDeliveries before = new GroupDeliveries();
        // A session of its own, longer than the group's 4 s: this test's reader takes a 3,000-record backlog, and
        // the gateway stops heartbeating for a member whose client reads nothing for a heartbeat interval (on a
        // loaded machine, a reader can lag that long).
        String query = "/v1/groups/" + group + "/records?topics=" + topic + "&auto_offset_reset=earliest"
                + "&auto_commit_interval_ms=200&session_timeout_ms=15000";
        GroupSse first = GroupSse.open(HTTP, gatewayC.resolve(query), before.session("before"));
        try {
            // Automatic commits store what the gateway handed to the connection (docs/api.md, "at least once"): the
            // kill waits for this reader to have read all of it too, or events still in socket buffers are lost with
            // the gateway though committed.
            Waits.await("the first 3000 records committed and read", Duration.ofSeconds(120), () ->
                    before.distinct() == 3000 && committed(get(gatewayA, "/v1/groups/" + group).json()).values()
                            .stream().mapToLong(Long::longValue).sum() == 3000 ? Boolean.TRUE : null);
            cluster.kill("gateway-c");
        } finally {
            first.close();
        }
        Map<Integer, Long> atKill = committed(get(gatewayA, "/v1/groups/" + group).json());
        produce(topic, partitions, 3000);

        Map<Integer, Long> resumedAt = new ConcurrentHashMap<>();
        GroupDeliveries after = new GroupDeliveries();
        Consumer<GroupSse.Event> session = after.session("after");
        try (GroupSse second = GroupSse.open(HTTP, gatewayB.resolve(query), event -> {
            if (event.type().equals("record")) {
                resumedAt.putIfAbsent(event.data().get("partition").asInt(), event.data().get("offset").asLong());
            }
            session.accept(event);
        })) {
            Waits.await("the records after the kill delivered through the other gateway", Duration.ofSeconds(120),
                    () -> after.distinct() >= 3000 ? Boolean.TRUE : null);
            assertThat(second.isOpen()).isTrue();
        }
        assertThat(before.distinct()).isEqualTo(3000);
        assertThat(after.distinct()).isEqualTo(3000);
        assertThat(resumedAt).as("first offset per partition after the reconnect").isEqualTo(atKill);
    }

    /**
     * A static SSE member (one with a {@code group_instance_id}) whose connection closes keeps its partitions for its
     * session: the other member does not get them and the group epoch stays. Reconnected through the other gateway with
     * the same instance id, it gets the same partitions back, still without a rebalance, and resumes at the committed
     * offsets. While it is connected, a second join with its instance id is 409 UNRELEASED_INSTANCE_ID.
     */
    @Test
    void aStaticSseMemberThatReconnectsWithinItsSessionGetsItsPartitionsBackWithoutARebalance() throws Exception {
        String group = "static-sse";
        String topic = "static-sse";
        int partitions = 4;
        createTopic(topic, partitions);
        produce(topic, partitions, 400);
        String query = "/v1/groups/" + group + "/records?topics=" + topic + "&auto_offset_reset=earliest"
                + "&auto_commit_interval_ms=200";
        String staticQuery = query + "&group_instance_id=host-1&session_timeout_ms=30000";
        GroupDeliveries deliveries = new GroupDeliveries();
        GroupSse dynamic = GroupSse.open(HTTP, gatewayB.resolve(query), deliveries.session("dynamic"));
        GroupSse first = GroupSse.open(HTTP, gatewayA.resolve(staticQuery), deliveries.session("static-first"));
        GroupSse second = null;
        try {
            awaitMembersWithPartitions(group, 2);
            Waits.await("400 records delivered and committed", Duration.ofSeconds(120), () ->
                    deliveries.distinct() == 400 && committed(get(gatewayA, "/v1/groups/" + group).json()).values()
                            .stream().filter(offset -> offset == 100).count() == partitions ? Boolean.TRUE : null);
            JsonNode before = get(gatewayA, "/v1/groups/" + group).json();
            Set<Integer> staticPartitions = partitionsOf(instance(before, "host-1"));
            Set<Integer> dynamicPartitions = partitionsOf(instance(before, null));
            String dynamicId = instance(before, null).get("member_id").asString();
            int dynamicEpoch = instance(before, null).get("member_epoch").asInt();
            assertThat(staticPartitions).isNotEmpty();

            assertProblem(post(gatewayB, "/v1/groups/" + group + "/members", "{\"topics\":[\"" + topic
                    + "\"],\"group_instance_id\":\"host-1\"}"), 409, "UNRELEASED_INSTANCE_ID");

            first.close();
            Waits.await("the static member away, keeping its partitions", Duration.ofSeconds(60), () -> {
                JsonNode away = instance(get(gatewayA, "/v1/groups/" + group).json(), "host-1");
                return away != null && away.get("state").asString().equals("LEFT_STATIC") ? Boolean.TRUE : null;
            });
            long logMark = Files.size(cluster.logFile(SECOND_GATEWAY));
            produce(topic, partitions, 400);
            // A rebalance would reach the dynamic member in a heartbeat's answer. Twelve answers after the leave (500 ms
            // apart) span more than the cluster's 4 s default session: a static member kept away only for the default,
            // not its own 30 s, would have been removed and its partitions handed on within them.
            List<String> answers = Waits.await("twelve heartbeats of the dynamic member after the leave",
                    Duration.ofSeconds(60), () -> {
                        List<String> lines = heartbeatAnswers(SECOND_GATEWAY, logMark, group, dynamicId);
                        return lines.size() >= 12 ? lines : null;
                    });
            assertThat(answers).as("the dynamic member's heartbeat answers after the leave")
                    .allSatisfy(line -> assertThat(line).contains(": answer epoch " + dynamicEpoch + ", ")
                            .endsWith("asked back []"));
            JsonNode away = get(gatewayB, "/v1/groups/" + group).json();
            assertThat(away.get("group_epoch").asInt()).as("group epoch").isEqualTo(before.get("group_epoch").asInt());
            assertThat(partitionsOf(instance(away, "host-1"))).isEqualTo(staticPartitions);
            assertThat(partitionsOf(instance(away, null))).isEqualTo(dynamicPartitions);

            Map<Integer, Long> resumedAt = new ConcurrentHashMap<>();
            List<JsonNode> assignments = new CopyOnWriteArrayList<>();
            Consumer<GroupSse.Event> session = deliveries.session("static-second");
            second = GroupSse.open(HTTP, gatewayB.resolve(staticQuery), event -> {
                if (event.type().equals("record")) {
                    resumedAt.putIfAbsent(event.data().get("partition").asInt(), event.data().get("offset").asLong());
                } else if (event.type().equals("assignment")) {
                    assignments.add(event.data());
                }
                session.accept(event);
            });
            Waits.await("all 800 records delivered", Duration.ofSeconds(120), () ->
                    deliveries.distinct() == 800 ? Boolean.TRUE : null);
            JsonNode back = get(gatewayA, "/v1/groups/" + group).json();
            assertThat(back.get("group_epoch").asInt()).as("group epoch").isEqualTo(before.get("group_epoch").asInt());
            assertThat(partitionsOf(instance(back, "host-1"))).isEqualTo(staticPartitions);
            assertThat(partitionsOf(assignments.getFirst())).isEqualTo(staticPartitions);
            assertThat(resumedAt.keySet()).isEqualTo(staticPartitions);
            assertThat(resumedAt.values()).as("first offsets after the reconnect").containsOnly(100L);
            deliveries.assertDuplicatesOnlyAtHandOffs();
        } finally {
            first.close();
            dynamic.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /**
     * A static polling member's leave keeps its partitions and epoch; its next join with the same instance id gets
     * both back without a rebalance, and a join with a bad instance id is refused and changes nothing.
     */
    @Test
    void aStaticPollingMemberLeavesAndJoinsAgainWithoutARebalance() {
        String group = "static-poll";
        String join = "{\"topics\":[\"" + TOPIC + "\"],\"group_instance_id\":\"worker-7\"}";
        JsonNode member = post(gatewayA, "/v1/groups/" + group + "/members", join).json();
        JsonNode before = get(gatewayA, "/v1/groups/" + group).json();
        assertThat(partitionsOf(member)).hasSize(PARTITIONS);

        assertThat(delete(gatewayB, "/v1/groups/" + group + "/members/" + member.get("member_id").asString()
                + "?cursor=" + member.get("cursor").asString()).status()).isEqualTo(204);
        JsonNode away = instance(get(gatewayA, "/v1/groups/" + group).json(), "worker-7");
        assertThat(away.get("state").asString()).isEqualTo("LEFT_STATIC");
        assertThat(partitionsOf(away)).hasSize(PARTITIONS);
        assertProblem(post(gatewayA, "/v1/groups/" + group + "/members",
                "{\"topics\":[\"" + TOPIC + "\"],\"group_instance_id\":\"worker 7\"}"), 400, "INVALID_REQUEST");

        JsonNode again = post(gatewayB, "/v1/groups/" + group + "/members", join).json();
        JsonNode after = get(gatewayA, "/v1/groups/" + group).json();
        assertThat(again.get("member_id").asString()).isNotEqualTo(member.get("member_id").asString());
        assertThat(again.get("member_epoch").asInt()).isEqualTo(member.get("member_epoch").asInt());
        assertThat(partitionsOf(again)).isEqualTo(partitionsOf(member));
        assertThat(after.get("group_epoch").asInt()).isEqualTo(before.get("group_epoch").asInt());
        assertThat(after.get("members")).hasSize(1);
        // Without its cursor the leave still knows the member is static.
        assertThat(delete(gatewayA, "/v1/groups/" + group + "/members/" + again.get("member_id").asString())
                .status()).isEqualTo(204);
        assertThat(instance(get(gatewayB, "/v1/groups/" + group).json(), "worker-7").get("state").asString())
                .isEqualTo("LEFT_STATIC");
    }

    /**
     * With manual commits, a partition taken away is announced before it is released: a client that commits, when the
     * {@code assignment} event names it revoked, the cursor of the last record it processed has it committed — even
     * three heartbeats later, within the gateway's revocation hold — and the partition's next owner starts right after
     * that record: nothing is delivered twice.
     */
    @Test
    void aManualCommitterCommitsARevokedPartitionOnItsAssignmentEventAndTheNextOwnerStartsThere() throws Exception {
        String group = "manual";
        String topic = "manual";
        int partitions = 2;
        createTopic(topic, partitions);
        produce(topic, partitions, 200);
        String query = "/v1/groups/" + group + "/records?topics=" + topic + "&auto_offset_reset=earliest"
                + "&auto_commit=false";
        GroupDeliveries deliveries = new GroupDeliveries();
        AtomicReference<String> lastCursor = new AtomicReference<>();
        List<Response> revocationCommits = new CopyOnWriteArrayList<>();
        Consumer<GroupSse.Event> firstSession = deliveries.session("first");
        GroupSse first = GroupSse.open(HTTP, gatewayA.resolve(query), event -> {
            firstSession.accept(event);
            if (event.type().equals("record")) {
                lastCursor.set(event.id());
            } else if (event.type().equals("assignment") && !event.data().get("revoked").isEmpty()) {
                // A client that takes three heartbeat intervals to commit: the gateway's revocation hold waits.
                Waits.sleep(Duration.ofMillis(1500));
                revocationCommits.add(post(gatewayB, "/v1/groups/" + group + "/offsets",
                        "{\"cursor\":\"" + lastCursor.get() + "\"}"));
            }
        });
        GroupSse second = null;
        try {
            Waits.await("200 records at the first member", Duration.ofSeconds(90), () ->
                    deliveries.distinct() == 200 ? Boolean.TRUE : null);
            assertThat(committed(get(gatewayA, "/v1/groups/" + group).json()))
                    .as("manual: nothing committed yet but the starts, stored before the first read")
                    .isEqualTo(Map.of(0, 0L, 1, 0L));

            Map<Integer, Long> secondStartedAt = new ConcurrentHashMap<>();
            Consumer<GroupSse.Event> secondSession = deliveries.session("second");
            second = GroupSse.open(HTTP, gatewayB.resolve(query), event -> {
                if (event.type().equals("record")) {
                    secondStartedAt.putIfAbsent(event.data().get("partition").asInt(),
                            event.data().get("offset").asLong());
                }
                secondSession.accept(event);
            });
            awaitMembersWithPartitions(group, 2);
            assertThat(revocationCommits).as("commits on the revocation").singleElement()
                    .satisfies(commit -> assertThat(commit.status()).as(commit.text()).isEqualTo(200));
            Map<Integer, Long> committed = committed(get(gatewayA, "/v1/groups/" + group).json());
            assertThat(committed).as("both partitions committed by the first member's cursor")
                    .isEqualTo(Map.of(0, 100L, 1, 100L));

            produce(topic, partitions, 200);
            Waits.await("400 records delivered", Duration.ofSeconds(90), () ->
                    deliveries.distinct() == 400 ? Boolean.TRUE : null);
            assertThat(secondStartedAt).as("the second member's first offsets").hasSize(1);
            assertThat(secondStartedAt.values()).containsOnly(100L);
            deliveries.assertDuplicatesOnlyAtHandOffs();
            long deliveredTwice = deliveries.deliveries() - 400;
            assertThat(deliveredTwice).as("records delivered twice").isZero();
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /**
     * A reset forced under a live SSE member: without reconnecting, the member gives the reset partition back, reads
     * it again from the reset offset and commits on from there; the other partition is untouched.
     */
    @Test
    void aResetForcedUnderALiveMemberMakesItReadOnFromTheResetOffset() throws Exception {
        String group = "forced";
        String topic = "forced";
        int partitions = 2;
        createTopic(topic, partitions);
        produce(topic, partitions, 200);
        List<String> delivered = new CopyOnWriteArrayList<>();
        List<JsonNode> errors = new CopyOnWriteArrayList<>();
        GroupSse member = GroupSse.open(HTTP, gatewayA.resolve("/v1/groups/" + group + "/records?topics=" + topic
                + "&auto_offset_reset=earliest&auto_commit_interval_ms=200"), event -> {
            if (event.type().equals("record")) {
                delivered.add(event.data().get("partition").asInt() + ":" + event.data().get("offset").asLong());
            } else if (event.type().equals("error")) {
                errors.add(event.data());
            }
        });
        try {
            Waits.await("200 records delivered and committed", Duration.ofSeconds(90), () ->
                    delivered.size() == 200 && committed(get(gatewayA, "/v1/groups/" + group).json())
                            .equals(Map.of(0, 100L, 1, 100L)) ? Boolean.TRUE : null);

            Response reset = post(gatewayB, "/v1/groups/" + group + "/offsets/reset", "{\"topic\":\"" + topic
                    + "\",\"to\":\"offset\",\"offset\":40,\"partitions\":[0],\"force\":true}");
            assertThat(reset.status()).as(reset.text()).isEqualTo(200);

            Waits.await("partition 0 read again from 40 and committed to its end", Duration.ofSeconds(90), () ->
                    delivered.size() == 260 && committed(get(gatewayA, "/v1/groups/" + group).json())
                            .equals(Map.of(0, 100L, 1, 100L)) ? Boolean.TRUE : null);
            assertThat(delivered.subList(200, 260)).as("the records read again")
                    .isEqualTo(java.util.stream.LongStream.range(40, 100).mapToObj(offset -> "0:" + offset).toList());
            produce(topic, partitions, 20);
            Waits.await("the next records", Duration.ofSeconds(90), () ->
                    delivered.size() == 280 ? Boolean.TRUE : null);
            assertThat(errors).as("error events").isEmpty();
            assertThat(member.isOpen()).isTrue();
        } finally {
            member.close();
        }
    }

    /** A gateway exports the lag of every group of the cluster, also of one that nobody used through it. */
    @Test
    void aGatewayExportsTheLagOfAGroupItNeverServed() {
        String group = "lag-elsewhere";
        Response committed = post(gatewayA, "/v1/groups/" + group + "/offsets",
                "{\"offsets\":[{\"topic\":\"" + TOPIC + "\",\"partition\":0,\"offset\":1000}]}");
        assertThat(committed.status()).as(committed.text()).isEqualTo(200);

        String prefix = "sluice_gateway_group_lag_records{group=\"" + group + "\",partition=\"0\",";
        String line = Waits.await("gateway B exporting the lag of " + group, Duration.ofSeconds(90), () ->
                get(gatewayB, "/actuator/prometheus").text().lines().filter(l -> l.startsWith(prefix)).findFirst()
                        .orElse(null));
        assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).isEqualTo(PER_PARTITION - 1000);
    }

    /**
     * A gateway with {@code groups.lag-scope=served} exports the lag of the groups whose members call through it, and
     * of no other: the round that first exports such a group leaves out a group committed through another gateway
     * before, and two intervals after its member left, the served group is dropped too, though its committed offsets
     * keep it in the cluster.
     */
    @Test
    void aGatewayWithLagScopeServedExportsOnlyTheGroupsItsMembersCallThroughIt() {
        URI served = cluster.startGateway("gateway-served", "--sluice.gateway.groups.lag-scope=served");
        try {
            String elsewhere = "lag-not-served";
            Response committed = post(gatewayA, "/v1/groups/" + elsewhere + "/offsets",
                    "{\"offsets\":[{\"topic\":\"" + TOPIC + "\",\"partition\":0,\"offset\":1000}]}");
            assertThat(committed.status()).as(committed.text()).isEqualTo(200);

            String group = "lag-served";
            JsonNode member = post(served, "/v1/groups/" + group + "/members",
                    "{\"topics\":[\"" + TOPIC + "\"],\"auto_offset_reset\":\"earliest\"}").json();
            String id = member.get("member_id").asString();
            AtomicReference<String> cursor = new AtomicReference<>(member.get("cursor").asString());
            List<Long> delivered = new ArrayList<>();
            // The member polls through this gateway until it has records and the gateway exports its group. The
            // members gauge is the last a round replaces, so its line means the whole scrape is of rounds that began
            // after the join, and so after the other group's commit.
            String membersLine = "sluice_gateway_group_members{group=\"" + group + "\",";
            List<String> exported = Waits.await("gateway-served exporting " + group, Duration.ofSeconds(90), () -> {
                Response answer = post(served, "/v1/groups/" + group + "/members/" + id + "/poll",
                        "{\"cursor\":\"" + cursor.get() + "\",\"wait_ms\":100,\"max_records\":10}");
                assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                cursor.set(answer.json().get("cursor").asString());
                answer.json().get("records").forEach(record -> delivered.add(record.get("offset").asLong()));
                List<String> lines = groupMetrics(served);
                return !delivered.isEmpty() && lines.stream().anyMatch(l -> l.startsWith(membersLine)) ? lines : null;
            });
            assertThat(exported).as("group metrics of gateway-served").noneMatch(l -> l.contains("{group=\"" + elsewhere + "\""));
            Waits.await("gateway A, exporting all groups, exporting " + elsewhere, Duration.ofSeconds(30), () ->
                    groupMetrics(gatewayA).stream().anyMatch(l -> l.contains("{group=\"" + elsewhere + "\""))
                            ? Boolean.TRUE : null);

            assertThat(delete(served, "/v1/groups/" + group + "/members/" + id + "?cursor=" + cursor.get()).status())
                    .isEqualTo(204);
            assertThat(committed(get(gatewayA, "/v1/groups/" + group).json())).as("the group's committed offsets")
                    .isNotEmpty();
            Waits.await(group + " no longer exported, two intervals after its member left", Duration.ofSeconds(30),
                    () -> groupMetrics(served).stream().noneMatch(l -> l.contains("{group=\"" + group + "\""))
                            ? Boolean.TRUE : null);
        } finally {
            cluster.kill("gateway-served");
        }
    }

    /** The lines of a gateway's group gauges (members, lag in records and seconds). */
    private static List<String> groupMetrics(URI gateway) {
        return get(gateway, "/actuator/prometheus").text().lines()
                .filter(line -> line.startsWith("sluice_gateway_group_")).toList();
    }

    /**
     * The heartbeat answers a gateway logged (at DEBUG) for one member of {@code group} after byte {@code from} of its
     * log: "Group g member m at epoch e owning [...]: answer epoch e', [assignment], asked back [...]".
     */
    private static List<String> heartbeatAnswers(String gateway, long from, String group, String memberId) {
        try (var channel = Files.newByteChannel(cluster.logFile(gateway))) {
            channel.position(from);
            String after = new String(Channels.newInputStream(channel).readAllBytes(),
                    StandardCharsets.UTF_8);
            return after.lines().filter(line -> line.contains("Group " + group + " member " + memberId + " at epoch")
                    && line.contains(": answer epoch ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rebalance churn under load: while records are produced, SSE members on both gateways join and leave every one to
     * two and a half seconds (two stay throughout). Every record is delivered, repeats only at hand-offs, and the group
     * history checker ({@link GroupDeliveries#check}) finds no offset below the final committed ones that reached no
     * member; committed offsets, sampled all along, never go backwards; and the coordinator's own ownership history shows partitions
     * moving between members but never one owned by two members at once. {@code -Dsluice.churn.rounds=N} runs N
     * rounds of joins and leaves (default 12: 7 joins and 5 leaves with the seed; 20 until the suite had to fit its 45
     * minutes).
     */
    @Test
    void underRebalanceChurnCommittedOffsetsNeverGoBackAndNoPartitionHasTwoOwners() throws Exception {
        String group = "churn";
        String topic = "churn";
        int partitions = 6;
        int perBurst = 60;
        createTopic(topic, partitions);
        GroupDeliveries deliveries = new GroupDeliveries();
        String query = "/v1/groups/" + group + "/records?topics=" + topic + "&auto_offset_reset=earliest"
                + "&auto_commit_interval_ms=300";
        List<GroupSse> steady = List.of(GroupSse.open(HTTP, gatewayA.resolve(query), deliveries.session("steady-a")),
                GroupSse.open(HTTP, gatewayB.resolve(query), deliveries.session("steady-b")));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger produced = new java.util.concurrent.atomic.AtomicInteger();
        Thread producer = Thread.ofPlatform().name("churn-producer").start(() -> {
            try {
                while (!stop.get()) {
                    produce(topic, partitions, perBurst);
                    produced.addAndGet(perBurst);
                    Thread.sleep(200);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        List<String> backwards = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger samples = new java.util.concurrent.atomic.AtomicInteger();
        Thread sampler = Thread.ofPlatform().name("churn-sampler").start(() -> {
            Map<Integer, Long> last = new TreeMap<>();
            try {
                while (!stop.get()) {
                    committed(get(gatewayA, "/v1/groups/" + group).json()).forEach((partition, offset) -> {
                        Long before = last.put(partition, offset);
                        if (before != null && offset < before) {
                            backwards.add(partition + ": " + before + " -> " + offset);
                        }
                    });
                    samples.incrementAndGet();
                    Thread.sleep(100);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        java.util.Random random = new java.util.Random(15);
        List<GroupSse> churners = new ArrayList<>();
        int joins = 0;
        int leaves = 0;
        try {
            for (int round = 0; round < CHURN_ROUNDS; round++) {
                Thread.sleep(1000 + random.nextInt(1500));
                if (churners.isEmpty() || churners.size() < 3 && random.nextBoolean()) {
                    URI gateway = random.nextBoolean() ? gatewayA : gatewayB;
                    churners.add(GroupSse.open(HTTP, gateway.resolve(query), deliveries.session("churn-" + round)));
                    joins++;
                } else {
                    churners.remove(random.nextInt(churners.size())).close();
                    leaves++;
                }
            }
            churners.forEach(GroupSse::close);
            stop.set(true);
            producer.join(30_000);
            Waits.await("every produced record delivered", Duration.ofSeconds(180), () ->
                    deliveries.distinct() == produced.get() ? Boolean.TRUE : null);
            long perPartition = produced.get() / partitions;
            Waits.await("committed offsets at the log end", Duration.ofSeconds(90), () ->
                    committed(get(gatewayA, "/v1/groups/" + group).json()).values().stream()
                            .filter(offset -> offset == perPartition).count() == partitions ? Boolean.TRUE : null);
        } finally {
            stop.set(true);
            producer.join(30_000);
            sampler.join(30_000);
            churners.forEach(GroupSse::close);
            steady.forEach(GroupSse::close);
        }

        assertThat(failure.get()).as("producer or sampler failure").isNull();
        System.out.printf("[churn] %d joins, %d leaves, %d records, %d commit samples%n", joins, leaves,
                produced.get(), samples.get());
        assertThat(joins).isGreaterThanOrEqualTo(5);
        assertThat(leaves).isGreaterThanOrEqualTo(5);
        // The sampler reads the committed offsets every 100 ms (a loaded machine slows it to a read every few seconds):
        // at least as many samples as joins and leaves, so that it saw the group through its changes.
        assertThat(samples.get()).isGreaterThanOrEqualTo(joins + leaves);
        assertThat(backwards).as("committed offsets that went backwards").isEmpty();
        deliveries.assertDuplicatesOnlyAtHandOffs();
        GroupDeliveries.Report report = deliveries.check(Map.of(),
                committed(get(gatewayA, "/v1/groups/" + group).json()));
        System.out.printf("[churn] below the final committed offsets: %s%n", report);
        assertThat(report.skipped()).as("offsets below the final committed offsets that reached no member").isEmpty();

        JsonNode history = JSON.readTree(send(HttpRequest.newBuilder(cluster.coordinatorUrl()
                .resolve("/internal/groups/" + group + "/ownership-history")).GET()).text());
        long previous = 0;
        Map<String, Set<String>> ownersOverTime = new TreeMap<>();
        for (JsonNode change : history) {
            assertThat(change.get("sequence").asLong()).isGreaterThan(previous);
            previous = change.get("sequence").asLong();
            Map<String, String> ownerOf = new TreeMap<>();
            for (Map.Entry<String, JsonNode> member : change.get("owned").properties()) {
                for (JsonNode owned : member.getValue()) {
                    for (JsonNode partition : owned.get("partitions")) {
                        String tp = owned.get("topic").asString() + "-" + partition.asInt();
                        String other = ownerOf.put(tp, member.getKey());
                        assertThat(other).as("a second owner of %s at change %d: %s", tp, previous, change).isNull();
                        ownersOverTime.computeIfAbsent(tp, k -> new java.util.TreeSet<>()).add(member.getKey());
                    }
                }
            }
        }
        System.out.printf("[churn] %d ownership changes in the coordinator's history%n", history.size());
        assertThat(history.size()).as("ownership changes recorded").isGreaterThan(2 * (joins + leaves));
        assertThat(ownersOverTime).as("partitions ever owned").hasSize(partitions);
        assertThat(ownersOverTime.values().stream().filter(owners -> owners.size() > 1).count())
                .as("partitions that changed owner (%s)", ownersOverTime).isGreaterThanOrEqualTo(3);
    }

    /**
     * An SSE client in a process of its own is paused (SIGSTOP) while records keep coming for its partition: once the
     * connection takes nothing more, the gateway stops heartbeating for it, so past its session timeout the coordinator
     * removes the member and its partition goes to the other member. Resumed (SIGCONT), the client is told so (an
     * {@code error} event ends its stream) and a commit with its last cursor is 404 UNKNOWN_MEMBER.
     */
    @Test
    void aPausedSseClientIsRemovedPastItsSessionAndCannotCommitAfterwards() throws Exception {
        String group = "paused";
        String topic = "paused";
        int partitions = 2;
        createTopic(topic, partitions);
        String query = "/v1/groups/" + group + "/records?topics=" + topic + "&auto_offset_reset=earliest"
                + "&auto_commit_interval_ms=1000";
        Map<Integer, Long> steadyFirst = new ConcurrentHashMap<>();
        GroupSse steady = GroupSse.open(HTTP, gatewayB.resolve(query), event -> {
            if (event.type().equals("record")) {
                steadyFirst.putIfAbsent(event.data().get("partition").asInt(), event.data().get("offset").asLong());
            }
        });
        awaitMembersWithPartitions(group, 1);
        Process client = GroupSseClient.start(gatewayA.resolve(query + "&session_timeout_ms=3000"));
        List<String[]> events = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().name("paused-client-out").start(() -> {
            try (java.io.BufferedReader lines = client.inputReader(StandardCharsets.UTF_8)) {
                lines.lines().forEach(line -> events.add(line.split("\t", 3)));
            } catch (IOException e) {
                // the process is gone
            }
        });
        try {
            awaitMembersWithPartitions(group, 2);
            int clientPartition = Waits.await("the client's assignment", Duration.ofSeconds(90), () -> events.stream()
                    .filter(event -> event[0].equals("assignment"))
                    .map(event -> partitionsOf(JSON.readTree(event[2])))
                    .filter(owned -> owned.size() == 1).map(owned -> owned.iterator().next())
                    .reduce((first, last) -> last).orElse(null));
            produce(topic, partitions, 200);
            String cursor = Waits.await("100 records at the client, committed", Duration.ofSeconds(90), () -> {
                List<String[]> records = events.stream().filter(event -> event[0].equals("record")).toList();
                return records.size() == 100 && committed(get(gatewayA, "/v1/groups/" + group).json())
                        .getOrDefault(clientPartition, 0L) == 100 ? records.getLast()[1] : null;
            });

            signal(client.pid(), "STOP");
            String value = "v".repeat(1000);
            for (int request = 0; request < 20; request++) {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < 700; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"partition\":").append(clientPartition)
                            .append(",\"value\":\"").append(value).append("\"}");
                }
                Response produced = post(gatewayA, "/v1/topics/" + topic + "/records", body.append("]").toString());
                assertThat(produced.status()).as(produced.text()).isEqualTo(200);
            }
            Waits.await("the paused member removed, its partition with the other member", Duration.ofSeconds(120),
                    () -> {
                        JsonNode members = get(gatewayA, "/v1/groups/" + group).json().get("members");
                        return members.size() == 1 && partitionsOf(members.get(0)).size() == partitions
                                ? Boolean.TRUE : null;
                    });
            Waits.await("the other member reading the paused one's partition", Duration.ofSeconds(90), () ->
                    steadyFirst.containsKey(clientPartition) ? Boolean.TRUE : null);

            signal(client.pid(), "CONT");
            Waits.await("the resumed client told it was removed", Duration.ofSeconds(120), () -> events.stream()
                    .anyMatch(event -> event[0].equals("error") && event[2].contains("UNKNOWN_MEMBER"))
                    ? Boolean.TRUE : null);
            assertProblem(post(gatewayB, "/v1/groups/" + group + "/offsets", "{\"cursor\":\"" + cursor + "\"}"),
                    404, "UNKNOWN_MEMBER");
        } finally {
            // A client still stopped (a check above failed) is resumed so that it can be ended. One resumed above may
            // be exiting already, having read its error event: the signal then finds no process, which is fine.
            if (client.isAlive()) {
                new ProcessBuilder("kill", "-CONT", Long.toString(client.pid())).inheritIO().start().waitFor();
            }
            client.destroyForcibly();
            assertThat(client.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the client process ended")
                    .isTrue();
            steady.close();
        }
    }

    /** Sends {@code signal} (STOP, CONT) to the process {@code pid} this test started. */
    private static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }

    /** A reset's dry run shows the plan and changes nothing; refused with a member; applied, a new member starts there. */
    @Test
    void resetDryRunShowsThePlanAndTheNextMemberStartsWhereItWasApplied() throws Exception {
        String group = "reset";
        List<String> commits = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            commits.add("{\"topic\":\"" + TOPIC + "\",\"partition\":" + p + ",\"offset\":100}");
        }
        Response committed = post(gatewayA, "/v1/groups/" + group + "/offsets",
                "{\"offsets\":[" + String.join(",", commits) + "]}");
        assertThat(committed.status()).as(committed.text()).isEqualTo(200);

        Response plan = post(gatewayB, "/v1/groups/" + group + "/offsets/reset",
                "{\"topic\":\"" + TOPIC + "\",\"to\":\"shift\",\"shift_by\":-40,\"dry_run\":true}");
        assertThat(plan.status()).as(plan.text()).isEqualTo(200);
        assertThat(plan.json().get("dry_run").asBoolean()).isTrue();
        for (JsonNode partition : plan.json().get("partitions")) {
            assertThat(partition.get("current_offset").asLong()).isEqualTo(100);
            assertThat(partition.get("new_offset").asLong()).isEqualTo(60);
            assertThat(partition.get("lag").asLong()).isEqualTo(PER_PARTITION - 60);
        }
        assertThat(committed(get(gatewayA, "/v1/groups/" + group).json()).values()).containsOnly(100L);

        JsonNode member = post(gatewayA, "/v1/groups/" + group + "/members",
                "{\"topics\":[\"" + TOPIC + "\"],\"auto_commit\":false}").json();
        Response refused = post(gatewayB, "/v1/groups/" + group + "/offsets/reset",
                "{\"topic\":\"" + TOPIC + "\",\"to\":\"shift\",\"shift_by\":-40}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error_code").asString()).isEqualTo("NON_EMPTY_GROUP");
        assertThat(delete(gatewayB, "/v1/groups/" + group + "/members/" + member.get("member_id").asString())
                .status()).isEqualTo(204);

        Response applied = post(gatewayB, "/v1/groups/" + group + "/offsets/reset",
                "{\"topic\":\"" + TOPIC + "\",\"to\":\"shift\",\"shift_by\":-40}");
        assertThat(applied.status()).as(applied.text()).isEqualTo(200);
        assertThat(committed(get(gatewayA, "/v1/groups/" + group).json()).values()).containsOnly(60L);

        JsonNode next = post(gatewayB, "/v1/groups/" + group + "/members", "{\"topics\":[\"" + TOPIC + "\"]}").json();
        JsonNode page = post(gatewayA, "/v1/groups/" + group + "/members/" + next.get("member_id").asString() + "/poll",
                "{\"cursor\":\"" + next.get("cursor").asString() + "\",\"max_records\":10000,\"wait_ms\":2000}").json();
        Map<Integer, Long> firsts = new TreeMap<>();
        page.get("records").forEach(record -> firsts.putIfAbsent(record.get("partition").asInt(),
                record.get("offset").asLong()));
        assertThat(firsts).hasSize(PARTITIONS);
        assertThat(firsts.values()).containsOnly(60L);
        delete(gatewayA, "/v1/groups/" + group + "/members/" + next.get("member_id").asString());
    }

    /** Unknown groups and members, wrong epochs, offsets beyond the log, a member past its session: typed, no change. */
    @Test
    void badInputIsATypedProblemAndChangesNothing() throws Exception {
        String group = "bad-input";
        assertProblem(get(gatewayA, "/v1/groups/no-such-group"), 404, "UNKNOWN_GROUP");

        JsonNode member = post(gatewayA, "/v1/groups/" + group + "/members",
                "{\"topics\":[\"" + TOPIC + "\"],\"auto_offset_reset\":\"earliest\"}").json();
        String id = member.get("member_id").asString();
        JsonNode polled = post(gatewayB, "/v1/groups/" + group + "/members/" + id + "/poll",
                "{\"cursor\":\"" + member.get("cursor").asString() + "\",\"max_records\":10}").json();
        String cursor = polled.get("cursor").asString();
        int epoch = polled.get("member_epoch").asInt();
        post(gatewayA, "/v1/groups/" + group + "/offsets", "{\"cursor\":\"" + cursor + "\"}");
        Map<Integer, Long> before = committed(get(gatewayA, "/v1/groups/" + group).json());
        int owned = polled.get("assignment").get(0).get("partitions").get(0).asInt();

        assertProblem(post(gatewayA, "/v1/groups/" + group + "/offsets", "{\"member_id\":\"" + id
                + "\",\"member_epoch\":" + (epoch + 7) + ",\"offsets\":[{\"topic\":\"" + TOPIC + "\",\"partition\":"
                + owned + ",\"offset\":200}]}"), 409, "FENCED_MEMBER_EPOCH");
        assertProblem(post(gatewayB, "/v1/groups/" + group + "/offsets", "{\"member_id\":\"" + id
                + "\",\"member_epoch\":" + epoch + ",\"offsets\":[{\"topic\":\"" + TOPIC + "\",\"partition\":"
                + owned + ",\"offset\":999999}]}"), 416, "OFFSET_OUT_OF_RANGE");
        assertProblem(post(gatewayB, "/v1/groups/" + group + "/offsets", "{\"member_id\":\"" + id
                + "\",\"member_epoch\":" + epoch + ",\"offsets\":[{\"topic\":\"" + TOPIC + "\",\"partition\":99,"
                + "\"offset\":1}]}"), 404, "UNKNOWN_PARTITION");
        assertProblem(post(gatewayB, "/v1/groups/" + group + "/offsets", "{\"cursor\":\"" + cursor + "\","
                + "\"offsets\":[]}"), 400, "INVALID_REQUEST");
        assertProblem(post(gatewayB, "/v1/groups/" + group + "/members/" + id + "/poll",
                "{\"cursor\":\"" + cursor + "\",\"max_records\":0}"), 400, "INVALID_REQUEST");
        assertProblem(delete(gatewayA, "/v1/groups/" + group), 409, "NON_EMPTY_GROUP");
        assertThat(committed(get(gatewayA, "/v1/groups/" + group).json())).isEqualTo(before);

        // Left: the member's next poll is refused and commits nothing.
        assertThat(delete(gatewayB, "/v1/groups/" + group + "/members/" + id).status()).isEqualTo(204);
        assertProblem(post(gatewayA, "/v1/groups/" + group + "/members/" + id + "/poll",
                "{\"cursor\":\"" + cursor + "\"}"), 404, "UNKNOWN_MEMBER");

        // Silent past its session timeout: removed (the description stops listing it), so it cannot commit afterwards.
        JsonNode sleeper = post(gatewayA, "/v1/groups/" + group + "/members",
                "{\"topics\":[\"" + TOPIC + "\"],\"session_timeout_ms\":1000}").json();
        String sleeperId = sleeper.get("member_id").asString();
        Waits.await("the silent member removed after its 1 s session", Duration.ofSeconds(30), () -> {
            for (JsonNode listed : get(gatewayA, "/v1/groups/" + group).json().get("members")) {
                if (listed.get("member_id").asString().equals(sleeperId)) {
                    return null;
                }
            }
            return Boolean.TRUE;
        });
        assertProblem(post(gatewayB, "/v1/groups/" + group + "/offsets",
                "{\"cursor\":\"" + sleeper.get("cursor").asString() + "\"}"), 404, "UNKNOWN_MEMBER");
        assertThat(committed(get(gatewayA, "/v1/groups/" + group).json())).isEqualTo(before);
    }

    // ------------------------------------------------------------------ the members

    /** Waits until the group has {@code count} members and every one owns a partition. */
    private static void awaitMembersWithPartitions(String group, int count) {
        awaitMembersWithPartitions(group, count, new AtomicReference<>());
    }

    /** The same, failing at once with the failure of a member's thread that {@code memberFailure} receives. */
    private static void awaitMembersWithPartitions(String group, int count, AtomicReference<Throwable> memberFailure) {
        Waits.await(count + " members, each owning partitions", Duration.ofSeconds(90), () -> {
            if (memberFailure.get() != null) {
                throw new AssertionError("a member failed while the group formed", memberFailure.get());
            }
            JsonNode members = get(gatewayA, "/v1/groups/" + group).json().get("members");
            if (members == null || members.size() != count) {
                return null;
            }
            for (JsonNode member : members) {
                if (member.get("assignment").isEmpty()) {
                    return null;
                }
            }
            return Boolean.TRUE;
        });
    }

    /**
     * Polls until {@code stop}, alternating between the gateways, then leaves with its cursor (a last commit); {@code
     * lastAnswer} tells a failure what the last poll answered.
     */
    private static void pollUntil(String group, String topic, AtomicBoolean stop, Consumer<GroupSse.Event> sink,
                                  List<String> gatewaysUsed, AtomicReference<String> lastAnswer) {
        JsonNode member = post(gatewayA, "/v1/groups/" + group + "/members",
                "{\"topics\":[\"" + topic + "\"],\"auto_offset_reset\":\"earliest\"}").json();
        String id = member.get("member_id").asString();
        String cursor = member.get("cursor").asString();
        int call = 0;
        while (!stop.get()) {
            URI gateway = call++ % 2 == 0 ? gatewayB : gatewayA;
            gatewaysUsed.add(gateway.toString());
            Response answer = post(gateway, "/v1/groups/" + group + "/members/" + id + "/poll",
                    "{\"cursor\":\"" + cursor + "\",\"wait_ms\":300,\"max_records\":500}");
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            cursor = answer.json().get("cursor").asString();
            lastAnswer.set(gateway + " epoch " + answer.json().get("member_epoch") + " "
                    + answer.json().get("assignment") + " records " + answer.json().get("records").size());
            answer.json().get("records").forEach(record -> sink.accept(new GroupSse.Event("record", record, null)));
            sink.accept(new GroupSse.Event("assignment", answer.json(), null));
        }
        assertThat(delete(gatewayA, "/v1/groups/" + group + "/members/" + id + "?cursor=" + cursor).status())
                .isEqualTo(204);
    }

    /** The member of a group description with {@code instanceId} (null: the first dynamic member), or null. */
    private static JsonNode instance(JsonNode view, String instanceId) {
        for (JsonNode member : view.get("members")) {
            JsonNode id = member.get("group_instance_id");
            boolean dynamic = id == null || id.isNull();
            if (instanceId == null ? dynamic : !dynamic && id.asString().equals(instanceId)) {
                return member;
            }
        }
        return null;
    }

    /** The partitions of a member's (or an answer's, or an assignment event's) {@code assignment}. */
    private static Set<Integer> partitionsOf(JsonNode member) {
        Set<Integer> partitions = new java.util.TreeSet<>();
        member.get("assignment").forEach(topic -> topic.get("partitions").forEach(p -> partitions.add(p.asInt())));
        return partitions;
    }

    private static void createTopic(String name, int partitions) {
        GatewayHttp.createTopic(List.of(gatewayA, gatewayB), name, partitions, 2);
    }

    private static void produce(String topic, int partitions, int records) {
        GatewayHttp.produce(gatewayA, topic, partitions, records);
    }
}
