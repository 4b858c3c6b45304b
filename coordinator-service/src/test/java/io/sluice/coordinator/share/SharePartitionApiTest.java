package io.sluice.coordinator.share;

import static io.sluice.internal.share.AcknowledgeType.ACCEPT;
import static io.sluice.internal.share.AcknowledgeType.RELEASE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.share.RecordState;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeRequest.Item;
import io.sluice.internal.share.ShareAcknowledgeResponse;
import io.sluice.internal.share.ShareAcknowledgeResponse.RecordOutcome;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareAcquireResponse.AcquiredRecord;
import io.sluice.internal.share.ShareError;
import io.sluice.internal.share.SharePaths;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Share-partitions over the coordinator's internal API, on a whole coordinator and a real Redis: records are locked
 * and acknowledged, each answer is stored before it is given, bad input changes nothing, and a coordinator that takes
 * the lease serves the state as Redis holds it.
 */
class SharePartitionApiTest extends CoordinatorTestSupport {

    private static final String TOPIC = "jobs";

    private static ShareAcquireRequest read(String group, String member, int max, long highWatermark, long from) {
        return new ShareAcquireRequest(group, member, TOPIC, 0, max, 0, highWatermark, from, highWatermark,
                LongStream.range(from, highWatermark).boxed().toList());
    }

    private ShareAcquireResponse acquire(ShareAcquireRequest request) {
        return web.post().uri(SharePaths.ACQUIRE).contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange().expectStatus().isOk().expectBody(ShareAcquireResponse.class).returnResult()
                .getResponseBody();
    }

    private ShareAcknowledgeResponse acknowledge(String group, String member, Item... items) {
        return web.post().uri(SharePaths.ACKNOWLEDGE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareAcknowledgeRequest(group, member, TOPIC, 0, List.of(items)))
                .exchange().expectStatus().isOk().expectBody(ShareAcknowledgeResponse.class).returnResult()
                .getResponseBody();
    }

    private static String stored(String group) {
        return TestRedis.shared().commands().hget(RedisKeys.sharePartitions(group), TOPIC + "-0");
    }

    @Test
    void aNewShareGroupStartsAtTheHighWatermarkAndLocksRecordsWrittenAfter() {
        api();
        ShareAcquireResponse first = acquire(read("starting", "w1", 10, 5, 0));
        assertThat(first.records()).isEmpty();
        assertThat(first.endOffset()).isEqualTo(5);

        ShareAcquireResponse second = acquire(read("starting", "w1", 10, 8, first.endOffset()));

        assertThat(second.records()).extracting(AcquiredRecord::offset).containsExactly(5L, 6L, 7L);
        assertThat(second.records()).allSatisfy(r -> assertThat(r.deliveryCount()).isEqualTo(1));
        assertThat(SharePartitionJson.read(stored("starting"), ShareLimits.DEFAULTS).acquiredCount()).isEqualTo(3);
    }

    @Test
    void acknowledgementsAreAnsweredPerRecordAndStoredBeforeTheAnswer() {
        api();
        acquire(read("working", "w1", 10, 0, 0));
        List<AcquiredRecord> taken = acquire(read("working", "w1", 3, 3, 0)).records();

        ShareAcknowledgeResponse answer = acknowledge("working", "w1", Item.of(taken.get(0).acquisitionId(), ACCEPT),
                Item.range(1, 1, RELEASE));
        ShareAcknowledgeResponse notHolder = acknowledge("working", "w2",
                Item.of(taken.get(2).acquisitionId(), ACCEPT));

        assertThat(answer.startOffset()).isEqualTo(1);
        assertThat(answer.items()).extracting(ShareAcknowledgeResponse.ItemResult::error).containsExactly(null, null);
        assertThat(answer.items().get(1).records()).extracting(RecordOutcome::state)
                .containsExactly(RecordState.AVAILABLE);
        assertThat(notHolder.items().getFirst().records()).extracting(RecordOutcome::error)
                .containsExactly(ShareError.NOT_HOLDER);
        SharePartition stored = SharePartitionJson.read(stored("working"), ShareLimits.DEFAULTS);
        assertThat(stored.startOffset()).isEqualTo(1);
        assertThat(stored.inFlightRecord(1).state()).isEqualTo(RecordState.AVAILABLE);
        assertThat(stored.inFlightRecord(2).holder()).isEqualTo("w1");

        assertThat(acquire(read("working", "w2", 5, 3, 3)).records())
                .containsExactly(new AcquiredRecord(1, 3, 2, acquireDeadline(stored("working"), 1)));
    }

