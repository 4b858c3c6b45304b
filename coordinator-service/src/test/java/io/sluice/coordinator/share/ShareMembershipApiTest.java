package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupPaths;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareAcquireResponse.AcquiredRecord;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.internal.share.SharePaths;
import io.sluice.internal.share.ShareResetRequest;
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
}
