package io.sluice.coordinator.share;

import static io.sluice.internal.share.AcknowledgeType.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.groupconfig.GroupConfigs;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.share.RecordState;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeRequest.Item;
import io.sluice.internal.share.ShareAcknowledgeResponse.RecordOutcome;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareAcquireResponse.AcquiredRecord;
import io.sluice.internal.share.ShareAcknowledgeResponse;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.internal.share.SharePaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/**
 * Per-group share configs on a whole coordinator and a real Redis: each group's values hold in its own commands while
 * another group keeps the defaults; a bad change is refused and changes nothing; the configs are stored under the
 * fencing token, survive the lease changing hands, and go with the group when it is deleted.
 */
class ShareGroupConfigApiTest extends CoordinatorTestSupport {

    private static final String TOPIC = "jobs";

    @Autowired
    private GroupConfigs configs;

    private ShareGroupConfigList alter(String group, Map<String, String> set, List<String> delete) {
        return web.post().uri(SharePaths.CONFIGS, group).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareGroupConfigChange(set, delete, false, false))
                .exchange().expectStatus().isOk().expectBody(ShareGroupConfigList.class).returnResult()
                .getResponseBody();
    }

    private String refused(String group, ShareGroupConfigChange change) {
        return web.post().uri(SharePaths.CONFIGS, group).contentType(MediaType.APPLICATION_JSON).bodyValue(change)
                .exchange().expectStatus().isBadRequest().expectBody(String.class).returnResult().getResponseBody();
    }

    private ShareGroupConfig share(String group) {
        return ShareGroupConfig.of(configs.config(group).block(Duration.ofSeconds(30)));
    }

    private ShareGroupConfigList describe(String group) {
        return web.get().uri(SharePaths.CONFIGS, group).exchange().expectStatus().isOk()
                .expectBody(ShareGroupConfigList.class).returnResult().getResponseBody();
    }

    private static String value(ShareGroupConfigList list, String key) {
        return list.configs().stream().filter(e -> e.name().equals(key)).findFirst().orElseThrow().value();
    }

    private ShareAcquireResponse acquire(String group, String member, int max, long logStart, long highWatermark) {
        return web.post().uri(SharePaths.ACQUIRE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareAcquireRequest(group, member, TOPIC, 0, max, logStart, highWatermark, logStart,
                        highWatermark, LongStream.range(logStart, highWatermark).boxed().toList()))
                .exchange().expectStatus().isOk().expectBody(ShareAcquireResponse.class).returnResult()
                .getResponseBody();
    }

    private ShareAcknowledgeResponse release(String group, String member, long offset) {
        return web.post().uri(SharePaths.ACKNOWLEDGE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareAcknowledgeRequest(group, member, TOPIC, 0,
                        List.of(Item.range(offset, offset, RELEASE))))
                .exchange().expectStatus().isOk().expectBody(ShareAcknowledgeResponse.class).returnResult()
                .getResponseBody();
    }

    private ShareHeartbeatResponse heartbeat(String group, String member, int epoch) {
        return web.post().uri(SharePaths.HEARTBEAT).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareHeartbeatRequest(group, member, epoch, epoch == 0 ? List.of(TOPIC) : null,
                        "client", "/127.0.0.1"))
                .exchange().expectStatus().isOk().expectBody(ShareHeartbeatResponse.class).returnResult()
                .getResponseBody();
    }

    @Test
    void whenAGroupSetsAOneSecondLockItsLocksShouldEndAfterASecondWhileAnotherGroupKeepsTheDefault() {
        api();
        alter("quick", Map.of("share.record.lock.duration.ms", "1000", "share.auto.offset.reset", "earliest"),
                List.of());
        long before = System.currentTimeMillis();

        AcquiredRecord quick = acquire("quick", "w1", 1, 0, 1).records().getFirst();
        assertThat(acquire("slow", "w1", 1, 0, 0).records()).isEmpty();
        AcquiredRecord slow = acquire("slow", "w1", 1, 0, 1).records().getFirst();

        long after = System.currentTimeMillis();
        assertThat(quick.lockDeadlineMs()).isBetween(before + 1_000, after + 1_000);
        assertThat(slow.lockDeadlineMs()).isBetween(before + 30_000, after + 30_000);
        await("the one-second lock to end").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !acquire("quick", "w2", 1, 0, 1).records().isEmpty());
        assertThat(acquire("slow", "w2", 1, 0, 1).records()).isEmpty();
    }

    @Test
    void whenAGroupsDeliveryLimitIsTwoTheSecondReleaseShouldArchiveTheRecord() {
        api();
        alter("strict", Map.of("share.delivery.count.limit", "2", "share.auto.offset.reset", "earliest"), List.of());
        alter("lenient", Map.of("share.auto.offset.reset", "earliest"), List.of());

        for (String group : List.of("strict", "lenient")) {
            acquire(group, "w1", 1, 0, 1);
            release(group, "w1", 0);
            assertThat(acquire(group, "w1", 1, 0, 1).records()).extracting(AcquiredRecord::deliveryCount)
                    .containsExactly(2);
        }

        assertThat(release("strict", "w1", 0).items().getFirst().records()).extracting(RecordOutcome::state)
                .containsExactly(RecordState.ARCHIVED);
        assertThat(release("lenient", "w1", 0).items().getFirst().records()).extracting(RecordOutcome::state)
                .containsExactly(RecordState.AVAILABLE);
        assertThat(acquire("strict", "w1", 1, 0, 1).records()).isEmpty();
    }

    @Test
    void whenAGroupStartsAtEarliestItsNewShareParitionsShouldStartAtTheLogStartWhileOthersStartAtTheEnd() {
        api();
        alter("from-start", Map.of("share.auto.offset.reset", "EARLIEST"), List.of());

        assertThat(acquire("from-start", "w1", 10, 2, 5).records()).extracting(AcquiredRecord::offset)
                .containsExactly(2L, 3L, 4L);
        assertThat(acquire("from-end", "w1", 10, 2, 5).records()).isEmpty();
    }

    @Test
    void whenAChangeHasABadKeyOrValueShouldBeRefusedAsInvalidConfigAndChangeNothing() {
        api();
        alter("careful", Map.of("share.delivery.count.limit", "3"), List.of());

        assertThat(refused("careful", new ShareGroupConfigChange(Map.of("share.delivery.count.limit", "4",
                "share.lock.ms", "5"), List.of(), false, false))).contains("INVALID_CONFIG", "share.lock.ms");
        assertThat(refused("careful", new ShareGroupConfigChange(Map.of("share.record.lock.duration.ms", "999"),
                List.of("share.delivery.count.limit"), false, false))).contains("INVALID_CONFIG", "between 1000");
        assertThat(refused("careful", new ShareGroupConfigChange(Map.of("share.isolation.level", "read_committed"),
                List.of(), false, false))).contains("INVALID_CONFIG", "read_uncommitted only");

        ShareGroupConfigList after = describe("careful");
        assertThat(after.configs()).filteredOn(e -> !e.isDefault()).extracting(ShareGroupConfigList.Entry::name)
                .containsExactly("share.delivery.count.limit");
        assertThat(value(after, "share.delivery.count.limit")).isEqualTo("3");
        assertThat(TestRedis.shared().commands().hgetall(RedisKeys.groupConfigs("careful")))
                .containsExactly(Map.entry("share.delivery.count.limit", "3"));
    }

    @Test
    void whenValidateOnlyShouldAnswerTheConfigsAsTheyWouldBeAndStoreNothing() {
        api();
        ShareGroupConfigList answer = web.post().uri(SharePaths.CONFIGS, "trial")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareGroupConfigChange(Map.of("share.delivery.count.limit", "7"), List.of(), false,
                        true))
                .exchange().expectStatus().isOk().expectBody(ShareGroupConfigList.class).returnResult()
                .getResponseBody();

        assertThat(value(answer, "share.delivery.count.limit")).isEqualTo("7");
        assertThat(value(describe("trial"), "share.delivery.count.limit")).isEqualTo("5");
        assertThat(TestRedis.shared().commands().exists(RedisKeys.groupConfigs("trial"))).isZero();
    }

    @Test
    void whenAGroupSetsItsHeartbeatIntervalAndSessionTimeoutMembersShouldBeToldAndExpiredByThem() {
        api();
        assertThat(heartbeat("lively", "a", 0).heartbeatIntervalMs()).isEqualTo(5_000);
        alter("lively", Map.of("share.heartbeat.interval.ms", "500", "share.session.timeout.ms", "1500",
                "share.auto.offset.reset", "earliest"), List.of());
        assertThat(heartbeat("lively", "a", 1).heartbeatIntervalMs()).isEqualTo(500);
        int[] epoch = {heartbeat("lively", "b", 0).memberEpoch()};
        assertThat(acquire("lively", "a", 2, 0, 2).records()).hasSize(2);

        // a stops heartbeating; b goes on. a is removed after 1.5 s and its records go to b well before their locks
        // (30 s) would have ended.
        await("a's records to come back").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    epoch[0] = heartbeat("lively", "b", epoch[0]).memberEpoch();
                    return acquire("lively", "b", 2, 0, 2).records().size() == 2;
                });
        assertThat(web.post().uri(SharePaths.MEMBERS).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareGroupMembers.Request("lively")).exchange()
                .expectBody(ShareGroupMembers.class).returnResult().getResponseBody()
                .members()).extracting(m -> m.memberId()).containsExactly("b");
    }

    @Test
    void whenAShareGroupIsDeletedItsConfigsShouldGoWithIt() {
        api();
        alter("gone", Map.of("share.delivery.count.limit", "3", "share.auto.offset.reset", "earliest"), List.of());
        acquire("gone", "w1", 1, 0, 1);
        release("gone", "w1", 0);
        assertThat(TestRedis.shared().commands().exists(RedisKeys.groupConfigs("gone"))).isOne();

        web.delete().uri(SharePaths.GROUP, "gone").exchange().expectStatus().isNoContent();

        assertThat(TestRedis.shared().commands().exists(RedisKeys.groupConfigs("gone"))).isZero();
        assertThat(describe("gone").configs()).allSatisfy(e -> assertThat(e.isDefault()).isTrue());
        assertThat(share("gone").deliveryCountLimit()).isEqualTo(5);
    }

    @Test
    void whenAnotherCoordinatorChangedTheConfigsTheOneThatTakesTheLeaseShouldServeWhatRedisHolds() {
        long token = api().status().fencingToken();
        alter("handed-over", Map.of("share.delivery.count.limit", "3"), List.of());
        // What another coordinator wrote while it held the lease.
        TestRedis.shared().commands().hset(RedisKeys.groupConfigs("handed-over"),
                "errors.deadletterqueue.topic.name", "dlq.jobs");

        TestRedis.shared().commands().del(RedisKeys.LEASE);
        await("the coordinator to take the lease again").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    CoordinatorStatus status = api().status();
                    return status.active() && status.fencingToken() != null && status.fencingToken() > token;
                });

        ShareGroupConfig config = share("handed-over");
        assertThat(config.deliveryCountLimit()).isEqualTo(3);
        assertThat(config.deadLetterTopic()).contains("dlq.jobs");
        assertThat(config.copyRecord()).isFalse();
    }

    /**
     * Any group id has configs, so a coordinator asked for those of ever more ids must not hold them all: past
     * {@value GroupConfigs#MOST_CACHED} groups it starts again, and what a group sets is still what it reads.
     */
    @Test
    void askingForTheConfigsOfEverMoreGroupIdsHoldsAtMostTheCachesBound() {
        alter("cache-configured", Map.of("share.delivery.count.limit", "3"), List.of());
        for (int i = 0; i <= GroupConfigs.MOST_CACHED; i++) {
            configs.config("cache-probe-" + i).block(Duration.ofSeconds(30));
        }
        assertThat(configs.cachedGroups()).isBetween(1, GroupConfigs.MOST_CACHED);
        assertThat(share("cache-configured").limits().deliveryLimit()).isEqualTo(3);
    }
}