    private static long acquireDeadline(String document, long offset) {
        return SharePartitionJson.read(document, ShareLimits.DEFAULTS).inFlightRecord(offset).lockDeadlineMs();
    }

    @Test
    void concurrentAcquiresFromManyMembersNeverHandOutARecordTwice() {
        api();
        acquire(read("racing", "w0", 1, 0, 0));

        List<Long> handedOut = Flux.range(0, 20)
                .flatMap(i -> Mono.fromCallable(() -> acquire(read("racing", "w" + i % 4, 3, 40, 0)))
                        .subscribeOn(Schedulers.boundedElastic()), 8)
                .flatMapIterable(ShareAcquireResponse::records)
                .map(AcquiredRecord::offset)
                .collectList()
                .block(Duration.ofSeconds(60));

        assertThat(handedOut).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 40).boxed().toList());
    }

    @Test
    void badInputIsRefusedWithItsErrorCodeAndChangesNothing() {
        api();
        acquire(read("refusing", "w1", 10, 0, 0));
        long id = acquire(read("refusing", "w1", 2, 2, 0)).records().getFirst().acquisitionId();
        String before = stored("refusing");

        web.post().uri(SharePaths.ACKNOWLEDGE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareAcknowledgeRequest("refusing", "w1", TOPIC, 0,
                        List.of(Item.of(id, ACCEPT), new Item(id, 0L, 0L, ACCEPT))))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error_code").isEqualTo("INVALID_REQUEST");
        web.post().uri(SharePaths.ACQUIRE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(read("refusing", "w1", 2, 9, 5))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error_code").isEqualTo("INVALID_REQUEST");
        web.post().uri(SharePaths.ACQUIRE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(read("not a group", "w1", 2, 2, 0))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error_code").isEqualTo("INVALID_GROUP_ID");
        assertThat(acknowledge("refusing", "w1", Item.of(id + 100, ACCEPT)).items().getFirst().error())
                .isEqualTo(ShareError.UNKNOWN_ACQUISITION_ID);

        assertThat(stored("refusing")).isEqualTo(before);
    }

    @Test
    void aCoordinatorThatTakesTheLeaseServesTheStateRedisHolds() {
        long token = api().status().fencingToken();
        acquire(read("failover", "w1", 10, 0, 0));
        acquire(read("failover", "w1", 2, 2, 0));
        // What another coordinator wrote while it held the lease: both records accepted, the window empty at 2.
        TestRedis.shared().commands().hset(RedisKeys.sharePartitions("failover"), TOPIC + "-0",
                SharePartitionJson.write(SharePartition.startingAt(2, ShareLimits.DEFAULTS)));

        TestRedis.shared().commands().del(RedisKeys.LEASE);
        await("the coordinator to take the lease again").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    // One status per poll: between two calls the coordinator may have lost the lease again.
                    CoordinatorStatus status = api().status();
                    return status.active() && status.fencingToken() != null && status.fencingToken() > token;
                });

        ShareAcquireResponse answer = acquire(read("failover", "w2", 10, 4, 0));
        assertThat(answer.records()).extracting(AcquiredRecord::offset).containsExactly(2L, 3L);
        assertThat(answer.startOffset()).isEqualTo(2);
    }
}
