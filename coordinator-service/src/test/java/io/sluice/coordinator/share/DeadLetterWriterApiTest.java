package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareAcquireResponse.AcquiredRecord;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.SharePaths;
import io.sluice.protocol.TopicPartition;
import java.util.stream.LongStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Share groups' dead-letter outbox and writer on a whole coordinator and a real Redis. The call that archives records
 * of a group with a dead-letter topic stores their runs with the new state (rejected ones as client rejects, those
 * released at the group's delivery limit as delivery count exceeded); a group without one stores none. A run whose
 * topic breaks KIP-1191's rules (missing, not opted in, internal, without the cluster's prefix) is given up on, counted
 * by reason and logged, and leaves the outbox; a run for a good topic whose leader cannot be reached stays in the
 * outbox until it is written (the coordinator's stand-in nodes listen nowhere, so no write ever succeeds here: the
 * gateway's ShareGroupsIT writes to real leaders).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterWriterApiTest extends CoordinatorTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TopicPartition SOURCE = new TopicPartition("orders", 4);

    @Autowired
    private SharePartitionStore store;
    @Autowired
    private MeterRegistry meters;
    private TestNodes nodes;

    @BeforeAll
    void threeLiveNodes() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        api().createTopic("dlq.off", 1, 1);
        api().createTopic("dlq.on", 3, 1, Map.of("errors.deadletterqueue.group.enable", "true"));
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    /** Stores a share-partition of {@code group} with {@code runs}, as an archiving call does. */
    private void archive(String group, DeadLetterEntry... runs) {
        long token = Long.parseLong(TestRedis.shared().commands().get(RedisKeys.FENCING_TOKEN));
        store.write(token, group, SOURCE, SharePartition.startingAt(0, ShareLimits.DEFAULTS), List.of(runs), 100)
                .block(WAIT);
    }

    private static DeadLetterEntry run(String group, String dlqTopic, long first, long last) {
        return new DeadLetterEntry(0, group, SOURCE.topic(), SOURCE.partition(), first, last, 1,
                DeadLetterCause.CLIENT_REJECT, dlqTopic, false);
    }

    private static List<DeadLetterEntry> outbox() {
        return TestRedis.shared().commands().zrange(RedisKeys.SHARE_DLQ_OUTBOX, 0, -1).stream()
                .map(DeadLetterEntry::parse).toList();
    }

    private double errors(String group, DeadLetterProblem.Reason reason) {
        Counter counter = meters.find("sluice.coordinator.share.dead.letter.errors").tag("group", group)
                .tag("reason", reason.tag()).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void runsForTopicsThatBreakKip1191sRulesAreGivenUpOnAndCountedByReason() {
        api();
        archive("breaking", run("breaking", "dlq.missing", 0, 1), run("breaking", "dlq.off", 3, 5),
                run("breaking", "__dlq.internal", 7, 7), run("breaking", "orders-dead", 9, 9));

        await("the outbox to drain").atMost(WAIT)
                .until(() -> outbox().stream().noneMatch(r -> r.group().equals("breaking")));

        assertThat(errors("breaking", DeadLetterProblem.Reason.TOPIC_NOT_FOUND)).isEqualTo(2);
        assertThat(errors("breaking", DeadLetterProblem.Reason.NOT_ENABLED)).isEqualTo(3);
        assertThat(errors("breaking", DeadLetterProblem.Reason.INVALID_TOPIC_NAME)).isEqualTo(2);
        assertThat(api().topics()).noneMatch(t -> t.name().equals("dlq.missing"))
                .as("missing topics are not created unless the cluster says so");
    }

    private void configure(String group, String body) {
        var answer = api().post(SharePaths.CONFIGS.replace("{group}", group),
                        "{\"set\":" + body + ",\"replace\":false,\"validate_only\":false}")
                .expectBody(String.class).returnResult();
        assertThat(answer.getStatus().value()).as(answer.getResponseBody()).isEqualTo(200);
    }

    private List<AcquiredRecord> acquire(String group, String member, int max, long highWatermark) {
        return api().post(SharePaths.ACQUIRE, new ShareAcquireRequest(group, member, SOURCE.topic(),
                        SOURCE.partition(), max, 0, highWatermark, 0, highWatermark,
                        LongStream.range(0, highWatermark).boxed().toList()))
                .expectStatus().isOk().expectBody(ShareAcquireResponse.class).returnResult().getResponseBody()
                .records();
    }

    private void acknowledge(String group, String member, long first, long last, AcknowledgeType type) {
        api().post(SharePaths.ACKNOWLEDGE, new ShareAcknowledgeRequest(group, member, SOURCE.topic(),
                SOURCE.partition(), List.of(ShareAcknowledgeRequest.Item.range(first, last, type))))
                .expectStatus().isOk();
    }

    @Test
    void aGroupsArchivedRecordsWaitInTheOutboxFromTheCallThatArchivedThem() {
        configure("configured", "{\"errors.deadletterqueue.topic.name\":\"dlq.on\","
                + "\"errors.deadletterqueue.copy.record.enable\":\"true\",\"share.delivery.count.limit\":\"2\","
                + "\"share.auto.offset.reset\":\"earliest\"}");
        configure("unconfigured", "{\"share.auto.offset.reset\":\"earliest\"}");
        assertThat(acquire("configured", "w", 4, 4)).hasSize(4);
        assertThat(acquire("unconfigured", "w", 4, 4)).hasSize(4);

        acknowledge("configured", "w", 0, 1, AcknowledgeType.REJECT);
        acknowledge("configured", "w", 2, 3, AcknowledgeType.RELEASE);
        acknowledge("unconfigured", "w", 0, 3, AcknowledgeType.REJECT);
        assertThat(acquire("configured", "w", 4, 4)).hasSize(2);
        acknowledge("configured", "w", 2, 3, AcknowledgeType.RELEASE);

        assertThat(outbox()).filteredOn(run -> run.group().equals("configured")).containsExactly(
                new DeadLetterEntry(outbox().stream().filter(r -> r.group().equals("configured")).findFirst()
                        .orElseThrow().id(), "configured", SOURCE.topic(), SOURCE.partition(), 0, 1, 1,
                        DeadLetterCause.CLIENT_REJECT, "dlq.on", true),
                new DeadLetterEntry(outbox().stream().filter(r -> r.group().equals("configured")).toList().get(1)
                        .id(), "configured", SOURCE.topic(), SOURCE.partition(), 2, 3, 2,
                        DeadLetterCause.DELIVERY_COUNT_EXCEEDED, "dlq.on", true));
        assertThat(outbox()).as("a group without a dead-letter topic adds nothing")
                .noneMatch(run -> run.group().equals("unconfigured"));
    }

    @Test
    void aRunStaysInTheOutboxUntilTheDeadLetterLeaderAcknowledgesIt() {
        api();
        archive("waiting", run("waiting", "dlq.on", 10, 12));

        await("rounds of the writer that cannot reach the leader").during(Duration.ofSeconds(3)).atMost(WAIT)
                .until(() -> outbox().stream().anyMatch(r -> r.group().equals("waiting") && r.firstOffset() == 10));

        assertThat(meters.find("sluice.coordinator.share.dead.lettered.records").tag("group", "waiting").counter())
                .isNull();
        assertThat(errors("waiting", DeadLetterProblem.Reason.WRITE_FAILED)).isZero();
    }
}
