package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.classic.ClassicAssignment;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.internal.classic.ClassicProtocol;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.classic.ClassicSyncResponse;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The classic protocol's rules at the coordinator, in virtual time: the rebalance barrier, generations, fencing. */
class ClassicGroupsTest {

    private static final int SESSION_MS = 10_000;
    private static final int REBALANCE_MS = 30_000;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private boolean kip848Members;
    private final ClassicGroups groups = new ClassicGroups(new ClassicGroups.StoredGroups() {
        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public boolean hasMembers(String groupId) {
            return kip848Members;
        }

        @Override
        public Mono<GroupOffsets> place(String groupId, List<PartitionOffset> offsets) {
            return Mono.just(new GroupOffsets(groupId, List.of()));
        }
    }, new GroupSettings(45_000, 6_000, 1_800_000, 300_000, 1_800_000, 5_000, 4096), Duration.ofSeconds(3), time,
            () -> time.now(TimeUnit.NANOSECONDS));

    @AfterEach
    void dispose() {
        time.dispose();
    }

    @Test
    void aJoinWaitsForTheInitialDelayAndForEveryMemberThenTheLeaderAloneGetsEveryonesMetadata() {
        Pending<ClassicJoinResponse> a = join(null, "range", false);
        Pending<ClassicJoinResponse> b = join(null, "range", false);
        assertThat(a.answer()).as("before the initial delay").isNull();

        time.advanceTimeBy(Duration.ofSeconds(3));

        assertThat(a.answer().generationId()).isEqualTo(1);
        assertThat(b.answer().generationId()).isEqualTo(1);
        assertThat(a.answer().leader()).isEqualTo(a.answer().memberId()).isEqualTo(b.answer().leader());
        assertThat(a.answer().members()).hasSize(2);
        assertThat(b.answer().members()).as("a follower learns no one's metadata").isEmpty();
        assertThat(a.answer().protocolName()).isEqualTo("range");
    }

    @Test
    void aFirstJoinOfVersionFourOnIsAskedToJoinAgainWithAMemberIdAndAnUnknownIdIsRefused() {
        Pending<ClassicJoinResponse> first = join(null, "range", true);
        assertThat(first.answer().memberIdRequired()).isTrue();
        assertThat(first.answer().memberId()).isNotEmpty();

        Pending<ClassicJoinResponse> again = join(first.answer().memberId(), "range", true);
        time.advanceTimeBy(Duration.ofSeconds(3));

        assertThat(again.answer().memberId()).isEqualTo(first.answer().memberId());
        assertThat(join("made-up", "range", true).error()).isEqualTo(ErrorCode.UNKNOWN_MEMBER);
    }

    @Test
    void aFollowerGetsItsAssignmentOnceTheLeaderHasSyncedAndHeartbeatsAreFencedByGeneration() {
        Pending<ClassicJoinResponse> a = join(null, "range", false);
        Pending<ClassicJoinResponse> b = join(null, "range", false);
        time.advanceTimeBy(Duration.ofSeconds(3));
        String leader = a.answer().leader();
        String follower = leader.equals(a.answer().memberId()) ? b.answer().memberId() : a.answer().memberId();

        Pending<ClassicSyncResponse> followerSync = sync(follower, 1, List.of());
        assertThat(followerSync.answer()).as("before the leader's sync").isNull();
        Pending<ClassicSyncResponse> leaderSync = sync(leader, 1, List.of(
                new ClassicAssignment(leader, bytes("to-leader")), new ClassicAssignment(follower, bytes("to-follower"))));

        assertThat(new String(leaderSync.answer().assignment(), StandardCharsets.UTF_8)).isEqualTo("to-leader");
        assertThat(new String(followerSync.answer().assignment(), StandardCharsets.UTF_8)).isEqualTo("to-follower");
        groups.heartbeat("g", new ClassicHeartbeatRequest(follower, null, 1));
        assertThat(error(() -> groups.heartbeat("g", new ClassicHeartbeatRequest(follower, null, 0))))
                .isEqualTo(ErrorCode.ILLEGAL_GENERATION);
    }

    @Test
    void aNewMemberStartsARebalanceAndAMemberThatDoesNotRejoinInTimeIsRemoved() {
        Pending<ClassicJoinResponse> a = join(null, "range", false);
        Pending<ClassicJoinResponse> b = join(null, "range", false);
        time.advanceTimeBy(Duration.ofSeconds(3));
        String first = a.answer().memberId();
        String second = b.answer().memberId();

        Pending<ClassicJoinResponse> c = join(null, "range", false);
        assertThat(error(() -> groups.heartbeat("g", new ClassicHeartbeatRequest(first, null, 1))))
                .isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        Pending<ClassicJoinResponse> firstAgain = join(first, "range", false);
        time.advanceTimeBy(Duration.ofMillis(REBALANCE_MS - 1));
        assertThat(c.answer()).as("while the second member may still rejoin").isNull();
        time.advanceTimeBy(Duration.ofMillis(1));

        assertThat(c.answer().generationId()).isEqualTo(2);
        assertThat(firstAgain.answer().generationId()).isEqualTo(2);
        assertThat(error(() -> groups.heartbeat("g", new ClassicHeartbeatRequest(second, null, 1))))
                .isEqualTo(ErrorCode.UNKNOWN_MEMBER);
        assertThat(groups.describe("g").members()).hasSize(2);
    }

