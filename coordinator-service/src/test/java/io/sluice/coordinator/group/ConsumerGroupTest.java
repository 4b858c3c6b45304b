package io.sluice.coordinator.group;

import static io.sluice.coordinator.group.StreamsTestTopology.SOURCE;
import static io.sluice.coordinator.group.StreamsTestTopology.heartbeat;
import static io.sluice.coordinator.group.StreamsTestTopology.join;
import static io.sluice.coordinator.group.StreamsTestTopology.tasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.classic.ClassicAssignment;
import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.internal.classic.ClassicProtocol;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.classic.ClassicSyncResponse;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.group.CommittedOffset;
import io.sluice.internal.group.GroupDescription;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupOwnership;
import io.sluice.internal.group.GroupState;
import io.sluice.internal.group.MemberDescription;
import io.sluice.internal.group.MemberState;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.OffsetResetResponse;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Consumer groups (and a streams group under its configs) as a gateway drives them, through the typed client: members
 * join, get balanced partitions, hand them over only once released, are fenced by their epochs, time out, come back
 * statically; offsets are committed, never backwards, reset, deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerGroupTest extends CoordinatorTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private GroupManager groupManager;

    @Autowired
    private OwnershipHistory history;

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

    @Test
    void whenAMemberJoinsItGetsEveryPartitionAndWhenItLeavesTheGroupIsEmpty() {
        api().createTopic("solo", 3, 1);
        TestMember member = member("solo-group");

        GroupHeartbeatResponse joined = member.join(List.of("solo"));

        assertThat(joined.memberId()).isNotBlank();
        assertThat(joined.memberEpoch()).isEqualTo(1);
        assertThat(joined.heartbeatIntervalMs()).isPositive();
        assertThat(member.owned()).containsExactly(tp("solo", 0), tp("solo", 1), tp("solo", 2));
        assertThat(describe("solo-group").state()).isEqualTo(GroupState.STABLE);

        assertThat(member.leave().memberEpoch()).isEqualTo(-1);

        GroupDescription left = describe("solo-group");
        assertThat(left.state()).isEqualTo(GroupState.EMPTY);
        assertThat(left.groupEpoch()).as("joined at 1, left at 2").isEqualTo(2);
    }

    @Test
    void whenThreeMembersShareSixPartitionsEachEndsWithTwo() {
        api().createTopic("six", 6, 1);
        List<TestMember> members = List.of(member("six-group"), member("six-group"), member("six-group"));

        members.forEach(m -> m.join(List.of("six")));
        settle("six-group", members);

        assertThat(members).allSatisfy(m -> assertThat(m.owned()).hasSize(2));
        assertDisjoint(members);
        assertThat(client.groups().block(WAIT)).anySatisfy(listing -> {
            assertThat(listing.groupId()).isEqualTo("six-group");
            assertThat(listing.members()).isEqualTo(3);
            assertThat(listing.state()).isEqualTo(GroupState.STABLE);
        });
    }

    @Test
    void whenAMemberJoinsTheOwnerIsAskedToReleaseFirstAndTheNewcomerGetsThePartitionsOnlyAfterwards() {
        api().createTopic("handoff", 4, 1);
        TestMember first = member("handoff-group");
        TestMember second = member("handoff-group");
        first.join(List.of("handoff"));

        GroupHeartbeatResponse newcomer = second.join(List.of("handoff"));
        assertThat(newcomer.assignment()).as("everything is still owned by the first member").isEmpty();
        assertThat(memberOf("handoff-group", second.id()).state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);

        GroupHeartbeatResponse askedBack = first.pollHolding();
        assertThat(TestMember.partitions(askedBack.assignment())).hasSize(2);
        MemberDescription revoking = memberOf("handoff-group", first.id());
        assertThat(revoking.state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(revoking.memberEpoch()).as("the epoch waits for the release").isEqualTo(1);
        second.poll();
        assertThat(second.owned()).as("not released yet").isEmpty();
        assertDisjoint(List.of(first, second));

        first.poll(); // reports the four it was still reading, then lets two go
        assertThat(first.owned()).hasSize(2);
        second.poll();
        assertThat(second.owned()).as("the release is not reported yet").isEmpty();
        first.poll(); // reports the two it kept
        assertThat(first.epoch()).isEqualTo(2);
        second.poll();

        assertThat(second.owned()).hasSize(2);
        assertDisjoint(List.of(first, second));
        assertThat(describe("handoff-group").state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void theOwnershipHistoryShowsAHandOffOnlyAfterTheRelease() {
        api().createTopic("history", 2, 1);
        TestMember first = member("history-group");
        TestMember second = member("history-group");
        first.join(List.of("history"));
        second.join(List.of("history"));
        settle("history-group", List.of(first, second));

        List<GroupOwnership> changes = history.of("history-group");

        assertThat(changes).extracting(change -> owned(change, first.id()) + "/" + owned(change, second.id()))
                .as("partitions of the first and the second member after each change")
                .containsExactly("2/-", "2/0", "1/0", "1/1");
        assertThat(changes).extracting(GroupOwnership::sequence).isSorted();
    }

    private static String owned(GroupOwnership change, String memberId) {
        List<io.sluice.internal.group.TopicPartitions> owned = change.owned().get(memberId);
        return owned == null ? "-" : Integer.toString(TestMember.partitions(owned).size());
    }

    /**
     * KIP-1251: a commit from an epoch the member has owned the partition since is taken (its heartbeat moved it on
     * while the commit was on its way); one from before the member was given the partition, from a newer epoch, or of
     * a partition it does not own is refused and changes nothing.
     */
    @Test
    void whenACommitComesFromBeforeThePartitionWasGivenOrANewerEpochOrForAPartitionNotOwnedItIsRefused() {
        api().createTopic("fenced", 2, 1);
        TestMember owner = member("fenced-group");
        TestMember other = member("fenced-group");
        owner.join(List.of("fenced"));
        owner.commit(1, tp("fenced", 0), 5);
        other.join(List.of("fenced"));
        settle("fenced-group", List.of(owner, other));
        assertThat(owner.epoch()).isEqualTo(2);
        TopicPartition kept = owner.owned().first();
        TopicPartition given = other.owned().first();
        List<CommittedOffset> before = offsets("fenced-group");

        assertThat(other.epoch()).isEqualTo(2);

        assertRefused(() -> other.commit(1, given, 9), ErrorCode.STALE_MEMBER_EPOCH);
        assertRefused(() -> owner.commit(1, List.of(kept, given), 9), ErrorCode.STALE_MEMBER_EPOCH);
        assertRefused(() -> owner.commit(3, kept, 9), ErrorCode.FENCED_MEMBER_EPOCH);
        assertRefused(() -> owner.commit(2, given, 9), ErrorCode.STALE_MEMBER_EPOCH);
        assertThat(offsets("fenced-group")).isEqualTo(before);

        owner.commit(1, kept, 8);
        assertThat(offsets("fenced-group")).as("owned since epoch 1").anySatisfy(o -> {
            assertThat(o.topic() + "-" + o.partition()).isEqualTo(kept.toString());
            assertThat(o.offset()).isEqualTo(8);
        });
        owner.commit(2, kept, 9);
        other.commit(2, given, 9);
        assertThat(offsets("fenced-group")).extracting(CommittedOffset::offset).containsOnly(9L);
    }

    @Test
    void whenAHeartbeatCarriesAnEpochTheMemberIsNotAtItIsFenced() {
        api().createTopic("zombie", 1, 1);
        TestMember member = member("zombie-group");
        member.join(List.of("zombie"));

        assertRefused(() -> client.groupHeartbeat("zombie-group", io.sluice.internal.group.GroupHeartbeatRequest
                .heartbeat(member.id(), 7, List.of())).block(WAIT), ErrorCode.FENCED_MEMBER_EPOCH);
        assertRefused(() -> client.groupHeartbeat("zombie-group", io.sluice.internal.group.GroupHeartbeatRequest
                .heartbeat("no-such-member", 1, List.of())).block(WAIT), ErrorCode.UNKNOWN_MEMBER);
    }

    @Test
    void whenAMemberIsSilentPastItsSessionItIsRemovedAndItsCommitsAreRefused() {
        api().createTopic("silent", 2, 1);
        TestMember member = member("silent-group");
        member.join(List.of("silent"), 300);

        await("the silent member's removal").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> describe("silent-group").members().isEmpty());

        assertRefused(() -> member.commit(1, tp("silent", 0), 1), ErrorCode.UNKNOWN_MEMBER);
        assertRefused(member::poll, ErrorCode.UNKNOWN_MEMBER);
        assertThat(offsets("silent-group")).isEmpty();
    }

    /**
     * {@code consumer.session.timeout.ms} and {@code consumer.heartbeat.interval.ms} (KIP-848's group configs) hold for
     * the members that named no session (every Kafka consumer), from their next heartbeat; a member that named its own
     * keeps it.
     */
    @Test
    void aGroupsConsumerConfigsHoldFromTheNextHeartbeatForMembersThatNamedNoSession() {
        api().createTopic("tuned", 2, 1);
        TestMember follower = member("tuned-group");
        TestMember ownSession = member("tuned-group");
        follower.join(List.of("tuned"));
        ownSession.join(List.of("tuned"), 60_000);
        assertThat(memberOf("tuned-group", follower.id()).sessionTimeoutMs()).isEqualTo(45_000);

        client.alterShareGroupConfigs("tuned-group", new ShareGroupConfigChange(Map.of(
                "consumer.session.timeout.ms", "1500", "consumer.heartbeat.interval.ms", "200"), List.of(), false,
                false)).block(WAIT);
        GroupHeartbeatResponse followed = follower.poll();
        GroupHeartbeatResponse kept = ownSession.poll();

        assertThat(followed.heartbeatIntervalMs()).isEqualTo(200);
        assertThat(kept.heartbeatIntervalMs()).isEqualTo(200);
        assertThat(memberOf("tuned-group", follower.id()).sessionTimeoutMs()).isEqualTo(1500);
        assertThat(memberOf("tuned-group", ownSession.id()).sessionTimeoutMs()).isEqualTo(60_000);
        TestMember joinedAfter = member("tuned-group");
        joinedAfter.join(List.of("tuned"));
        assertThat(memberOf("tuned-group", joinedAfter.id()).sessionTimeoutMs()).isEqualTo(1500);

        await("the members that follow the group's 1.5 s session to be removed").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> describe("tuned-group").members().size() == 1);
        assertThat(describe("tuned-group").members()).extracting(MemberDescription::memberId)
                .containsExactly(ownSession.id());
    }

    /**
     * A streams group (KIP-1071) under its own group configs, set as {@code kafka-configs --entity-type groups} sets
     * them: {@code streams.num.standby.replicas}, {@code streams.heartbeat.interval.ms} and
     * {@code streams.session.timeout.ms} hold for that group in place of the coordinator's settings (no standbys,
     * 5 s, 45 s here), and every answer tells the members the group's {@code streams.task.offset.interval.ms} and
     * {@code streams.acceptable.recovery.lag} (60 s and 10,000 by default).
     */
    @Test
    void aStreamsGroupsOwnStandbyCountHeartbeatAndSessionHoldForIt() {
        api().createTopic(SOURCE, 4, 1);
        client.alterShareGroupConfigs("app", new ShareGroupConfigChange(Map.of("streams.num.standby.replicas", "1",
                "streams.heartbeat.interval.ms", "300", "streams.session.timeout.ms", "3000",
                "streams.task.offset.interval.ms", "20000", "streams.acceptable.recovery.lag", "250"), List.of(),
                false, false)).block(WAIT);

        StreamsHeartbeatResponse[] a = {sendStreams(join("member-a", "process-a"))};
        StreamsHeartbeatResponse[] b = {sendStreams(join("member-b", "process-b"))};
        assertThat(a[0].heartbeatIntervalMs()).isEqualTo(300);
        assertThat(a[0].taskOffsetIntervalMs()).isEqualTo(20_000);
        assertThat(a[0].acceptableRecoveryLag()).isEqualTo(250);

        // The coordinator creates the internal topics; the members heartbeat holding what they were given until each
        // instance keeps a standby copy of the other's active tasks.
        await("both instances to hold active and standby tasks").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    a[0] = sendStreams(heartbeat("member-a", a[0].memberEpoch(), tasks(a[0])));
                    b[0] = sendStreams(heartbeat("member-b", b[0].memberEpoch(), tasks(b[0])));
                    return !tasks(a[0]).active().isEmpty() && !tasks(a[0]).standby().isEmpty()
                            && !tasks(b[0]).active().isEmpty() && !tasks(b[0]).standby().isEmpty();
                });
        // Standbys of the stateful subtopology's tasks only (1, with the store's changelog).
        assertThat(tasks(a[0]).standby()).containsExactlyInAnyOrderElementsOf(tasks(b[0]).active().stream()
                .filter(task -> task.subtopology().equals("1")).toList());
        assertThat(tasks(b[0]).standby()).containsExactlyInAnyOrderElementsOf(tasks(a[0]).active().stream()
                .filter(task -> task.subtopology().equals("1")).toList());

        // member-b falls silent: the group's 3 s session removes it, and member-a takes every active task.
        int total = tasks(a[0]).active().size() + tasks(b[0]).active().size();
        await("member-b's removal after the group's 3 s session").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    a[0] = sendStreams(heartbeat("member-a", a[0].memberEpoch(), tasks(a[0])));
                    return tasks(a[0]).active().size() == total;
                });
        assertThat(client.describeStreamsGroup("app").block(WAIT).members()).hasSize(1);
    }

    @Test
    void whenAMemberKeepsPartitionsAskedBackPastItsRebalanceTimeoutItIsRemovedAndTheyMoveOn() {
        api().createTopic("hoarded", 2, 1);
        TestMember hoarder = member("hoard-group");
        TestMember waiting = member("hoard-group");
        hoarder.join(List.of("hoarded"), null, 300);
        waiting.join(List.of("hoarded"));

        await("the hoarder's removal").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try {
                        hoarder.pollHolding(); // alive, but never lets go
                        return false;
                    } catch (SluiceException e) {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_MEMBER);
                        return true;
                    }
                });
        waiting.poll();

        assertThat(describe("hoard-group").members()).extracting(MemberDescription::memberId).containsExactly(waiting.id());
        assertThat(waiting.owned()).containsExactly(tp("hoarded", 0), tp("hoarded", 1));
    }

    @Test
    void whenAStaticMemberRejoinsWithinItsSessionItGetsItsPartitionsBackWithoutARebalance() {
        api().createTopic("static", 4, 1);
        TestMember staticMember = new TestMember(client, "static-group", "instance-1");
        TestMember dynamic = member("static-group");
        staticMember.join(List.of("static"), 5_000);
        dynamic.join(List.of("static"));
        settle("static-group", List.of(staticMember, dynamic));
        Set<TopicPartition> itsPartitions = staticMember.owned();
        int groupEpoch = describe("static-group").groupEpoch();

        assertThat(staticMember.leaveStatically().memberEpoch()).isEqualTo(-2);
        assertThat(memberOf("static-group", staticMember.id()).state()).isEqualTo(MemberState.LEFT_STATIC);
        dynamic.poll();
        assertThat(dynamic.owned()).as("the static member's partitions wait for it").doesNotContainAnyElementsOf(itsPartitions);

        TestMember restarted = new TestMember(client, "static-group", "instance-1");
        restarted.join(List.of("static"), 5_000);

        assertThat(restarted.id()).isNotEqualTo(staticMember.id());
        assertThat(restarted.owned()).isEqualTo(itsPartitions);
        assertThat(describe("static-group").groupEpoch()).isEqualTo(groupEpoch);
        assertThat(describe("static-group").members()).hasSize(2);
        assertRefused(() -> new TestMember(client, "static-group", "instance-1").join(List.of("static")),
                ErrorCode.UNRELEASED_INSTANCE_ID);
    }

    @Test
    void whenAStaticMemberStaysAwayPastItsSessionItIsRemovedAndItsPartitionsMoveOn() {
        api().createTopic("static-gone", 2, 1);
        TestMember staticMember = new TestMember(client, "static-gone-group", "instance-2");
        TestMember dynamic = member("static-gone-group");
        // 2 s: a shorter session can run out on a loaded machine before the member leaves, and the leave is refused.
        staticMember.join(List.of("static-gone"), 2000);
        dynamic.join(List.of("static-gone"));
        settle("static-gone-group", List.of(staticMember, dynamic));
        int groupEpoch = describe("static-gone-group").groupEpoch();

        staticMember.leaveStatically();
        await("the away static member's removal").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    dynamic.poll();
                    return describe("static-gone-group").members().size() == 1;
                });
        dynamic.poll();

        assertThat(dynamic.owned()).containsExactly(tp("static-gone", 0), tp("static-gone", 1));
        assertThat(describe("static-gone-group").groupEpoch()).isGreaterThan(groupEpoch);
        TestMember restarted = new TestMember(client, "static-gone-group", "instance-2");
        assertThat(TestMember.partitions(restarted.join(List.of("static-gone")).assignment()))
                .as("a new member now: the partitions are the dynamic member's until it releases them").isEmpty();
    }

    @Test
    void whenAJoinCarriesAnInstanceIdOutsideTheAlphabetItIsRefused() {
        api().createTopic("static-bad", 1, 1);

        assertRefused(() -> new TestMember(client, "static-bad-group", "a b").join(List.of("static-bad")),
                ErrorCode.INVALID_REQUEST);
        assertRefused(() -> new TestMember(client, "static-bad-group", "").join(List.of("static-bad")),
                ErrorCode.INVALID_REQUEST);
        assertRefused(() -> describe("static-bad-group"), ErrorCode.UNKNOWN_GROUP);
    }

    @Test
    void whenACommitWouldMoveTheOffsetBackItIsRefused() {
        api().createTopic("forward", 1, 1);
        simpleCommit("forward-group", "forward", 0, 10);

        assertRefused(() -> simpleCommit("forward-group", "forward", 0, 5), ErrorCode.INVALID_COMMIT_OFFSET);
        simpleCommit("forward-group", "forward", 0, 10);
        assertThat(offsets("forward-group")).singleElement().satisfies(o -> assertThat(o.offset()).isEqualTo(10));
        simpleCommit("forward-group", "forward", 0, 12);

        assertThat(offsets("forward-group")).singleElement().satisfies(o -> assertThat(o.offset()).isEqualTo(12));
    }

    @Test
    void whenOffsetsAreResetADryRunShowsTheChangeAndWritesNothingAndTheRealOneMovesThemBack() {
        api().createTopic("rewind", 2, 1);
        simpleCommit("rewind-group", "rewind", 0, 10);
        List<PartitionOffset> targets = List.of(PartitionOffset.of("rewind", 0, 3), PartitionOffset.of("rewind", 1, 7));

        OffsetResetResponse dryRun = client.resetOffsets("rewind-group", new OffsetResetRequest(targets, false, true))
                .block(WAIT);

        assertThat(dryRun.dryRun()).isTrue();
        assertThat(dryRun.changes()).containsExactly(new OffsetResetResponse.OffsetChange("rewind", 0, 10L, 3),
                new OffsetResetResponse.OffsetChange("rewind", 1, null, 7));
        assertThat(offsets("rewind-group")).extracting(CommittedOffset::offset).containsExactly(10L);

        client.resetOffsets("rewind-group", new OffsetResetRequest(targets, false, false)).block(WAIT);

        assertThat(offsets("rewind-group")).extracting(CommittedOffset::offset).containsExactly(3L, 7L);
    }

    @Test
    void whenTheGroupHasMembersAResetIsRefusedUnlessForced() {
        api().createTopic("busy", 1, 1);
        TestMember member = member("busy-group");
        member.join(List.of("busy"));
        member.commit(1, tp("busy", 0), 20);
        List<PartitionOffset> target = List.of(PartitionOffset.of("busy", 0, 0));

        assertRefused(() -> client.resetOffsets("busy-group", new OffsetResetRequest(target, false, false)).block(WAIT),
                ErrorCode.NON_EMPTY_GROUP);
        assertThat(offsets("busy-group")).extracting(CommittedOffset::offset).containsExactly(20L);

        client.resetOffsets("busy-group", new OffsetResetRequest(target, true, false)).block(WAIT);

        assertThat(offsets("busy-group")).extracting(CommittedOffset::offset).containsExactly(0L);
    }

    @Test
    void whenAResetIsForcedUnderALiveMemberItGivesTheResetPartitionBackAndCommitsOnFromTheResetOffset() {
        api().createTopic("rewound-live", 2, 1);
        TestMember member = member("rewound-live-group");
        member.join(List.of("rewound-live"));
        member.commit(1, tp("rewound-live", 0), 20);
        member.commit(1, tp("rewound-live", 1), 30);
        int groupEpoch = describe("rewound-live-group").groupEpoch();

        client.resetOffsets("rewound-live-group", new OffsetResetRequest(
                List.of(PartitionOffset.of("rewound-live", 0, 5)), true, false)).block(WAIT);

        assertThat(describe("rewound-live-group").groupEpoch()).as("the reset moves the group epoch")
                .isGreaterThan(groupEpoch);
        assertRefused(() -> member.commit(1, tp("rewound-live", 0), 21), ErrorCode.STALE_MEMBER_EPOCH);
        member.commit(1, tp("rewound-live", 1), 31);
        GroupHeartbeatResponse askedBack = member.poll();
        assertThat(TestMember.partitions(askedBack.assignment())).as("the reset partition asked back")
                .containsExactly(tp("rewound-live", 1));
        member.poll();
        assertThat(member.owned()).as("given back once released")
                .containsExactly(tp("rewound-live", 0), tp("rewound-live", 1));
        assertThat(member.epoch()).isEqualTo(describe("rewound-live-group").assignmentEpoch());
        assertRefused(() -> member.commit(1, tp("rewound-live", 0), 40), ErrorCode.STALE_MEMBER_EPOCH);
        assertThat(offsets("rewound-live-group")).extracting(CommittedOffset::offset).containsExactly(5L, 31L);

        member.commit(member.epoch(), tp("rewound-live", 0), 6);

        assertThat(offsets("rewound-live-group")).extracting(CommittedOffset::offset).containsExactly(6L, 31L);
        assertThat(describe("rewound-live-group").state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void whenAGroupHasMembersItCannotBeDeletedAndOnceTheyLeftItAndItsOffsetsAreGone() {
        api().createTopic("doomed-topic", 1, 1);
        TestMember member = member("doomed-group");
        member.join(List.of("doomed-topic"));
        member.commit(1, tp("doomed-topic", 0), 4);

        assertRefused(() -> client.deleteGroup("doomed-group").block(WAIT), ErrorCode.NON_EMPTY_GROUP);
        member.leave();
        client.deleteGroup("doomed-group").block(WAIT);

        assertRefused(() -> describe("doomed-group"), ErrorCode.UNKNOWN_GROUP);
        assertThat(offsets("doomed-group")).isEmpty();
        assertRefused(() -> client.deleteGroup("doomed-group").block(WAIT), ErrorCode.UNKNOWN_GROUP);
    }

    @Test
    void whenAGroupsOffsetsOfATopicAreDeletedOnlyThatTopicsGo() {
        api().createTopic("keep-me", 1, 1);
        api().createTopic("drop-me", 2, 1);
        simpleCommit("pruned-group", "keep-me", 0, 1);
        simpleCommit("pruned-group", "drop-me", 1, 2);

        client.deleteGroupOffsets("pruned-group", "drop-me").block(WAIT);

        assertThat(offsets("pruned-group")).extracting(CommittedOffset::topic).containsExactly("keep-me");
    }

    @Test
    void aMembersClientIdAndHostAreKeptFromItsJoinAndDescribed() {
        api().createTopic("described", 1, 1);
        GroupHeartbeatResponse joined = client.groupHeartbeat("described-group", new GroupHeartbeatRequest(null,
                GroupHeartbeatRequest.JOIN, null, null, null, List.of("described"), null, List.of(), "billing-1",
                "/10.0.0.7")).block(WAIT);

        client.groupHeartbeat("described-group", GroupHeartbeatRequest.heartbeat(joined.memberId(),
                joined.memberEpoch(), joined.assignment())).block(WAIT);

        assertThat(describe("described-group").members()).singleElement()
                .satisfies(m -> assertThat(List.of(m.clientId(), m.clientHost()))
                        .containsExactly("billing-1", "/10.0.0.7"));
    }

    @Test
    void whenSomePartitionsOffsetsAreDeletedTheTopicsOtherPartitionsKeepTheirs() {
        api().createTopic("partly", 3, 1);
        for (int p = 0; p < 3; p++) {
            simpleCommit("partly-group", "partly", p, 5 + p);
        }

        client.deleteGroupOffsets("partly-group", "partly", List.of(0, 2)).block(WAIT);

        assertThat(offsets("partly-group")).extracting(CommittedOffset::partition).containsExactly(1);
    }

    @Test
    void aTopicsOffsetsAreNotDeletedWhileAMemberSubscribesToItButAnotherTopicsAre() {
        api().createTopic("read-now", 1, 1);
        api().createTopic("read-before", 1, 1);
        simpleCommit("reading-group", "read-now", 0, 1);
        simpleCommit("reading-group", "read-before", 0, 1);
        TestMember member = member("reading-group");
        member.join(List.of("read-now"));

        assertRefused(() -> client.deleteGroupOffsets("reading-group", "read-now", List.of(0)).block(WAIT),
                ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
        client.deleteGroupOffsets("reading-group", "read-before", List.of(0)).block(WAIT);

        assertThat(offsets("reading-group")).extracting(CommittedOffset::topic).containsExactly("read-now");
    }

    /**
     * A live classic consumer's topics keep their offsets, decided by the coordinator with its classic groups (the
     * rule is {@code ClassicGroups.checkOffsetsDeletable}'s); a reset, forced or not, and a group delete are refused
     * while it is a member; once it has left, all of them go through.
     */
    @Test
    void aLiveClassicConsumerKeepsItsTopicsOffsetsAndItsGroupUntilItLeaves() {
        api().createTopic("classic-read", 1, 1);
        api().createTopic("classic-other", 1, 1);
        simpleCommit("classic-group", "classic-read", 0, 4);
        simpleCommit("classic-group", "classic-other", 0, 4);
        ClassicJoinResponse joined = joinClassic("classic-group", "classic-read");

        assertRefused(() -> client.deleteGroupOffsets("classic-group", "classic-read").block(WAIT),
                ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
        List<PartitionOffset> rewind = List.of(PartitionOffset.of("classic-read", 0, 0));
        assertRefused(() -> client.resetOffsets("classic-group", new OffsetResetRequest(rewind, true, false))
                .block(WAIT), ErrorCode.NON_EMPTY_GROUP);
        assertRefused(() -> client.deleteGroup("classic-group").block(WAIT), ErrorCode.NON_EMPTY_GROUP);
        client.deleteGroupOffsets("classic-group", "classic-other").block(WAIT);
        assertThat(offsets("classic-group")).extracting(CommittedOffset::topic, CommittedOffset::offset)
                .containsExactly(tuple("classic-read", 4L));

        client.leave("classic-group", new ClassicLeaveRequest(List.of(new ClassicLeaveRequest.Leaving(
                joined.memberId(), null)))).block(WAIT);

        client.deleteGroupOffsets("classic-group", "classic-read").block(WAIT);
        assertThat(offsets("classic-group")).isEmpty();
    }

    /**
     * A member of the consumer protocol joining a stable classic consumer group makes it a consumer group (Kafka's
     * online upgrade): the classic member keeps what its leader gave it until it joins again, told so by its heartbeat,
     * and only then does the new member get its share.
     */
    @Test
    void aConsumerProtocolMemberJoiningAClassicGroupMakesItAConsumerGroupThatKeepsTheClassicMembersPartitions() {
        api().createTopic("upgrade-t", 2, 1);
        ClassicJoinResponse leader = joinClassic("upgrade-g", "upgrade-t");
        List<TopicPartitions> both = List.of(new TopicPartitions("upgrade-t", List.of(0, 1)));
        client.sync("upgrade-g", new ClassicSyncRequest(leader.memberId(), null, leader.generationId(), "consumer",
                "range", List.of(new ClassicAssignment(leader.memberId(), new byte[] {1}, both))), WAIT).block(WAIT);

        GroupHeartbeatResponse joined = client.groupHeartbeat("upgrade-g", GroupHeartbeatRequest.join(null,
                List.of("upgrade-t"))).block(WAIT);
        assertThat(joined.assignment()).as("both partitions are still the classic member's").isEmpty();
        assertThat(client.classicGroups().block(WAIT)).extracting(ClassicGroupDescription::groupId)
                .doesNotContain("upgrade-g");
        assertThat(describe("upgrade-g").members()).hasSize(2);
        assertRefused(() -> client.heartbeat("upgrade-g", new ClassicHeartbeatRequest(leader.memberId(), null,
                leader.generationId())).block(WAIT), ErrorCode.REBALANCE_IN_PROGRESS);

        // The classic member (eager) gives everything up and joins again: it is given one partition back.
        ClassicJoinResponse again = client.join("upgrade-g", new ClassicJoinRequest(leader.memberId(), null,
                "consumer", List.of(new ClassicProtocol("range", new byte[0], List.of("upgrade-t"))), 30_000,
                30_000, "classic-1", "/10.0.0.7", false), WAIT).block(WAIT);
        assertThat(again.leader()).isEmpty();
        ClassicSyncResponse synced = client.sync("upgrade-g", new ClassicSyncRequest(leader.memberId(), null,
                again.generationId(), "consumer", "range", List.of()), WAIT).block(WAIT);
        assertThat(synced.partitions()).hasSize(1);
        GroupHeartbeatResponse share = client.groupHeartbeat("upgrade-g", GroupHeartbeatRequest.heartbeat(
                joined.memberId(), joined.memberEpoch(), List.of())).block(WAIT);
        assertThat(TestMember.partitions(share.assignment())).hasSize(1)
                .doesNotContainAnyElementsOf(TestMember.partitions(synced.partitions()));
    }

    /** A classic group of another protocol type (Connect's) is not taken over: the member is refused. */
    @Test
    void aClassicGroupOfAnotherProtocolTypeIsNotTakenOver() {
        api().createTopic("upgrade-connect", 1, 1);
        client.join("connect-g", new ClassicJoinRequest(null, null, "connect", List.of(new ClassicProtocol(
                "sessioned", new byte[0], null)), 30_000, 30_000, "worker", "/10.0.0.7", false), WAIT).block(WAIT);

        assertRefused(() -> client.groupHeartbeat("connect-g", GroupHeartbeatRequest.join(null,
                List.of("upgrade-connect"))).block(WAIT), ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(client.classicGroups().block(WAIT)).extracting(ClassicGroupDescription::groupId)
                .contains("connect-g");
    }

    /** A classic group that committed nothing has no offsets to delete: that is no refusal. */
    @Test
    void aClassicGroupThatCommittedNothingHasNothingToDelete() {
        api().createTopic("classic-unread", 1, 1);
        joinClassic("uncommitted-group", "classic-read");

        client.deleteGroupOffsets("uncommitted-group", "classic-unread").block(WAIT);

        assertRefused(() -> describe("uncommitted-group"), ErrorCode.UNKNOWN_GROUP);
    }

    @Test
    void whenASubscribedTopicGrowsTheGroupRebalancesAndWhenItIsDeletedItsPartitionsAndOffsetsGo() {
        api().createTopic("elastic", 2, 1);
        TestMember member = member("elastic-group");
        member.join(List.of("elastic"));
        member.commit(1, tp("elastic", 0), 3);
        int epoch = describe("elastic-group").groupEpoch();

        client.addPartitions("elastic", new io.sluice.internal.coordinator.AddPartitionsRequest(4)).block(WAIT);
        await("a rebalance for the new partitions").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> describe("elastic-group").groupEpoch() > epoch);
        member.poll();
        assertThat(member.owned()).hasSize(4);

        client.deleteTopic("elastic").block(WAIT);
        await("the deleted topic's offsets to go").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> offsets("elastic-group").isEmpty());
        member.poll();

        assertThat(member.owned()).isEmpty();
        assertThat(memberOf("elastic-group", member.id()).targetAssignment()).isEmpty();
    }

    @Test
    void whenACoordinatorLoadsTheGroupsFromRedisMembersCarryOnAtTheirEpochsWithTheirPartitions() {
        api().createTopic("durable", 3, 1);
        List<TestMember> members = List.of(member("durable-group"), member("durable-group"));
        members.forEach(m -> m.join(List.of("durable")));
        settle("durable-group", members);
        TestMember first = members.getFirst();
        first.commit(first.epoch(), first.owned().first(), 11);
        GroupDescription before = describe("durable-group");

        groupManager.deactivate();
        groupManager.activate().block(WAIT);

        assertThat(describe("durable-group")).isEqualTo(before);
        Set<TopicPartition> owned = first.owned();
        first.poll();
        assertThat(first.owned()).isEqualTo(owned);
        assertThat(first.epoch()).isEqualTo(before.assignmentEpoch());
    }

    private TestMember member(String group) {
        return new TestMember(client, group, null);
    }

    /** Heartbeats every member, releasing what is asked back, until the group is stable (a few rounds). */
    private void settle(String group, List<TestMember> members) {
        for (int round = 0; round < 10 && describe(group).state() != GroupState.STABLE; round++) {
            members.forEach(TestMember::poll);
            assertDisjoint(members);
        }
        members.forEach(TestMember::poll);
        assertThat(describe(group).state()).isEqualTo(GroupState.STABLE);
    }

    private static void assertDisjoint(List<TestMember> members) {
        Set<TopicPartition> seen = new HashSet<>();
        for (TestMember member : members) {
            for (TopicPartition tp : member.owned()) {
                assertThat(seen.add(tp)).as("%s owned by two members at once", tp).isTrue();
            }
        }
    }

    private StreamsHeartbeatResponse sendStreams(StreamsHeartbeatRequest request) {
        return client.streamsGroupHeartbeat("app", request).block(WAIT);
    }

    private GroupDescription describe(String group) {
        return client.describeGroup(group).block(WAIT);
    }

    private MemberDescription memberOf(String group, String memberId) {
        return describe(group).members().stream().filter(m -> m.memberId().equals(memberId)).findFirst().orElseThrow();
    }

    private List<CommittedOffset> offsets(String group) {
        return client.committedOffsets(group).block(WAIT).offsets();
    }

    /**
     * A classic {@code consumer} member of {@code group} whose protocol subscribes to {@code topic}, answered at its
     * first generation (after the initial rebalance delay); its session outlasts the test.
     */
    private ClassicJoinResponse joinClassic(String group, String topic) {
        return client.join(group, new ClassicJoinRequest(null, null, "consumer", List.of(new ClassicProtocol("range",
                new byte[0], List.of(topic))), 30_000, 30_000, "classic-1", "/10.0.0.7", false), WAIT).block(WAIT);
    }

    private void simpleCommit(String group, String topic, int partition, long offset) {
        client.commitOffsets(group, new OffsetCommitRequest("", -1, List.of(PartitionOffset.of(topic, partition, offset))))
                .block(WAIT);
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    static void assertRefused(Runnable call, ErrorCode expected) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(expected));
    }
}
