package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Share group membership: join, heartbeat, leave, expiry, epochs and departures. */
class ShareMembersTest {

    private static final Function<String, Integer> COUNTS = Map.of("orders", 2, "audit", 1)::get;

    /** Kafka's defaults: a 45 s session, a heartbeat every 5 s. */
    private static final ShareMembers.Timeouts TIMEOUTS = new ShareMembers.Timeouts(45_000, 5_000);

    private final ShareMembers members = new ShareMembers();

    private ShareMembers.Outcome beat(String member, int epoch, List<String> topics, long nowMs) {
        return beat(member, epoch, topics, nowMs, TIMEOUTS);
    }

    private ShareMembers.Outcome beat(String member, int epoch, List<String> topics, long nowMs,
                                      ShareMembers.Timeouts timeouts) {
        return members.heartbeat(new ShareHeartbeatRequest("g", member, epoch, topics, "c", "/h"), COUNTS, nowMs,
                timeouts);
    }

    @Test
    void whenMemberJoinsShouldGetEveryPartitionAndTheGroupEpoch() {
        ShareHeartbeatResponse answer = beat("a", 0, List.of("orders"), 0).response();
        assertThat(answer.memberEpoch()).isEqualTo(1);
        assertThat(answer.assignment()).containsExactly(new TopicPartitions("orders", List.of(0, 1)));
    }

    @Test
    void whenSecondMemberJoinsShouldSplitThePartitionsAtTheNextHeartbeat() {
        beat("a", 0, List.of("orders"), 0);
        assertThat(beat("b", 0, List.of("orders"), 0).response().assignment())
                .containsExactly(new TopicPartitions("orders", List.of(1)));
        ShareHeartbeatResponse a = beat("a", 1, null, 10).response();
        assertThat(a.memberEpoch()).isEqualTo(2);
        assertThat(a.assignment()).containsExactly(new TopicPartitions("orders", List.of(0)));
    }

    @Test
    void whenMembersOutnumberPartitionsShouldShareThem() {
        beat("a", 0, List.of("audit"), 0);
        beat("b", 0, List.of("audit"), 0);
        assertThat(beat("a", 1, null, 0).response().assignment())
                .containsExactly(new TopicPartitions("audit", List.of(0)));
        assertThat(beat("b", 2, null, 0).response().assignment())
                .containsExactly(new TopicPartitions("audit", List.of(0)));
    }

    @Test
    void whenMemberLeavesShouldDepartAndGiveItsPartitionsBack() {
        beat("a", 0, List.of("orders"), 0);
        beat("b", 0, List.of("orders"), 0);
        ShareMembers.Outcome leave = beat("b", -1, null, 0);
        assertThat(leave.response().memberEpoch()).isEqualTo(-1);
        assertThat(leave.departures()).containsExactly(new ShareMembers.Departure("g", "b"));
        assertThat(beat("a", 1, null, 0).response().assignment())
                .containsExactly(new TopicPartitions("orders", List.of(0, 1)));
    }

    @Test
    void whenUnknownMemberHeartbeatsShouldBeUnknownMemberAndChangeNothing() {
        beat("a", 0, List.of("orders"), 0);
        assertThatThrownBy(() -> beat("x", 1, null, 0)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_MEMBER));
        assertThat(members.groupEpoch("g")).isEqualTo(1);
    }

    @Test
    void whenEpochIsNotTheMembersShouldBeFenced() {
        beat("a", 0, List.of("orders"), 0);
        assertThatThrownBy(() -> beat("a", 7, null, 0)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FENCED_MEMBER_EPOCH));
    }

    @Test
    void whenJoinHasNoSubscriptionShouldBeInvalid() {
        assertThatThrownBy(() -> beat("a", 0, List.of(), 0)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThat(members.members("g")).isEmpty();
    }

    @Test
    void whenMemberIsSilentForTheSessionTimeoutShouldExpire() {
        beat("a", 0, List.of("orders"), 0);
        beat("b", 0, List.of("orders"), 1_000);
        assertThat(members.expire(TIMEOUTS.sessionTimeoutMs() - 1)).isEmpty();
        assertThat(members.expire(TIMEOUTS.sessionTimeoutMs()))
                .containsExactly(new ShareMembers.Departure("g", "a"));
        assertThat(members.members("g")).extracting(ShareMembers.Member::memberId).containsExactly("b");
    }

    @Test
    void whenGroupTimeoutsChangeShouldHoldFromEachMembersNextHeartbeat() {
        beat("a", 0, List.of("orders"), 0);
        ShareMembers.Timeouts shorter = new ShareMembers.Timeouts(2_000, 500);

        ShareHeartbeatResponse answer = beat("a", 1, null, 1_000, shorter).response();

        assertThat(answer.heartbeatIntervalMs()).isEqualTo(500);
        assertThat(members.expire(2_999)).isEmpty();
        assertThat(members.expire(3_000)).containsExactly(new ShareMembers.Departure("g", "a"));
    }

    @Test
    void whenMemberJoinsAgainUnderItsIdShouldDepartFirst() {
        beat("a", 0, List.of("orders"), 0);
        assertThat(beat("a", 0, List.of("orders"), 0).departures())
                .containsExactly(new ShareMembers.Departure("g", "a"));
    }

    @Test
    void whenDescribedShouldListMembersWithTheirAssignments() {
        beat("b", 0, List.of("orders"), 0);
        beat("a", 0, List.of("orders", "audit"), 0);
        var described = members.describe("g");
        assertThat(described.groupEpoch()).isEqualTo(2);
        assertThat(described.members()).extracting(m -> m.memberId()).containsExactly("a", "b");
        assertThat(described.members().getFirst().subscribedTopicNames()).containsExactly("audit", "orders");
        assertThat(described.members().getFirst().assignment()).containsExactly(
                new TopicPartitions("audit", List.of(0)), new TopicPartitions("orders", List.of(0)));
        assertThat(members.describe("none").members()).isEmpty();
    }

    @Test
    void whenSubscriptionChangesShouldReassign() {
        beat("a", 0, List.of("orders"), 0);
        ShareHeartbeatResponse answer = beat("a", 1, List.of("audit"), 0).response();
        assertThat(answer.memberEpoch()).isEqualTo(2);
        assertThat(answer.assignment()).containsExactly(new TopicPartitions("audit", List.of(0)));
    }

    @Test
    void whenTheLastMemberLeavesShouldNoLongerListTheGroup() {
        beat("a", 0, List.of("orders"), 0);
        members.heartbeat(new ShareHeartbeatRequest("f", "x", 0, List.of("audit"), "c", "/h"), COUNTS, 0, TIMEOUTS);
        assertThat(members.groupIds()).containsExactly("f", "g");
        beat("a", -1, null, 1);
        assertThat(members.groupIds()).containsExactly("f");
    }
}
