package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.ManualClock;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicProtocol;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** A classic consumer in a consumer group: what it is refused, and how it is made to give partitions back. */
class ClassicMemberRulesTest {

    private static final GroupSettings SETTINGS = new GroupSettings(45_000, 100, 1_800_000, 300_000, 1_800_000, 5_000,
            4096);
    private static final MetadataView VIEW = OneTopic.view(4);

    /** A group with one consumer-protocol member, which owns all four partitions. */
    private ConsumerGroup group = GroupRules.heartbeat(null, "g", GroupHeartbeatRequest.join("kip848", List.of("t")),
            VIEW, SETTINGS, () -> "unused").after();

    @Test
    void aMemberOfAnotherProtocolTypeOrWithoutAReadableSubscriptionIsRefusedAndNothingChanges() {
        ClassicJoinRequest connect = new ClassicJoinRequest("", null, "connect",
                List.of(new ClassicProtocol("sessioned", new byte[0], null)), 10_000, 60_000, "w", "/h", false);
        ClassicJoinRequest unreadable = new ClassicJoinRequest("", null, "consumer",
                List.of(new ClassicProtocol("range", new byte[] {1}, null)), 10_000, 60_000, "c", "/h", false);

        for (ClassicJoinRequest join : List.of(connect, unreadable)) {
            assertThat(refusal(() -> ClassicMemberRules.join(group, "g", join, VIEW, SETTINGS, "new")))
                    .isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        }
        assertThat(group.members()).containsOnlyKeys("kip848");
    }

    @Test
    void aFirstJoinOfVersionFourIsGivenAMemberIdAndJoinsNothingYet() {
        GroupDecision<ClassicJoinResponse> first = ClassicMemberRules.join(group, "g", join("", List.of(), true),
                VIEW, SETTINGS, "c-1");

        assertThat(first.result().memberIdRequired()).isTrue();
        assertThat(first.result().memberId()).isEqualTo("c-1");
        assertThat(first.after()).isEqualTo(group);
    }

    @Test
    void theClassicMemberGetsOnlyWhatNoOneElseOwnsAndTheOwnerIsToldNothingButHeartbeatsOn() {
        ClassicJoinResponse joined = join("c-1", List.of());

        assertThat(joined.leader()).as("no member assigns: the coordinator does").isEmpty();
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(sync("c-1", joined.generationId())).as("all four are still the other member's").isEmpty();
        assertThat(refusal(() -> heartbeat("c-1", joined.generationId())))
                .as("nothing free to take yet: no rejoin").isNull();

        // The consumer-protocol member heartbeats: it is asked back two partitions and releases them.
        GroupMember other = group.members().get("kip848");
        group = GroupRules.heartbeat(group, "g", GroupHeartbeatRequest.heartbeat("kip848", other.memberEpoch(),
                TestMember.topicPartitions(other.owned())), VIEW, SETTINGS, () -> "unused").after();
        other = group.members().get("kip848");
        group = GroupRules.heartbeat(group, "g", GroupHeartbeatRequest.heartbeat("kip848", other.memberEpoch(),
                TestMember.topicPartitions(other.assigned())), VIEW, SETTINGS, () -> "unused").after();

        assertThat(refusal(() -> heartbeat("c-1", joined.generationId())))
                .as("two partitions are free for it").isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        ClassicJoinResponse again = join("c-1", List.of());
        assertThat(sync("c-1", again.generationId())).hasSize(2)
                .doesNotContainAnyElementsOf(group.members().get("kip848").owned());
        assertThat(refusal(() -> heartbeat("c-1", again.generationId()))).isNull();
    }

    @Test
    void aClassicMemberAskedForPartitionsBackKeepsThemUntilItJoinsAgainWithoutThem() {
        group = GroupRules.heartbeat(null, "g", GroupHeartbeatRequest.join("kip848", List.of("t")), VIEW, SETTINGS,
                () -> "unused").after();
        group = group.withoutMember("kip848");
        group = GroupRules.rebalance(group, VIEW);
        ClassicJoinResponse alone = join("c-1", List.of());
        assertThat(sync("c-1", alone.generationId())).hasSize(4);

        // A consumer-protocol member joins: two of the classic member's partitions are its target now.
        group = GroupRules.heartbeat(group, "g", GroupHeartbeatRequest.join("kip848", List.of("t")), VIEW, SETTINGS,
                () -> "unused").after();
        assertThat(group.members().get("kip848").assigned()).as("nothing is free").isEmpty();
        assertThat(refusal(() -> heartbeat("c-1", alone.generationId()))).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);

