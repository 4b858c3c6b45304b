package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/records} against real processes: records to several topics and partitions become visible to
 * read_committed readers together, or, when one partition cannot be written, never.
 */
@ExtendWith(SharedGatewayCluster.class)
class AtomicProduceIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        cluster = shared;
    }

    @Test
    void recordsToTwoTopicsAndThreePartitionsAreCommittedTogetherAndAnsweredInRequestOrder() {
        cluster.createTopic("atomic-orders", 2, 3, Map.of());
        cluster.createTopic("atomic-payments", 1, 3, Map.of());

        GatewayCluster.Response answer = cluster.postJson("/v1/records?format=string", """
                {"records":[{"topic":"atomic-orders","partition":1,"value":"order-1"},
                            {"topic":"atomic-payments","value":"payment-1"},
                            {"topic":"atomic-orders","partition":0,"value":"order-0"},
                            {"topic":"atomic-orders","partition":1,"value":"order-2"}]}""");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("transactional_id").asString()).startsWith("sluice-http-0-");
        List<String> landed = new ArrayList<>();
        body.get("results").forEach(result -> landed.add(result.get("topic").asString() + "-"
                + result.get("partition").asInt() + "@" + result.get("offset").asLong()));
        assertThat(landed).containsExactly("atomic-orders-1@0", "atomic-payments-0@0", "atomic-orders-0@0",
                "atomic-orders-1@1");
        cluster.awaitValues(committed("atomic-orders", 1), "order-1", "order-2");
        cluster.awaitValues(committed("atomic-orders", 0), "order-0");
        cluster.awaitValues(committed("atomic-payments", 0), "payment-1");
    }

    /**
     * The payments topic has one replica; its node is stopped, so its partition cannot be written within the
     * request's timeout. The orders partition is written, but its records are never visible to read_committed
     * readers: the transaction aborts. Once the node is back, the same request commits.
     */
    @Test
    void aPartitionThatCannotBeWrittenAbortsTheWholeRequestForReadCommittedReaders() {
        cluster.createTopic("atomic-all-orders", 1, 3, Map.of());
        cluster.createTopic("atomic-all-payments", 1, 1, Map.of());
        int nodeId = cluster.leader("atomic-all-payments", 0);
        String node = LocalCluster.partition(nodeId);
        String request = """
                {"records":[{"topic":"atomic-all-orders","value":"order-%1$s"},
                            {"topic":"atomic-all-payments","value":"payment-%1$s"}]}""";

        cluster.processes().stop(node);
        GatewayCluster.Response failed;
        try {
            // The orders partition is written by the other two nodes: its leader and in-sync replicas move off the
            // stopped node first, so that only the payments partition fails.
            Waits.await("the orders partition served without node " + nodeId, Duration.ofSeconds(60), () -> {
                JsonNode partition = cluster.describe("atomic-all-orders").path("partitions").get(0);
                boolean moved = partition.path("leader").asInt() != nodeId;
                for (JsonNode replica : partition.path("isr")) {
                    moved &= replica.asInt() != nodeId;
                }
                return moved ? Boolean.TRUE : null;
            });
            failed = cluster.postJson("/v1/records?format=string&timeout_ms=3000", request.formatted("aborted"));
        } finally {
            cluster.processes().start(node);
        }

        assertThat(failed.status()).as(failed.text()).isGreaterThanOrEqualTo(500);
        assertThat(failed.json().get("detail").asString()).contains("of topic 'atomic-all-payments' was not written",
                "The transaction was aborted");
        cluster.awaitValues(uncommitted("atomic-all-orders"), "order-aborted");
        cluster.awaitValues(committed("atomic-all-orders"));

        GatewayCluster.Response retried = cluster.postJson("/v1/records?format=string", request.formatted("committed"));
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        cluster.awaitValues(committed("atomic-all-orders"), "order-committed");
        cluster.awaitValues(committed("atomic-all-payments"), "payment-committed");
        cluster.awaitValues(uncommitted("atomic-all-orders"), "order-aborted", "order-committed");
    }

    /**
     * Four writers send atomic produces, each one record to each of three partitions, one request after another, while
     * the leader of one of those partitions is frozen, SIGKILLed and, a while later, started again. Each request is
     * all or nothing for read_committed readers, as docs/api.md says: one answered 200 is visible whole and once; one
     * whose commit was not confirmed (504) whole or not at all; any other failure not at all.
     */
    @Test
    void aLeaderKilledMidRequestLeavesEachRequestAllOrNothingForReadCommittedReaders() throws Exception {
        String topic = "atomic-kill";
        cluster.createTopic(topic, 3, 3, Map.of());
        int nodeId = cluster.leader(topic, 0);
        String node = LocalCluster.partition(nodeId);
        Map<String, Outcome> answers = new ConcurrentHashMap<>();
        List<long[]> requestTimes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String writer = "w" + w;
            running.add(writers.submit(() -> {
                for (int n = 0; writing.get(); n++) {
                    String id = writer + "-" + n;
                    long started = System.nanoTime();
                    GatewayCluster.Response answer = cluster.postJson("/v1/records?format=string&timeout_ms=1500",
                            """
                            {"records":[{"topic":"%1$s","partition":0,"value":"%2$s"},
                                        {"topic":"%1$s","partition":1,"value":"%2$s"},
                                        {"topic":"%1$s","partition":2,"value":"%2$s"}]}""".formatted(topic, id));
                    requestTimes.add(new long[] {started, System.nanoTime()});
                    answers.put(id, Outcome.of(answer));
                }
                return null;
            }));
        }
        long killedAt;
        try {
            Waits.await("requests answered before the kill", Duration.ofSeconds(60), () ->
                    answers.size() >= 40 ? Boolean.TRUE : null);
            // Frozen first, so that requests fail mid-write (the other two partitions written, this one not within
            // the 1.5 s timeout) and abort; then killed, with requests in flight, and replaced by a new leader.
            cluster.processes().pause(node);
            Waits.await("requests failed while the leader was frozen", Duration.ofSeconds(60), () ->
                    answers.containsValue(Outcome.FAILED) ? Boolean.TRUE : null);
            killedAt = System.nanoTime();
            cluster.processes().kill(node);
            Waits.await("requests answered after the kill", Duration.ofSeconds(120), () ->
                    answers.size() >= 120 ? Boolean.TRUE : null);
            cluster.processes().start(node);
            int answeredBeforeRestart = answers.size();
            Waits.await("requests answered after the restart", Duration.ofSeconds(120), () ->
                    answers.size() >= answeredBeforeRestart + 40 ? Boolean.TRUE : null);
        } finally {
            writing.set(false);
            for (Future<?> writer : running) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writers.shutdown();
            cluster.heal();
        }
        assertThat(requestTimes).as("requests in flight when the leader was killed")
                .anyMatch(times -> times[0] < killedAt && times[1] > killedAt);

        // Requests whose outcome the gateway did not learn leave transactions the coordinator decides (at their
        // timeout at the latest): the read waits until no transaction is open, when read_committed readers reach
        // the same end as read_uncommitted ones.
        Map<String, Integer> visible = new HashMap<>();
        for (int partition = 0; partition < 3; partition++) {
            int p = partition;
            List<String> values = Waits.await("no transaction open on partition " + p, Duration.ofSeconds(90), () -> {
                Page committed = readAll(topic, p, true);
                return committed.end() == readAll(topic, p, false).end() ? committed.values() : null;
            });
            assertThat(values).as("partition %d: a request's record at most once", partition).doesNotHaveDuplicates();
            values.forEach(id -> visible.merge(id, 1, Integer::sum));
        }
        assertThat(answers.keySet()).as("every visible record is from a request sent").containsAll(visible.keySet());
        answers.forEach((id, outcome) -> {
            int seen = visible.getOrDefault(id, 0);
            switch (outcome) {
                case COMMITTED -> assertThat(seen).as("records of %s, answered 200, visible", id).isEqualTo(3);
                case UNKNOWN -> assertThat(seen).as("records of %s, commit not confirmed, visible: all or none", id)
                        .isIn(0, 3);
                case FAILED -> assertThat(seen).as("records of %s, failed, visible", id).isZero();
            }
        });
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        answers.values().forEach(outcome -> counts.merge(outcome, 1L, Long::sum));
        System.out.printf("[atomic-kill] %d requests: %s; of those not confirmed, %d visible%n", answers.size(),
                counts, answers.entrySet().stream().filter(e -> e.getValue() == Outcome.UNKNOWN
                        && visible.containsKey(e.getKey())).count());
    }

    /** What an atomic produce's answer says of its records. */
    private enum Outcome {
        COMMITTED, UNKNOWN, FAILED;

        static Outcome of(GatewayCluster.Response answer) {
            if (answer.status() == 200) {
                return COMMITTED;
            }
            return answer.status() == 504 && answer.text().contains("Whether it committed is unknown") ? UNKNOWN
                    : FAILED;
        }
    }

    private record Page(List<String> values, long end) {
    }

    /** Every record of a partition a read_committed (or read_uncommitted) reader sees, page by page, and its end. */
    private static Page readAll(String topic, int partition, boolean readCommitted) {
        List<String> values = new ArrayList<>();
        long offset = 0;
        while (true) {
            String path = readCommitted ? committed(topic, partition) : uncommitted(topic, partition);
            GatewayCluster.Response page = cluster.call("GET", path + "&offset=" + offset + "&max_records=1000",
                    null, null);
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            JsonNode body = page.json();
            body.get("records").forEach(record -> values.add(record.get("value").asString()));
            long next = body.get("next_offset").asLong();
            if (body.get("records").isEmpty() && next == offset) {
                return new Page(values, next);
            }
            offset = next;
        }
    }

    @Test
    void aBadRecordRefusesTheRequestAndNothingIsWritten() {
        cluster.createTopic("atomic-bad", 2, 3, Map.of());

        GatewayCluster.Response unknownTopic = cluster.postJson("/v1/records?format=string", """
                {"records":[{"topic":"atomic-bad","value":"a"},{"topic":"atomic-nope","value":"b"}]}""");
        GatewayCluster.Response badPartition = cluster.postJson("/v1/records?format=string", """
                {"records":[{"topic":"atomic-bad","value":"a"},{"topic":"atomic-bad","partition":2,"value":"b"}]}""");
        GatewayCluster.Response noTopic = cluster.postJson("/v1/records?format=string", """
                {"records":[{"value":"a"}]}""");
        GatewayCluster.Response acksOne = cluster.postJson("/v1/records?format=string&acks=1", """
                {"records":[{"topic":"atomic-bad","value":"a"}]}""");

        assertThat(unknownTopic.status()).as(unknownTopic.text()).isEqualTo(404);
        assertThat(unknownTopic.text()).contains("UNKNOWN_TOPIC", "atomic-nope");
        assertThat(badPartition.status()).as(badPartition.text()).isEqualTo(404);
        assertThat(badPartition.text()).contains("Record 1 asks for partition 2");
        assertThat(noTopic.status()).as(noTopic.text()).isEqualTo(400);
        assertThat(noTopic.text()).contains("Record 0 must name its topic");
        assertThat(acksOne.status()).as(acksOne.text()).isEqualTo(400);
        assertThat(acksOne.text()).contains("acks=all");
        assertThat(cluster.highWatermarks("atomic-bad")).containsExactly(0L, 0L);
    }

    private static String committed(String topic, int partition) {
        return "/v1/topics/" + topic + "/partitions/" + partition
                + "/records?format=string&isolation_level=read_committed";
    }

    private static String committed(String topic) {
        return committed(topic, 0);
    }

    private static String uncommitted(String topic) {
        return uncommitted(topic, 0);
    }

    private static String uncommitted(String topic, int partition) {
        return "/v1/topics/" + topic + "/partitions/" + partition
                + "/records?format=string&isolation_level=read_uncommitted";
    }
}
