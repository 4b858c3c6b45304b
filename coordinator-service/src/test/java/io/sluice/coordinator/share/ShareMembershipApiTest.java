package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupPaths;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareAcquireResponse.AcquiredRecord;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.internal.share.SharePaths;
import io.sluice.internal.share.ShareOffsetsDeleteRequest;
import io.sluice.internal.share.ShareOffsetsDeleteResponse;
import io.sluice.internal.share.ShareReleaseRequest;
import io.sluice.internal.share.ShareReleaseResponse;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.classic.ClassicGroupPaths;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicProtocol;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Share group membership over the coordinator's internal API, on a whole coordinator and a real Redis: a member that
 * leaves gives its locked records back at once, to the next taker with a higher delivery count; an unknown member's
 * heartbeat is refused.
 */
class ShareMembershipApiTest extends CoordinatorTestSupport {

    private static final String TOPIC = "jobs";

    private ShareHeartbeatResponse heartbeat(String group, String member, int epoch, List<String> topics) {
        return web.post().uri(SharePaths.HEARTBEAT).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareHeartbeatRequest(group, member, epoch, topics, "client", "/127.0.0.1"))
                .exchange().expectStatus().isOk().expectBody(ShareHeartbeatResponse.class).returnResult()
                .getResponseBody();
    }

    private ShareAcquireResponse acquire(String group, String member, int max, long highWatermark) {
        return web.post().uri(SharePaths.ACQUIRE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareAcquireRequest(group, member, TOPIC, 0, max, 0, highWatermark, 0, highWatermark,
                        LongStream.range(0, highWatermark).boxed().toList()))
                .exchange().expectStatus().isOk().expectBody(ShareAcquireResponse.class).returnResult()
                .getResponseBody();
    }

    @Test
    void whenMemberLeavesShouldReleaseItsRecordsToTheNextTakerAtOnce() {
        api();
        heartbeat("leaving", "a", 0, List.of(TOPIC));
        heartbeat("leaving", "b", 0, List.of(TOPIC));
        acquire("leaving", "a", 10, 0);
        assertThat(acquire("leaving", "a", 3, 3).records()).extracting(AcquiredRecord::offset)
                .containsExactly(0L, 1L, 2L);
        assertThat(acquire("leaving", "b", 10, 3).records()).isEmpty();

        ShareHeartbeatResponse left = heartbeat("leaving", "a", -1, null);

        assertThat(left.memberEpoch()).isEqualTo(-1);
        List<AcquiredRecord> again = acquire("leaving", "b", 10, 3).records();
        assertThat(again).extracting(AcquiredRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(again).allSatisfy(r -> assertThat(r.deliveryCount()).isEqualTo(2));
    }

    @Test
    void whenHttpWorkerHoldsRecordsAMembersLeaveShouldNotReleaseThem() {
        api();
        heartbeat("mixed", "a", 0, List.of(TOPIC));
        acquire("mixed", "http-worker", 10, 0);
        assertThat(acquire("mixed", "http-worker", 2, 2).records()).hasSize(2);

        heartbeat("mixed", "a", -1, null);

        assertThat(acquire("mixed", "a", 10, 2).records()).isEmpty();
    }

    @Test
    void whenAConsumerGroupHasTheIdShouldRefuseTheShareJoinAsUnknownGroup() {
        api();
        web.post().uri(GroupPaths.HEARTBEAT, "taken-id").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new GroupHeartbeatRequest(null, GroupHeartbeatRequest.JOIN, null, null, null,
                        List.of(TOPIC), null, List.of(), "client", "/127.0.0.1"))
                .exchange().expectStatus().isOk();

        web.post().uri(SharePaths.HEARTBEAT).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareHeartbeatRequest("taken-id", "a", 0, List.of(TOPIC), "client", "/127.0.0.1"))
                .exchange().expectStatus().isNotFound()
                .expectBody(String.class).value(body -> assertThat(body).contains("not a share group"));
    }

    @Test
    void whenUnknownMemberHeartbeatsShouldBeRefusedAsUnknownMember() {
        api();
        web.post().uri(SharePaths.HEARTBEAT).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareHeartbeatRequest("nobody", "ghost", 3, null, "client", "/127.0.0.1"))
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void whenGroupHasMembersShouldRefuseResetAndDeleteUntilTheyLeave() {
        api();
        heartbeat("busy", "a", 0, List.of(TOPIC));
        acquire("busy", "a", 10, 0);
        ShareResetRequest toZero = new ShareResetRequest(List.of(new ShareResetRequest.PartitionStart(TOPIC, 0, 0L,
                0L, 0L)), false);

        web.post().uri(SharePaths.RESET, "busy").contentType(MediaType.APPLICATION_JSON).bodyValue(toZero)
                .exchange().expectStatus().isEqualTo(409)
                .expectBody(String.class).value(body -> assertThat(body).contains("NON_EMPTY_GROUP"));
        web.delete().uri(SharePaths.GROUP, "busy").exchange().expectStatus().isEqualTo(409)
                .expectBody(String.class).value(body -> assertThat(body).contains("while it has members"));
        web.get().uri(SharePaths.GROUP, "busy").exchange().expectStatus().isOk();

        heartbeat("busy", "a", -1, null);

        web.post().uri(SharePaths.RESET, "busy").contentType(MediaType.APPLICATION_JSON).bodyValue(toZero)
                .exchange().expectStatus().isOk();
        web.delete().uri(SharePaths.GROUP, "busy").exchange().expectStatus().isNoContent();
    }

    private ShareAcquireResponse acquire(String group, String member, int partition, int max, long highWatermark) {
        return web.post().uri(SharePaths.ACQUIRE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareAcquireRequest(group, member, TOPIC, partition, max, 0, highWatermark, 0,
                        highWatermark, LongStream.range(0, highWatermark).boxed().toList()))
                .exchange().expectStatus().isOk().expectBody(ShareAcquireResponse.class).returnResult()
                .getResponseBody();
    }

    /**
     * A closed share session (epoch -1, or its connection dropped) releases what the member holds in the session's
     * share-partitions at once; what it holds in others (a session on another gateway) keeps its locks.
     */
    @Test
    void whenShareSessionClosesShouldReleaseTheMembersRecordsInItsPartitionsOnly() {
        api();
        acquire("closing", "a", 0, 10, 0);
        acquire("closing", "a", 1, 10, 0);
        assertThat(acquire("closing", "a", 0, 3, 3).records()).hasSize(3);
        assertThat(acquire("closing", "a", 1, 2, 2).records()).hasSize(2);

        ShareReleaseResponse released = web.post().uri(SharePaths.RELEASE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareReleaseRequest("closing", "a", List.of(new ShareReleaseRequest.Partition(TOPIC,
                        0), new ShareReleaseRequest.Partition("never-taken", 0))))
                .exchange().expectStatus().isOk().expectBody(ShareReleaseResponse.class).returnResult()
                .getResponseBody();

        assertThat(released.releasedRecords()).isEqualTo(3);
        List<AcquiredRecord> again = acquire("closing", "b", 0, 10, 3).records();
        assertThat(again).extracting(AcquiredRecord::offset).containsExactly(0L, 1L, 2L);
        assertThat(again).allSatisfy(r -> assertThat(r.deliveryCount()).isEqualTo(2));
        assertThat(acquire("closing", "b", 1, 10, 2).records()).as("partition 1 was not in the session").isEmpty();
    }

    @Test
    void whenAReleaseIsMalformedShouldBeRefusedAndChangeNothing() {
        api();
        acquire("bad-release", "a", 0, 10, 0);
        assertThat(acquire("bad-release", "a", 0, 2, 2).records()).hasSize(2);

        web.post().uri(SharePaths.RELEASE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareReleaseRequest("bad-release", "a", null))
                .exchange().expectStatus().isBadRequest();
        web.post().uri(SharePaths.RELEASE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareReleaseRequest("bad-release", "", List.of(new ShareReleaseRequest.Partition(TOPIC,
                        0))))
                .exchange().expectStatus().isBadRequest();

        assertThat(acquire("bad-release", "b", 0, 10, 2).records()).as("still locked for a").isEmpty();
    }

    /**
     * One namespace both ways: a consumer group cannot start under a share group's id, by either protocol, nor by a
     * commit without a member.
     */
    @Test
    void whenAShareGroupHasTheIdShouldRefuseAConsumerJoinAsUnknownGroupAndAClassicJoinAsInconsistentProtocol() {
        api();
        acquire("share-id", "http-worker", 0, 10, 0);
        heartbeat("member-id", "m", 0, List.of(TOPIC));

        for (String group : List.of("share-id", "member-id")) {
            web.post().uri(GroupPaths.HEARTBEAT, group).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(new GroupHeartbeatRequest(null, GroupHeartbeatRequest.JOIN, null, null, null,
                            List.of(TOPIC), null, List.of(), "client", "/127.0.0.1"))
                    .exchange().expectStatus().isNotFound()
                    .expectBody(String.class).value(body -> assertThat(body).contains("not a consumer group"));
            web.post().uri(ClassicGroupPaths.JOIN, group).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(new ClassicJoinRequest("", null, "consumer", List.of(new ClassicProtocol("range",
                            new byte[0], List.of(TOPIC))), 10_000, 10_000, "client", "/127.0.0.1", false))
                    .exchange().expectStatus().isEqualTo(409)
                    .expectBody(String.class).value(body -> assertThat(body).contains("INCONSISTENT_GROUP_PROTOCOL"));
        }
        web.post().uri(GroupPaths.OFFSETS, "share-id").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new OffsetCommitRequest("", -1, List.of(PartitionOffset.of(TOPIC, 0, 0))))
                .exchange().expectStatus().isNotFound()
                .expectBody(String.class).value(body -> assertThat(body).contains("not a consumer group"));
        web.get().uri(GroupPaths.GROUP, "share-id").exchange().expectStatus().isNotFound();
    }

    /**
     * Kafka's AlterShareGroupOffsets on a consumer group's id: GROUP_ID_NOT_FOUND, and no share group is made; nor by
     * an HTTP worker's take.
     */
    @Test
    void whenAConsumerGroupHasTheIdShouldRefuseAShareResetAndATakeAsUnknownGroup() {
        api();
        web.post().uri(GroupPaths.HEARTBEAT, "consumers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new GroupHeartbeatRequest(null, GroupHeartbeatRequest.JOIN, null, null, null,
                        List.of(TOPIC), null, List.of(), "client", "/127.0.0.1"))
                .exchange().expectStatus().isOk();

        web.post().uri(SharePaths.RESET, "consumers").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareResetRequest(List.of(new ShareResetRequest.PartitionStart(TOPIC, 0, 0L, 0L, 0L)),
                        false))
                .exchange().expectStatus().isNotFound()
                .expectBody(String.class).value(body -> assertThat(body).contains("not a share group"));
        web.get().uri(SharePaths.GROUP, "consumers").exchange().expectStatus().isNotFound();

        web.post().uri(SharePaths.ACQUIRE).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new ShareAcquireRequest("consumers", "http-worker", TOPIC, 0, 10, 0, 0, 0, 0, List.of()))
                .exchange().expectStatus().isNotFound()
                .expectBody(String.class).value(body -> assertThat(body).contains("not a share group"));
        web.get().uri(SharePaths.GROUP, "consumers").exchange().expectStatus().isNotFound();
    }

    /** Kafka's DeleteShareGroupOffsets: refused with members, then only the named topics' share-partitions go. */
    @Test
    void whenShareGroupOffsetsOfATopicAreDeletedShouldForgetOnlyThatTopicOnceTheGroupHasNoMembers() {
        api();
        heartbeat("forget", "a", 0, List.of(TOPIC));
        acquire("forget", "http-worker", 0, 10, 0);
        ShareOffsetsDeleteRequest jobs = new ShareOffsetsDeleteRequest(List.of(TOPIC));

        web.post().uri(SharePaths.DELETE_OFFSETS, "forget").contentType(MediaType.APPLICATION_JSON).bodyValue(jobs)
                .exchange().expectStatus().isEqualTo(409);
        heartbeat("forget", "a", -1, null);

        ShareOffsetsDeleteResponse deleted = web.post().uri(SharePaths.DELETE_OFFSETS, "forget")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(jobs).exchange().expectStatus().isOk()
                .expectBody(ShareOffsetsDeleteResponse.class).returnResult().getResponseBody();
        assertThat(deleted.deletedTopics()).containsExactly(TOPIC);
        web.get().uri(SharePaths.GROUP, "forget").exchange().expectStatus().isNotFound();
        web.post().uri(SharePaths.DELETE_OFFSETS, "forget").contentType(MediaType.APPLICATION_JSON).bodyValue(jobs)
                .exchange().expectStatus().isNotFound();
    }
}