        // A cooperative member rejoins still owning all four: two are pending, and its sync leaves them out.
        List<TopicPartitions> all = TestMember.topicPartitions(group.members().get("c-1").assigned());
        ClassicJoinResponse cooperative = join("c-1", all);
        assertThat(group.members().get("c-1").pendingRevocation()).hasSize(2);
        assertThat(sync("c-1", cooperative.generationId())).hasSize(2);
        assertThat(group.members().get("kip848").assigned()).isEmpty();

        // Its next join names only the two it kept: the others are released.
        ClassicJoinResponse released = join("c-1", TestMember.topicPartitions(
                group.members().get("c-1").assigned()));
        assertThat(group.members().get("c-1").pendingRevocation()).isEmpty();
        assertThat(sync("c-1", released.generationId())).hasSize(2);
    }

    @Test
    void callsAtAnotherGenerationAreIllegalGenerationAndCommitsOfPartitionsNotOwnedToo() {
        ClassicJoinResponse joined = join("c-1", List.of());
        int generation = joined.generationId();

        assertThat(refusal(() -> heartbeat("c-1", generation + 1))).isEqualTo(ErrorCode.ILLEGAL_GENERATION);
        assertThat(refusal(() -> ClassicMemberRules.sync(group, "g", new ClassicSyncRequest("c-1", null,
                generation - 1, "consumer", "range", List.of())))).isEqualTo(ErrorCode.ILLEGAL_GENERATION);
        assertThat(refusal(() -> heartbeat("nobody", generation))).isEqualTo(ErrorCode.UNKNOWN_MEMBER);
        assertThat(refusal(() -> heartbeat("kip848", generation))).as("a consumer-protocol member")
                .isEqualTo(ErrorCode.UNKNOWN_MEMBER);
        assertThat(refusal(() -> GroupRules.commit(group, "g", new OffsetCommitRequest("c-1", generation,
                List.of(PartitionOffset.of("t", 0, 5))), VIEW, SETTINGS, 0)))
                .as("t-0 is the other member's").isEqualTo(ErrorCode.ILLEGAL_GENERATION);
        assertThat(refusal(() -> GroupRules.commit(group, "g", new OffsetCommitRequest("c-1", generation + 1,
                List.of(PartitionOffset.of("t", 0, 5))), VIEW, SETTINGS, 0))).isEqualTo(ErrorCode.ILLEGAL_GENERATION);
    }

    @Test
    void aClassicMemberThatDoesNotJoinAgainToGiveBackIsRemovedAfterItsRebalanceTimeout() {
        group = GroupRules.rebalance(group.withoutMember("kip848"), VIEW);
        ClassicJoinResponse alone = join("c-1", List.of());
        sync("c-1", alone.generationId());
        group = GroupRules.heartbeat(group, "g", GroupHeartbeatRequest.join("kip848", List.of("t")), VIEW, SETTINGS,
                () -> "unused").after();
        ManualClock clock = new ManualClock();
        MemberLiveness liveness = new MemberLiveness(clock);
        liveness.heartbeat("g", "c-1");
        liveness.heartbeat("g", "kip848");

        assertThat(liveness.expired(group)).isEmpty();
        clock.advance(Duration.ofSeconds(30));
        liveness.heartbeat("g", "c-1");
        liveness.heartbeat("g", "kip848");
        assertThat(liveness.expired(group)).as("heartbeating, within its 60 s rebalance timeout").isEmpty();
        clock.advance(Duration.ofSeconds(31));
        liveness.heartbeat("g", "c-1");
        liveness.heartbeat("g", "kip848");
        assertThat(liveness.expired(group)).as("heartbeating, but past its rebalance timeout").containsExactly("c-1");
    }

    private ClassicJoinResponse join(String memberId, List<TopicPartitions> owned) {
        GroupDecision<ClassicJoinResponse> decision = ClassicMemberRules.join(group, "g", join(memberId, owned,
                false), VIEW, SETTINGS, "generated");
        group = decision.after();
        return decision.result();
    }

    private static ClassicJoinRequest join(String memberId, List<TopicPartitions> owned, boolean requireKnownId) {
        return new ClassicJoinRequest(memberId, null, "consumer",
                List.of(new ClassicProtocol("range", new byte[0], List.of("t"), owned)), 10_000, 60_000, "c", "/h",
                requireKnownId);
    }

    private Set<TopicPartition> sync(String memberId, int generation) {
        return TestMember.partitions(ClassicMemberRules.sync(group, "g", new ClassicSyncRequest(memberId, null,
                generation, "consumer", "range", List.of())).result().partitions());
    }

    private Void heartbeat(String memberId, int generation) {
        ClassicMemberRules.heartbeat(group, "g", new ClassicHeartbeatRequest(memberId, null, generation));
        return null;
    }

    private static ErrorCode refusal(Callable<?> call) {
        try {
            call.call();
            return null;
        } catch (SluiceException e) {
            return e.errorCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
