package io.sluice.coordinator.share;

import static io.sluice.internal.share.AcknowledgeType.ACCEPT;
import static io.sluice.internal.share.AcknowledgeType.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeRequest.Item;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse.AcquiredRecord;
import io.sluice.internal.share.ShareGroupDescription;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.internal.share.SharePartitionDescription;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetRequest.PartitionStart;
import io.sluice.internal.share.ShareResetResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Share-group administration through the internal client, on a whole coordinator and a real Redis: list, describe,
 * reset and delete go through the share-group sequence and its fenced writes; a reset or delete while records are
 * acquired is refused and changes nothing; deleting a topic forgets its share-partitions in every group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShareGroupAdminApiTest extends CoordinatorTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private MeterRegistry meters;
    private TestNodes nodes;
    private InternalHttp http;
    private CoordinatorClient client;

    @BeforeAll
    void oneLiveNodeAndAClient() {
        nodes = newNodes();
        nodes.start(1);
        http = new InternalHttp(InternalClientSettings.defaults().withCallTimeout(WAIT), new SimpleMeterRegistry());
        client = new CoordinatorClient(http, List.of(baseUrl()));
    }

    @AfterAll
    void closeClientAndNodes() {
        http.close();
        nodes.close();
    }

    /** Takes up to {@code max} of the records [0, highWatermark) of {@code topic}-0 for {@code member}. */
    private List<AcquiredRecord> acquire(String group, String topic, String member, int max, long highWatermark) {
        api();
        // The first call creates the share-partition at the high watermark (auto-offset-reset latest): start it at 0.
        client.acquire(new ShareAcquireRequest(group, member, topic, 0, 1, 0, 0, 0, 0, List.of())).block(WAIT);
        return client.acquire(new ShareAcquireRequest(group, member, topic, 0, max, 0, highWatermark, 0,
                highWatermark, LongStream.range(0, highWatermark).boxed().toList())).block(WAIT).records();
    }

    private void accept(String group, String topic, String member, long first, long last) {
        client.acknowledge(new ShareAcknowledgeRequest(group, member, topic, 0,
                List.of(Item.range(first, last, ACCEPT)))).block(WAIT);
    }

    private static ShareResetRequest resetTo(String topic, long offset, boolean dryRun) {
        return new ShareResetRequest(List.of(new PartitionStart(topic, 0, offset, 0L, 10L)), dryRun);
    }

    private static String stored(String group) {
        return TestRedis.shared().commands().hgetall(RedisKeys.sharePartitions(group)).toString();
    }

    private static void assertRefused(Runnable call, ErrorCode expected) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(expected));
    }

    @Test
    void aShareGroupIsListedAndDescribedWithItsWindowAndLockHolders() {
        acquire("described", "tasks", "w1", 3, 10);
        accept("described", "tasks", "w1", 0, 0);

        assertThat(client.listShareGroups().block(WAIT)).contains(new ShareGroupListing("described", 1, 2, 2));
        ShareGroupDescription description = client.describeShareGroup("described").block(WAIT);

        assertThat(description.lockHolders()).containsExactly(new ShareGroupDescription.LockHolder("w1", 2));
        SharePartitionDescription partition = description.partitions().getFirst();
        assertThat(List.of(partition.startOffset(), partition.endOffset())).containsExactly(1L, 3L);
        assertThat(partition.acquired()).isEqualTo(2);
        assertRefused(() -> client.describeShareGroup("never-used").block(WAIT), ErrorCode.UNKNOWN_GROUP);
    }

    @Test
    void aResetWhileRecordsAreAcquiredIsRefusedAndOnceTheyAreDoneItMovesTheStartOffset() {
        acquire("resetting", "tasks", "w1", 2, 10);
        String before = stored("resetting");

        assertRefused(() -> client.resetShareGroup("resetting", resetTo("tasks", 8, false)).block(WAIT),
                ErrorCode.NON_EMPTY_GROUP);
        assertThat(stored("resetting")).isEqualTo(before);

        accept("resetting", "tasks", "w1", 0, 1);
        ShareResetResponse dryRun = client.resetShareGroup("resetting", resetTo("tasks", 8, true)).block(WAIT);
        assertThat(dryRun.changes()).containsExactly(new ShareResetResponse.StartChange("tasks", 0, 2L, 8));
        assertThat(client.describeShareGroup("resetting").block(WAIT).partitions().getFirst().startOffset())
                .isEqualTo(2);

        client.resetShareGroup("resetting", resetTo("tasks", 8, false)).block(WAIT);

        assertThat(client.describeShareGroup("resetting").block(WAIT).partitions().getFirst().startOffset())
                .isEqualTo(8);
        List<AcquiredRecord> next = client.acquire(new ShareAcquireRequest("resetting", "w2", "tasks", 0, 10, 0, 10,
                8, 10, List.of(8L, 9L))).block(WAIT).records();
        assertThat(next).extracting(AcquiredRecord::offset).containsExactly(8L, 9L);
        assertRefused(() -> client.resetShareGroup("resetting", resetTo("tasks", 11, false)).block(WAIT),
                ErrorCode.INVALID_OFFSET);
    }

    @Test
    void aDeleteWhileRecordsAreAcquiredIsRefusedAndOnceTheyAreDoneTheGroupIsGone() {
        acquire("deleting", "tasks", "w1", 2, 10);

        assertRefused(() -> client.deleteShareGroup("deleting").block(WAIT), ErrorCode.NON_EMPTY_GROUP);
        accept("deleting", "tasks", "w1", 0, 1);
        client.deleteShareGroup("deleting").block(WAIT);

        assertThat(TestRedis.shared().commands().exists(RedisKeys.sharePartitions("deleting"))).isZero();
        assertRefused(() -> client.describeShareGroup("deleting").block(WAIT), ErrorCode.UNKNOWN_GROUP);
        assertRefused(() -> client.deleteShareGroup("deleting").block(WAIT), ErrorCode.UNKNOWN_GROUP);
        assertThat(client.listShareGroups().block(WAIT)).extracting(ShareGroupListing::groupId)
                .doesNotContain("deleting");
    }

    @Test
    void acquisitionsAcknowledgementsAndTheWindowAreMetered() {
        List<AcquiredRecord> taken = acquire("metered", "tasks", "w1", 3, 10);
        client.acknowledge(new ShareAcknowledgeRequest("metered", "w1", "tasks", 0, List.of(
                Item.of(taken.get(0).acquisitionId(), ACCEPT), Item.of(taken.get(1).acquisitionId(), RELEASE))))
                .block(WAIT);
        client.acquire(new ShareAcquireRequest("metered", "w2", "tasks", 0, 1, 0, 10, 3, 3, List.of())).block(WAIT);

        assertThat(meters.get("sluice.coordinator.share.acquired.records").tag("group", "metered").counter().count())
                .isEqualTo(4);
        assertThat(meters.get("sluice.coordinator.share.redelivered.records").tag("group", "metered").counter()
                .count()).isEqualTo(1);
        assertThat(meters.get("sluice.coordinator.share.acknowledged.records").tag("group", "metered")
                .tag("type", "accept").counter().count()).isEqualTo(1);
        assertThat(meters.get("sluice.coordinator.share.acknowledged.records").tag("group", "metered")
                .tag("type", "release").counter().count()).isEqualTo(1);
        assertThat(meters.get("sluice.coordinator.share.in.flight.records").tag("group", "metered").gauge().value())
                .isEqualTo(2);
        assertThat(meters.get("sluice.coordinator.share.locked.records").tag("group", "metered").gauge().value())
                .isEqualTo(2);
    }

    @Test
    void deletingATopicForgetsItsShareGroupPartitionsInEveryGroupEvenWhileRecordsAreAcquired() {
        api().createTopic("doomed", 1, 1);
        acquire("first", "doomed", "w1", 2, 10);
        acquire("second", "doomed", "w1", 1, 10);
        acquire("second", "kept", "w1", 1, 10);

        client.deleteTopic("doomed").block(WAIT);

        Map<String, String> second = TestRedis.shared().commands().hgetall(RedisKeys.sharePartitions("second"));
        assertThat(second).containsOnlyKeys("kept-0");
        assertThat(TestRedis.shared().commands().exists(RedisKeys.sharePartitions("first"))).isZero();
        assertRefused(() -> client.describeShareGroup("first").block(WAIT), ErrorCode.UNKNOWN_GROUP);
    }
}