    @Test
    void aMemberSilentPastItsSessionIsRemovedAndALeavingOneRebalancesTheRest() {
        Pending<ClassicJoinResponse> a = join(null, "range", false);
        Pending<ClassicJoinResponse> b = join(null, "range", false);
        time.advanceTimeBy(Duration.ofSeconds(3));
        String first = a.answer().memberId();
        String second = b.answer().memberId();

        groups.leave("g", new ClassicLeaveRequest(List.of(new ClassicLeaveRequest.Leaving(second, null))));
        assertThat(groups.describe("g").state()).isEqualTo("PreparingRebalance");
        Pending<ClassicJoinResponse> rejoined = join(first, "range", false);
        assertThat(rejoined.answer().generationId()).as("every member left has rejoined").isEqualTo(2);

        time.advanceTimeBy(Duration.ofMillis(SESSION_MS + 1));
        groups.sweep();

        assertThat(groups.hasMembers("g")).isFalse();
    }

    @Test
    void aGroupIdIsOfOneProtocolWhileItHasMembers() {
        kip848Members = true;
        assertThat(join(null, "range", false).error()).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        kip848Members = false;
        join(null, "range", false);
        assertThat(join(null, "roundrobin", false).error()).as("no protocol in common")
                .isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void aJoinWithASessionTimeoutOutsideTheBoundsOrNoProtocolIsRefusedAndJoinsNothing() {
        Pending<ClassicJoinResponse> tooShort = subscribe(groups.join("g", new ClassicJoinRequest(null, null,
                "consumer", List.of(new ClassicProtocol("range", bytes("range"), List.of())), 1_000, REBALANCE_MS,
                "client",
                "/host", false)));
        Pending<ClassicJoinResponse> noProtocol = subscribe(groups.join("g", new ClassicJoinRequest(null, null,
                "consumer", List.of(), SESSION_MS, REBALANCE_MS, "client", "/host", false)));

        assertThat(tooShort.error()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(noProtocol.error()).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(groups.hasMembers("g")).isFalse();
    }

    @Test
    void aTopicAMemberSubscribesToKeepsItsOffsetsWhileOtherTopicsMayLoseTheirs() {
        joinReading("readers", "consumer", List.of("orders", "payments"));
        joinReading("readers", "consumer", List.of("refunds"));

        assertThat(error(() -> groups.checkOffsetsDeletable("readers", "orders")))
                .isEqualTo(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
        assertThat(error(() -> groups.checkOffsetsDeletable("readers", "refunds")))
                .isEqualTo(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
        assertThat(groups.checkOffsetsDeletable("readers", "audit")).as("a topic no member reads").isTrue();
    }

    @Test
    void aMemberWhoseSubscriptionNobodyCouldReadCountsAsSubscribedToEveryTopic() {
        joinReading("readers", "consumer", List.of("orders"));
        joinReading("readers", "consumer", null);

        assertThat(error(() -> groups.checkOffsetsDeletable("readers", "audit")))
                .isEqualTo(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
    }

    @Test
    void aGroupHeldByMembersOfAnotherProtocolTypeKeepsEveryTopicsOffsets() {
        joinReading("workers", "connect", null);

        assertThat(error(() -> groups.checkOffsetsDeletable("workers", "configs")))
                .isEqualTo(ErrorCode.NON_EMPTY_GROUP);
    }

    @Test
    void anEmptyClassicGroupLosesAnyTopicsOffsetsAndAnUnknownOneIsNoClassicGroup() {
        Pending<ClassicJoinResponse> joined = joinReading("readers", "consumer", List.of("orders"));
        time.advanceTimeBy(Duration.ofSeconds(3));
        groups.leave("readers", new ClassicLeaveRequest(List.of(new ClassicLeaveRequest.Leaving(
                joined.answer().memberId(), null))));

        assertThat(groups.checkOffsetsDeletable("readers", "orders")).as("empty, still known").isTrue();
        assertThat(groups.checkOffsetsDeletable("never-was", "orders")).isFalse();
    }

    // ---- helpers

    private Pending<ClassicJoinResponse> join(String memberId, String protocol, boolean requireKnownMemberId) {
        return join("g", "consumer", memberId, new ClassicProtocol(protocol, bytes(protocol), List.of("t")),
                requireKnownMemberId);
    }

    /** A first join of a member of {@code protocolType} whose one protocol subscribes to {@code topics}. */
    private Pending<ClassicJoinResponse> joinReading(String group, String protocolType, List<String> topics) {
        return join(group, protocolType, null, new ClassicProtocol("range", bytes("range"), topics), false);
    }

    private Pending<ClassicJoinResponse> join(String group, String protocolType, String memberId,
                                              ClassicProtocol protocol, boolean requireKnownMemberId) {
        return subscribe(groups.join(group, new ClassicJoinRequest(memberId, null, protocolType, List.of(protocol),
                SESSION_MS, REBALANCE_MS, "client", "/host", requireKnownMemberId)));
    }

    private Pending<ClassicSyncResponse> sync(String memberId, int generation, List<ClassicAssignment> assignments) {
        return subscribe(groups.sync("g", new ClassicSyncRequest(memberId, null, generation, "consumer", "range",
                assignments)));
    }

    private static <T> Pending<T> subscribe(Mono<T> call) {
        Pending<T> pending = new Pending<>();
        call.subscribe(pending.value::set, pending.failure::set);
        return pending;
    }

    private static ErrorCode error(Runnable call) {
        try {
            call.run();
        } catch (SluiceException e) {
            return e.errorCode();
        }
        throw new AssertionError("the call succeeded");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final class Pending<T> {
        final AtomicReference<T> value = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        T answer() {
            if (failure.get() != null) {
                throw new AssertionError("the call failed", failure.get());
            }
            return value.get();
        }

        ErrorCode error() {
            assertThatThrownBy(() -> {
                throw failure.get();
            }).isInstanceOf(SluiceException.class);
            return ((SluiceException) failure.get()).errorCode();
        }
    }
}
