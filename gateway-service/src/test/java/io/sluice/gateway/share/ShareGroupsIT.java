package io.sluice.gateway.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.gateway.testing.SseStream;
import io.sluice.internal.share.SharePaths;
import io.sluice.launcher.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Share groups over HTTP against real processes (the shared cluster, whose coordinator locks records for 5 s, holds at
 * most 20 records in flight per share-partition and starts new share-partitions at the log start): members on two
 * gateways take disjoint records; accept is final, release delivers again at once, reject archives, renew extends the
 * lock; an expired lock goes to the next taker and its former holder's acknowledgement is refused; a take facing a full
 * window waits without asking the coordinator again and again; bad input is answered as typed and changes nothing.
 */
@ExtendWith(SharedGatewayCluster.class)
class ShareGroupsIT {

    private static GatewayCluster cluster;
    /** A second gateway: any gateway serves any call of any member. */
    private static String secondGateway;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        cluster = shared;
        secondGateway = shared.startGateway("gateway-share");
    }

    /** The second gateway is this class's: the classes after it share the cluster without it. */
    @AfterAll
    static void stopSecondGateway() {
        if (secondGateway != null) {
            cluster.processes().stop("gateway-share");
        }
    }

    @Test
    void twoMembersOnTwoGatewaysTakeDisjointRecordsUntilAllAreTaken() {
        cluster.createTopic("sh-disjoint", 2, 3, Map.of());
        produce("sh-disjoint", 20);

        List<JsonNode> first = records(acquire(cluster.gatewayUrl(), "sh-disjoint-group",
                "{\"topic\":\"sh-disjoint\",\"member_id\":\"a\",\"max_records\":7}"));
        List<JsonNode> second = records(acquire(secondGateway, "sh-disjoint-group",
                "{\"topic\":\"sh-disjoint\",\"member_id\":\"b\",\"max_records\":20}"));
        List<JsonNode> third = records(acquire(cluster.gatewayUrl(), "sh-disjoint-group",
                "{\"topic\":\"sh-disjoint\",\"member_id\":\"a\",\"max_records\":20,\"max_wait_ms\":500}"));

        assertThat(first).hasSize(7);
        assertThat(second).hasSize(13);
        assertThat(third).as("everything is locked").isEmpty();
        Set<String> taken = new HashSet<>();
        first.forEach(r -> assertThat(taken.add(r.path("value").asString())).isTrue());
        second.forEach(r -> assertThat(taken.add(r.path("value").asString())).as("taken once").isTrue());
        assertThat(taken).hasSize(20);
        assertThat(first).allSatisfy(r -> {
            assertThat(r.path("delivery_count").asInt()).isEqualTo(1);
            assertThat(r.path("lock_expires_at").asLong()).isGreaterThan(System.currentTimeMillis());
        });

        // One call accepts a member's records of both partitions, interleaved: one result per item, in its order.
        List<JsonNode> mixed = new ArrayList<>(second);
        mixed.sort(java.util.Comparator.comparingLong(r -> r.path("offset").asLong() * 2 + r.path("partition").asInt()));
        Response accepted = acknowledge(secondGateway, "sh-disjoint-group", "b",
                mixed.stream().map(r -> item("sh-disjoint", r, "accept")).toArray(String[]::new));
        JsonNode results = accepted.json().path("results");
        assertThat(results.size()).as(accepted.text()).isEqualTo(mixed.size());
        for (int i = 0; i < mixed.size(); i++) {
            assertThat(results.get(i).has("error")).as(results.get(i).toString()).isFalse();
            assertThat(results.get(i).path("partition").asInt()).isEqualTo(mixed.get(i).path("partition").asInt());
            assertThat(results.get(i).path("records").get(0).path("offset").asLong())
                    .isEqualTo(mixed.get(i).path("offset").asLong());
        }
    }

    @Test
    void acceptIsFinalReleaseDeliversAgainAtOnceAndRejectArchives() {
        cluster.createTopic("sh-ack", 1, 3, Map.of());
        produce("sh-ack", 3);
        List<JsonNode> taken = records(acquire(cluster.gatewayUrl(), "sh-ack-group",
                "{\"topic\":\"sh-ack\",\"member_id\":\"a\",\"max_records\":3}"));
        assertThat(taken).extracting(r -> r.path("value").asString()).containsExactly("v0", "v1", "v2");

        Response acknowledged = acknowledge(cluster.gatewayUrl(), "sh-ack-group", "a",
                item("sh-ack", taken.get(0), "accept"), item("sh-ack", taken.get(1), "release"),
                item("sh-ack", taken.get(2), "reject"));

        assertThat(acknowledged.status()).as(acknowledged.text()).isEqualTo(200);
        List<String> states = new ArrayList<>();
        acknowledged.json().path("results").forEach(result -> {
            assertThat(result.has("error")).as(result.toString()).isFalse();
            states.add(result.path("records").get(0).path("state").asString());
        });
        assertThat(states).containsExactly("acknowledged", "available", "archived");

        List<JsonNode> again = records(acquire(secondGateway, "sh-ack-group",
                "{\"topic\":\"sh-ack\",\"member_id\":\"b\",\"max_records\":10}"));
        assertThat(again).singleElement().satisfies(r -> {
            assertThat(r.path("value").asString()).isEqualTo("v1");
            assertThat(r.path("delivery_count").asInt()).isEqualTo(2);
        });
        assertThat(acknowledge(cluster.gatewayUrl(), "sh-ack-group", "b", item("sh-ack", again.getFirst(), "accept"))
                .json().path("results").get(0).has("error")).isFalse();
        assertThat(records(acquire(cluster.gatewayUrl(), "sh-ack-group",
                "{\"topic\":\"sh-ack\",\"member_id\":\"a\",\"max_wait_ms\":6000}")))
                .as("accepted and archived records are never delivered again, even after the locks' duration")
                .isEmpty();
    }

    @Test
    void aRecordWhoseLockExpiredGoesToTheNextTakerAndItsFormerHolderCannotAcknowledgeIt() {
        cluster.createTopic("sh-expire", 1, 3, Map.of());
        produce("sh-expire", 1);
        JsonNode held = records(acquire(cluster.gatewayUrl(), "sh-expire-group",
                "{\"topic\":\"sh-expire\",\"member_id\":\"a\"}")).getFirst();

        // The lock lasts 5 s: the take waits until it expired and takes the record then.
        List<JsonNode> next = records(acquire(secondGateway, "sh-expire-group",
                "{\"topic\":\"sh-expire\",\"member_id\":\"b\",\"max_wait_ms\":15000}"));

        assertThat(next).singleElement().satisfies(r -> {
            assertThat(r.path("offset").asLong()).isEqualTo(held.path("offset").asLong());
            assertThat(r.path("delivery_count").asInt()).isEqualTo(2);
            assertThat(r.path("acquisition_id").asLong()).isNotEqualTo(held.path("acquisition_id").asLong());
        });
        JsonNode late = acknowledge(cluster.gatewayUrl(), "sh-expire-group", "a", item("sh-expire", held, "accept"))
                .json().path("results").get(0);
        assertThat(late.path("error").asString()).isEqualTo("ACQUISITION_ENDED");
        assertThat(acknowledge(cluster.gatewayUrl(), "sh-expire-group", "b", item("sh-expire", next.getFirst(), "accept"))
                .json().path("results").get(0).has("error")).as("the new holder's lock is untouched").isFalse();
    }

    @Test
    void aRenewExtendsTheLockAndAnAcknowledgementAfterTheLockExpiredIsRefusedAndTheRecordGoesToTheNextTaker() {
        cluster.createTopic("sh-renew", 1, 3, Map.of());
        produce("sh-renew", 1);
        JsonNode held = records(acquire(cluster.gatewayUrl(), "sh-renew-group",
                "{\"topic\":\"sh-renew\",\"member_id\":\"a\"}")).getFirst();
        GatewayCluster.sleep(Duration.ofMillis(200));

        JsonNode renewed = acknowledge(cluster.gatewayUrl(), "sh-renew-group", "a", item("sh-renew", held, "renew"))
                .json().path("results").get(0).path("records").get(0);
        assertThat(renewed.path("error").isNull()).as(renewed.toString()).isTrue();
        assertThat(renewed.path("state").asString()).isEqualTo("acquired");
        assertThat(renewed.path("lock_expires_at").asLong()).isGreaterThan(held.path("lock_expires_at").asLong());

        GatewayCluster.sleep(Duration.ofMillis(renewed.path("lock_expires_at").asLong() - System.currentTimeMillis()
                + 500));
        JsonNode late = acknowledge(cluster.gatewayUrl(), "sh-renew-group", "a", item("sh-renew", held, "accept"))
                .json().path("results").get(0);
        assertThat(late.toString()).contains("LOCK_EXPIRED");
        assertThat(records(acquire(secondGateway, "sh-renew-group",
                "{\"topic\":\"sh-renew\",\"member_id\":\"b\"}"))).as("the refused accept changed nothing")
                .singleElement().satisfies(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));
    }

    /** Benchmark S1 (issue 45): takes facing a full window, with records on the log past it, spun their whole wait. */
    @Test
    void aTakeFacingAFullWindowWaitsWithoutSpinningAndFindsRoomAnAcknowledgementThroughAnotherGatewayMade() {
        cluster.createTopic("sh-full", 1, 3, Map.of());
        produce("sh-full", 30);
        List<JsonNode> held = records(acquire(cluster.gatewayUrl(), "sh-full-group",
                "{\"topic\":\"sh-full\",\"member_id\":\"a\",\"max_records\":30}"));
        assertThat(held).as("the window holds 20").hasSize(20);

        double before = acquireCommands();
        List<JsonNode> none = records(acquire(cluster.gatewayUrl(), "sh-full-group",
                "{\"topic\":\"sh-full\",\"member_id\":\"b\",\"max_wait_ms\":1500}"));
        double commands = acquireCommands() - before;

        assertThat(none).as("the window is full and every lock lasts 5 s").isEmpty();
        // One command a pass, a pass every 500 ms at most: 4 in 1.5 s. Spinning on the log made hundreds.
        assertThat(commands).as("coordinator acquire commands during a 1.5 s take").isBetween(1.0, 8.0);

        CompletableFuture<List<JsonNode>> waiting = CompletableFuture.supplyAsync(() -> records(acquire(
                cluster.gatewayUrl(), "sh-full-group",
                "{\"topic\":\"sh-full\",\"member_id\":\"b\",\"max_wait_ms\":3000}")));
        GatewayCluster.sleep(Duration.ofMillis(300));
        assertThat(acknowledge(secondGateway, "sh-full-group", "a", item("sh-full", held.getFirst(), "accept"))
                .json().path("results").get(0).has("error")).isFalse();

        assertThat(waiting.join()).as("the accept made room for the log's next record")
                .extracting(r -> r.path("value").asString()).containsExactly("v20");
    }

    @Test
    void badAcknowledgementsAreAnsweredAsTypedAndChangeNothing() {
        cluster.createTopic("sh-bad", 1, 3, Map.of());
        produce("sh-bad", 2);
        List<JsonNode> held = records(acquire(cluster.gatewayUrl(), "sh-bad-group",
                "{\"topic\":\"sh-bad\",\"member_id\":\"a\",\"max_records\":2}"));
        long id = held.get(0).path("acquisition_id").asLong();

        Response typed = acknowledge(cluster.gatewayUrl(), "sh-bad-group", "a",
                "{\"topic\":\"sh-bad\",\"partition\":0,\"acquisition_id\":999999,\"type\":\"accept\"}",
                "{\"topic\":\"sh-bad\",\"partition\":0,\"first_offset\":5,\"last_offset\":2,\"type\":\"accept\"}",
                "{\"topic\":\"sh-bad\",\"partition\":0,\"acquisition_id\":" + id + ",\"type\":\"reject\"}");
        assertThat(typed.status()).as(typed.text()).isEqualTo(200);
        JsonNode results = typed.json().path("results");
        assertThat(results.get(0).path("error").asString()).isEqualTo("UNKNOWN_ACQUISITION_ID");
        assertThat(results.get(1).path("error").asString()).isEqualTo("INVALID_RANGE");
        assertThat(results.get(2).has("error")).as("a good item beside bad ones is taken").isFalse();

        Map<String, String> malformed = Map.of(
                "missing member", "{\"acknowledgements\":[{\"topic\":\"sh-bad\",\"partition\":0,\"acquisition_id\":"
                        + held.get(1).path("acquisition_id").asLong() + ",\"type\":\"accept\"}]}",
                "id and range", body("a", "{\"topic\":\"sh-bad\",\"partition\":0,\"acquisition_id\":1,"
                        + "\"first_offset\":0,\"last_offset\":0,\"type\":\"accept\"}"),
                "half a range", body("a", "{\"topic\":\"sh-bad\",\"partition\":0,\"first_offset\":1,\"type\":\"accept\"}"),
                "unknown type", body("a", "{\"topic\":\"sh-bad\",\"partition\":0,\"first_offset\":1,\"last_offset\":1,"
                        + "\"type\":\"ignore\"}"),
                "no items", body("a"),
                "unknown field", body("a", "{\"topic\":\"sh-bad\",\"partition\":0,\"first_offset\":1,\"last_offset\":1,"
                        + "\"type\":\"accept\",\"urgent\":true}"));
        malformed.forEach((what, request) -> {
            Response refused = post(cluster.gatewayUrl(), "/v1/share-groups/sh-bad-group/acknowledgements", request);
            assertThat(refused.status()).as(what + ": " + refused.text()).isEqualTo(400);
            assertThat(refused.json().path("error_code").asString()).as(what).isEqualTo("INVALID_REQUEST");
        });

        // The second record is still the member's, acquired once: none of the refused calls touched it.
        JsonNode accepted = acknowledge(cluster.gatewayUrl(), "sh-bad-group", "a", item("sh-bad", held.get(1), "accept"))
                .json().path("results").get(0);
        assertThat(accepted.has("error")).as(accepted.toString()).isFalse();
        assertThat(accepted.path("records").get(0).path("state").asString()).isEqualTo("acknowledged");
    }

    @Test
    void badTakesAreRefusedWithAProblem() {
        cluster.createTopic("sh-bad-take", 1, 3, Map.of());
        assertThat(post(cluster.gatewayUrl(), "/v1/share-groups/g/acquisitions", "{\"topic\":\"sh-no-such-topic\"}")
                .status()).isEqualTo(404);
        assertThat(post(cluster.gatewayUrl(), "/v1/share-groups/g/acquisitions",
                "{\"topic\":\"sh-bad-take\",\"partitions\":[3]}").json().path("error_code").asString())
                .isEqualTo("UNKNOWN_PARTITION");
        assertThat(post(cluster.gatewayUrl(), "/v1/share-groups/g/acquisitions",
                "{\"topic\":\"sh-bad-take\",\"max_records\":0}").status()).isEqualTo(400);
        assertThat(post(cluster.gatewayUrl(), "/v1/share-groups/g/acquisitions",
                "{\"topic\":\"sh-bad-take\",\"partitions\":[]}").status()).as("never read as all").isEqualTo(400);
        assertThat(post(cluster.gatewayUrl(), "/v1/share-groups/g/acquisitions", "{}").status()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- the SSE form

    @Test
    void aStreamPushesRecordsWithTheirLocksAndHoldsAtMostMaxInFlightUntilOneIsAcknowledgedThroughAnotherGateway() {
        cluster.createTopic("sh-stream", 1, 3, Map.of());
        produce("sh-stream", 5);
        try (SseStream stream = openStream(cluster.gatewayUrl(), "sh-stream-group",
                "topic=sh-stream&member_id=pusher&max_in_flight=2")) {
            JsonNode first = record(stream.next(Duration.ofSeconds(20)));
            JsonNode second = record(stream.next(Duration.ofSeconds(20)));

            assertThat(first.path("member_id").asString()).isEqualTo("pusher");
            assertThat(first.path("value").asString()).isEqualTo("v0");
            assertThat(first.path("delivery_count").asInt()).isEqualTo(1);
            assertThat(first.path("lock_expires_at").asLong()).isGreaterThan(System.currentTimeMillis());
            assertThat(second.path("value").asString()).isEqualTo("v1");
            assertThat(nextRecord(stream, Duration.ofMillis(1500))).as("two records in flight: the stream waits")
                    .isNull();

            JsonNode accepted = acknowledge(secondGateway, "sh-stream-group", "pusher", item("sh-stream", first,
                    "accept")).json().path("results").get(0);
            assertThat(accepted.has("error")).as(accepted.toString()).isFalse();
            JsonNode third = nextRecord(stream, Duration.ofSeconds(4));
            assertThat(third).as("the acknowledgement made room").isNotNull();
            assertThat(third.path("value").asString()).isEqualTo("v2");
        }
    }

    @Test
    void aRecordTheStreamsWorkerNeverAcknowledgesIsDeliveredAgainAfterItsLockExpires() {
        cluster.createTopic("sh-stream-expire", 1, 3, Map.of());
        produce("sh-stream-expire", 1);
        try (SseStream stream = openStream(cluster.gatewayUrl(), "sh-stream-expire-group",
                "topic=sh-stream-expire&max_in_flight=1")) {
            JsonNode first = record(stream.next(Duration.ofSeconds(20)));
            // The lock lasts 5 s; the stream learns that it ended and takes the record again.
            JsonNode again = nextRecord(stream, Duration.ofSeconds(15));

            assertThat(again).isNotNull();
            assertThat(again.path("offset").asLong()).isEqualTo(first.path("offset").asLong());
            assertThat(again.path("delivery_count").asInt()).isEqualTo(2);
            assertThat(again.path("member_id").asString()).as("a member id made for the stream")
                    .isEqualTo(first.path("member_id").asString()).isNotBlank();
        }
    }

    /**
     * Full (3 in flight), the stream is asking what it still holds when it closes; with room left (10), a take is
     * waiting for records (the gateway's 5 s SSE long poll), which must not hold back the release of those pushed.
     */
    @ParameterizedTest(name = "max_in_flight={0}")
    @ValueSource(ints = {3, 10})
    void closingAStreamReleasesTheRecordsItHoldsAtOnce(int maxInFlight) {
        String topic = "sh-stream-close-" + maxInFlight;
        String group = topic + "-group";
        cluster.createTopic(topic, 1, 3, Map.of());
        produce(topic, 3);
        List<JsonNode> pushed = new ArrayList<>();
        try (SseStream stream = openStream(cluster.gatewayUrl(), group,
                "topic=" + topic + "&member_id=closer&max_in_flight=" + maxInFlight)) {
            for (int i = 0; i < 3; i++) {
                pushed.add(record(stream.next(Duration.ofSeconds(20))));
            }
            assertThat(acknowledge(cluster.gatewayUrl(), group, "closer",
                    item(topic, pushed.getFirst(), "accept")).json().path("results").get(0).has("error"))
                    .isFalse();
        }

        // Well within the 5 s locks: only a release hands the two held records on this soon.
        List<JsonNode> next = records(acquire(secondGateway, group,
                "{\"topic\":\"" + topic + "\",\"member_id\":\"next\",\"max_records\":10,\"max_wait_ms\":2500}"));
        long answeredAt = System.currentTimeMillis();
        assertThat(next).extracting(r -> r.path("value").asString()).containsExactlyInAnyOrder("v1", "v2");
        assertThat(next).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isEqualTo(2));
        assertThat(pushed.get(1).path("lock_expires_at").asLong()).as("taken before the stream's locks ended")
                .isGreaterThan(answeredAt);
    }

    @Test
    void badStreamsAreRefusedWithAProblemBeforeTheyOpen() {
        cluster.createTopic("sh-stream-bad", 1, 3, Map.of());
        Map<String, Integer> refused = Map.of(
                "max_in_flight=1", 400,
                "topic=sh-stream-bad&max_in_flight=0", 400,
                "topic=sh-stream-bad&partitions=", 400,
                "topic=sh-stream-bad&partitions=x", 400,
                "topic=sh-stream-bad&partitions=4", 404,
                "topic=sh-no-such-topic", 404,
                "topic=sh-stream-bad&wait_ms=5", 400);
        refused.forEach((query, status) -> {
            try (SseStream stream = openStream(cluster.gatewayUrl(), "sh-stream-bad-group", query)) {
                assertThat(stream.status()).as(query + ": " + stream.errorBody()).isEqualTo(status);
            }
        });
    }

    @Test
    void rejectedAndExhaustedRecordsAreCopiedToTheDeadLetterTopicWithKafkasHeaders() {
        cluster.createTopic("sh-dlq", 3, 3, Map.of());
        cluster.createTopic("dlq.sh-dlq-plain", 2, 3, Map.of("errors.deadletterqueue.group.enable", "true"));
        cluster.createTopic("dlq.sh-dlq-copy", 2, 3, Map.of("errors.deadletterqueue.group.enable", "true"));
        configure("sh-dlq-plain", Map.of("errors.deadletterqueue.topic.name", "dlq.sh-dlq-plain"));
        configure("sh-dlq-copy", Map.of("errors.deadletterqueue.topic.name", "dlq.sh-dlq-copy",
                "errors.deadletterqueue.copy.record.enable", "true", "share.delivery.count.limit", "2"));
        Response produced = cluster.postJson("/v1/topics/sh-dlq/records", "{\"records\":["
                + "{\"key\":\"k0\",\"value\":\"v0\",\"partition\":0,\"headers\":{\"trace\":\"t0\"}},"
                + "{\"key\":\"k1\",\"value\":\"v1\",\"partition\":1,\"headers\":{\"trace\":\"t1\"}},"
                + "{\"key\":\"k2\",\"value\":\"v2\",\"partition\":2,\"headers\":{\"trace\":\"t2\"}}]}");
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);

        // Rejected over HTTP: copied with the context headers only.
        List<JsonNode> rejected = records(acquire(cluster.gatewayUrl(), "sh-dlq-plain",
                "{\"topic\":\"sh-dlq\",\"member_id\":\"a\",\"max_records\":3}"));
        assertThat(rejected).hasSize(3);
        assertThat(acknowledge(cluster.gatewayUrl(), "sh-dlq-plain", "a",
                rejected.stream().map(r -> item("sh-dlq", r, "reject")).toArray(String[]::new)).status())
                .isEqualTo(200);
        // Released up to the group's delivery limit (2): copied with the record's key, value and headers.
        for (int delivery = 1; delivery <= 2; delivery++) {
            List<JsonNode> taken = records(acquire(secondGateway, "sh-dlq-copy",
                    "{\"topic\":\"sh-dlq\",\"member_id\":\"b\",\"max_records\":3}"));
            assertThat(taken).hasSize(3).allSatisfy(r -> assertThat(r.path("delivery_count").asInt()).isPositive());
            assertThat(acknowledge(secondGateway, "sh-dlq-copy", "b",
                    taken.stream().map(r -> item("sh-dlq", r, "release")).toArray(String[]::new)).status())
                    .isEqualTo(200);
        }

        // Source partition p goes to dead-letter partition p mod 2: 0 and 2 to 0, 1 to 1.
        Map<Integer, List<Integer>> sources = Map.of(0, List.of(0, 2), 1, List.of(1));
        sources.forEach((dlqPartition, from) -> {
            List<JsonNode> plain = deadLetters("dlq.sh-dlq-plain", dlqPartition, from.size());
            List<JsonNode> copied = deadLetters("dlq.sh-dlq-copy", dlqPartition, from.size());
            for (int i = 0; i < from.size(); i++) {
                int source = from.get(i);
                JsonNode p = plain.get(i);
                assertThat(p.path("key").isNull()).as(p.toString()).isTrue();
                assertThat(p.path("value").isNull()).as(p.toString()).isTrue();
                assertThat(headers(p)).containsExactly(
                        Map.entry("__dlq.errors.topic", "sh-dlq"),
                        Map.entry("__dlq.errors.partition", Integer.toString(source)),
                        Map.entry("__dlq.errors.offset", "0"),
                        Map.entry("__dlq.errors.group", "sh-dlq-plain"),
                        Map.entry("__dlq.errors.delivery.count", "1"),
                        Map.entry("__dlq.errors.message", "Offset rejected by client."));
                JsonNode c = copied.get(i);
                JsonNode original = cluster.call("GET", "/v1/topics/sh-dlq/partitions/" + source
                        + "/records?offset=0&format=string&max_records=1", null, null).json().path("records").get(0);
                assertThat(c.path("key")).as("the original's key").isEqualTo(original.path("key"));
                assertThat(c.path("value")).as("the original's value").isEqualTo(original.path("value"));
                assertThat(c.path("value").asString()).contains("v" + source);
                assertThat(headers(c)).containsExactly(
                        Map.entry("trace", headers(original).get("trace")),
                        Map.entry("__dlq.errors.topic", "sh-dlq"),
                        Map.entry("__dlq.errors.partition", Integer.toString(source)),
                        Map.entry("__dlq.errors.offset", "0"),
                        Map.entry("__dlq.errors.group", "sh-dlq-copy"),
                        Map.entry("__dlq.errors.delivery.count", "2"),
                        Map.entry("__dlq.errors.message", "Offset delivery count exceeded the threshold."));
            }
        });
        assertThat(coordinatorMetric("sluice_coordinator_share_dead_lettered_records_total", "sh-dlq-plain", null))
                .isEqualTo(3);
        assertThat(coordinatorMetric("sluice_coordinator_share_dead_lettered_records_total", "sh-dlq-copy", null))
                .isEqualTo(3);
    }

    @Test
    void aDeadLetterTopicThatDidNotOptInGetsNothingAndTheGroupGoesOn() {
        cluster.createTopic("sh-dlq-off", 1, 3, Map.of());
        cluster.createTopic("dlq.sh-dlq-off", 1, 3, Map.of());
        configure("sh-dlq-off-group", Map.of("errors.deadletterqueue.topic.name", "dlq.sh-dlq-off"));
        produce("sh-dlq-off", 2);

        JsonNode first = records(acquire(cluster.gatewayUrl(), "sh-dlq-off-group",
                "{\"topic\":\"sh-dlq-off\",\"member_id\":\"a\",\"max_records\":1}")).getFirst();
        assertThat(acknowledge(cluster.gatewayUrl(), "sh-dlq-off-group", "a", item("sh-dlq-off", first, "reject"))
                .json().path("results").get(0).path("records").get(0).path("state").asString()).isEqualTo("archived");

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (coordinatorMetric("sluice_coordinator_share_dead_letter_errors_total", "sh-dlq-off-group",
                "not_enabled") < 1 && System.nanoTime() < deadline) {
            GatewayCluster.sleep(Duration.ofMillis(100));
        }
        assertThat(coordinatorMetric("sluice_coordinator_share_dead_letter_errors_total", "sh-dlq-off-group",
                "not_enabled")).isEqualTo(1);
        assertThat(cluster.highWatermarks("dlq.sh-dlq-off")).containsExactly(0L);
        List<JsonNode> next = records(acquire(secondGateway, "sh-dlq-off-group",
                "{\"topic\":\"sh-dlq-off\",\"member_id\":\"b\",\"max_records\":5}"));
        assertThat(next).extracting(r -> r.path("value").asString()).as("the group goes on").containsExactly("v1");
        assertThat(acknowledge(secondGateway, "sh-dlq-off-group", "b", item("sh-dlq-off", next.getFirst(), "accept"))
                .json().path("results").get(0).has("error")).isFalse();
    }

    /**
     * The outbox is stored with the archiving: records rejected while their dead-letter partition has no live leader
     * wait in Redis; the coordinator is SIGKILLed and started again, the leader comes back, and the new coordinator
     * writes them, each once.
     */
    @Test
    void recordsArchivedBeforeTheCoordinatorIsKilledAreWrittenByTheNextOne() {
        cluster.createTopic("sh-dlq-failover", 1, 3, Map.of());
        cluster.createTopic("dlq.sh-dlq-failover", 1, 1, Map.of("errors.deadletterqueue.group.enable", "true"));
        configure("sh-dlq-failover-group", Map.of("errors.deadletterqueue.topic.name", "dlq.sh-dlq-failover"));
        produce("sh-dlq-failover", 2);
        int deadLetterLeader = cluster.leader("dlq.sh-dlq-failover", 0);
        try {
            cluster.processes().kill(LocalCluster.partition(deadLetterLeader));
            List<JsonNode> taken = records(acquire(secondGateway, "sh-dlq-failover-group",
                    "{\"topic\":\"sh-dlq-failover\",\"member_id\":\"a\",\"max_records\":2,"
                            + "\"max_wait_ms\":20000}"));
            assertThat(taken).hasSize(2);
            assertThat(acknowledge(secondGateway, "sh-dlq-failover-group", "a",
                    taken.stream().map(r -> item("sh-dlq-failover", r, "reject")).toArray(String[]::new)).status())
                    .isEqualTo(200);
            GatewayCluster.sleep(Duration.ofSeconds(2));
            assertThat(coordinatorMetric("sluice_coordinator_share_dead_lettered_records_total",
                    "sh-dlq-failover-group", null)).as("nothing can be written yet").isZero();

            cluster.processes().kill(LocalCluster.COORDINATOR);
            cluster.processes().start(LocalCluster.COORDINATOR);
            cluster.processes().start(LocalCluster.partition(deadLetterLeader));

            List<JsonNode> written = deadLetters("dlq.sh-dlq-failover", 0, 2);
            written.sort(java.util.Comparator.comparing(r -> headers(r).get("__dlq.errors.offset")));
            for (int offset = 0; offset < 2; offset++) {
                assertThat(headers(written.get(offset))).containsEntry("__dlq.errors.offset", Integer.toString(offset))
                        .containsEntry("__dlq.errors.group", "sh-dlq-failover-group")
                        .containsEntry("__dlq.errors.message", "Offset rejected by client.");
            }
            GatewayCluster.sleep(Duration.ofSeconds(1));
            assertThat(deadLetters("dlq.sh-dlq-failover", 0, 2)).as("each written once").hasSize(2);
        } finally {
            cluster.heal();
            awaitCoordinatorThrough(cluster.gatewayUrl());
            awaitCoordinatorThrough(secondGateway);
        }
    }

    /**
     * Waits (60 s at most) until {@code gateway} reaches the coordinator again: after a coordinator kill its calls
     * there fail fast for a while (circuit breaker), and the classes after this one share the cluster.
     */
    private static void awaitCoordinatorThrough(String gateway) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int status;
        do {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/v1/topics/sh-dlq-failover"))
                    .timeout(Duration.ofSeconds(10)).GET().build();
            try {
                status = cluster.http().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (status != 200) {
                GatewayCluster.sleep(Duration.ofMillis(250));
            }
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).as("%s reaches the coordinator again", gateway).isEqualTo(200);
    }

    // ---------------------------------------------------------------- helpers

    /** Sets share group configs as a user does: {@code PATCH /v1/share-groups/{group}/configs}. */
    private static void configure(String group, Map<String, String> set) {
        String configs = set.entrySet().stream().map(e -> "{\"name\":\"" + e.getKey() + "\",\"value\":\""
                + e.getValue() + "\"}").collect(java.util.stream.Collectors.joining(","));
        Response answer = cluster.call("PATCH", "/v1/share-groups/" + group + "/configs",
                "{\"configs\":[" + configs + "]}", "application/json");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    }

    /** The first {@code count} records of a dead-letter partition, waiting (60 s at most) until it has them. */
    private static List<JsonNode> deadLetters(String topic, int partition, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<JsonNode> read = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Response page = cluster.call("GET", "/v1/topics/" + topic + "/partitions/" + partition
                    + "/records?offset=earliest&format=string&max_records=100", null, null);
            read.clear();
            if (page.status() != 200) { // a leader coming back
                GatewayCluster.sleep(Duration.ofMillis(200));
                continue;
            }
            page.json().path("records").forEach(read::add);
            if (read.size() >= count) {
                break;
            }
            GatewayCluster.sleep(Duration.ofMillis(100));
        }
        assertThat(read).as("%s-%d", topic, partition).hasSize(count);
        read.sort(java.util.Comparator.comparingInt(r -> Integer.parseInt(headers(r).get("__dlq.errors.partition"))));
        return read;
    }

    /** A record's headers, in order, as text. */
    private static Map<String, String> headers(JsonNode record) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        record.path("headers").forEach(h -> headers.put(h.path("key").asString(), h.path("value").asString()));
        return headers;
    }

    /** A counter of the coordinator's, for a group (and a reason), from its Prometheus page; 0 when absent. */
    private static double coordinatorMetric(String name, String group, String reason) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.coordinatorUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return cluster.http().send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                    .filter(line -> line.startsWith(name + "{") && line.contains("group=\"" + group + "\"")
                            && (reason == null || line.contains("reason=\"" + reason + "\"")))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SseStream openStream(String gateway, String group, String query) {
        return SseStream.open(cluster.http(), URI.create(gateway + "/v1/share-groups/" + group + "/records?" + query),
                null, 64);
    }

    private static JsonNode record(SseStream.Event event) {
        assertThat(event).as("a record event").isNotNull();
        assertThat(event.event()).as(event.data()).isEqualTo("record");
        JsonNode data = GatewayCluster.JSON.readTree(event.data());
        assertThat(event.id()).isEqualTo(data.path("partition").asInt() + ":" + data.path("acquisition_id").asLong());
        return data;
    }

    /** The next record event within {@code timeout}, or null. */
    private static JsonNode nextRecord(SseStream stream, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            SseStream.Event event = stream.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event != null) {
                return record(event);
            }
        }
        return null;
    }

    /** The acquire commands the coordinator has answered: its server metric of the internal acquire route. */
    private static double acquireCommands() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.coordinatorUrl() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return cluster.http().send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                    .filter(line -> line.startsWith("http_server_requests_seconds_count{")
                            && line.contains("uri=\"" + SharePaths.ACQUIRE + "\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void produce(String topic, int count) {
        StringBuilder records = new StringBuilder();
        int partitions = cluster.describe(topic).path("partitions").size();
        for (int i = 0; i < count; i++) {
            records.append(i == 0 ? "" : ",").append("{\"value\":\"v").append(i).append("\",\"partition\":")
                    .append(i % partitions).append('}');
        }
        Response produced = cluster.postJson("/v1/topics/" + topic + "/records", "{\"records\":[" + records + "]}");
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);
    }

    private static Response acquire(String gateway, String group, String body) {
        Response answer = post(gateway, "/v1/share-groups/" + group + "/acquisitions", body);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer;
    }

    private static List<JsonNode> records(Response acquired) {
        List<JsonNode> records = new ArrayList<>();
        acquired.json().path("records").forEach(records::add);
        return records;
    }

    private static String item(String topic, JsonNode record, String type) {
        return "{\"topic\":\"" + topic + "\",\"partition\":" + record.path("partition").asInt() + ",\"acquisition_id\":"
                + record.path("acquisition_id").asLong() + ",\"type\":\"" + type + "\"}";
    }

    private static String body(String memberId, String... items) {
        return "{\"member_id\":\"" + memberId + "\",\"acknowledgements\":[" + String.join(",", items) + "]}";
    }

    private static Response acknowledge(String gateway, String group, String memberId, String... items) {
        return post(gateway, "/v1/share-groups/" + group + "/acknowledgements", body(memberId, items));
    }

    private static Response post(String gateway, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = cluster.http().send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
