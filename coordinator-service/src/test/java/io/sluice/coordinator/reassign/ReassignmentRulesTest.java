package io.sluice.coordinator.reassign;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.Elections;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** Each step of a partition move (KIP-455), and each refusal. */
class ReassignmentRulesTest {

    private static final IntPredicate REGISTERED = node -> node >= 1 && node <= 6;

    /** [1, 2, 3] led by 1, all in sync, leader epoch 4, partition epoch 7. */
    private static final PartitionState STABLE = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 4, 7);

    private static IntPredicate alive(Integer... nodes) {
        Set<Integer> set = Set.of(nodes);
        return set::contains;
    }

    private static final IntPredicate ALL_ALIVE = alive(1, 2, 3, 4, 5, 6);

    private static PartitionState start(PartitionState state, Integer... target) {
        ReassignmentRules.Decision decision = ReassignmentRules.start(state, List.of(target), REGISTERED, ALL_ALIVE);
        assertThat(decision.isAccepted()).as(decision.message()).isTrue();
        return decision.state();
    }

    @Test
    void whenAMoveStartsShouldAddTheNewReplicasAndKeepLeaderIsrAndLeaderEpoch() {
        PartitionState moving = start(STABLE, 4, 2, 3);

        assertThat(moving.replicas()).containsExactly(4, 2, 3, 1);
        assertThat(moving.addingReplicas()).containsExactly(4);
        assertThat(moving.removingReplicas()).containsExactly(1);
        assertThat(moving.leader()).isEqualTo(1);
        assertThat(moving.isr()).containsExactly(2, 3, 1);
        assertThat(moving.leaderEpoch()).isEqualTo(4);
        assertThat(moving.partitionEpoch()).isEqualTo(8);
    }

    @Test
    void whenAnAddingReplicaIsNotInSyncYetAdvanceShouldWait() {
        PartitionState moving = start(STABLE, 4, 2, 3);

        assertThat(ReassignmentRules.advance(moving, ALL_ALIVE)).isSameAs(moving);
    }

    @Test
    void whenEveryTargetReplicaIsInSyncAndTheLeaderIsLeavingShouldMoveLeadershipFirst() {
        PartitionState caughtUp = start(STABLE, 4, 2, 3).withIsr(List.of(4, 2, 3, 1));

        PartitionState led = ReassignmentRules.advance(caughtUp, ALL_ALIVE);

        assertThat(led.leader()).isEqualTo(4);
        assertThat(led.leaderEpoch()).isEqualTo(caughtUp.leaderEpoch() + 1);
        assertThat(led.replicas()).as("the old leader is removed only afterwards").containsExactly(4, 2, 3, 1);
        assertThat(led.isReassigning()).isTrue();
    }

    @Test
    void whenTheLeaderStaysAndEveryTargetReplicaIsInSyncShouldCompleteWithALeaderEpochBump() {
        PartitionState caughtUp = start(STABLE, 1, 2, 4).withIsr(List.of(1, 2, 4, 3));

        PartitionState done = ReassignmentRules.advance(caughtUp, ALL_ALIVE);

        assertThat(done.replicas()).containsExactly(1, 2, 4);
        assertThat(done.isr()).containsExactly(1, 2, 4);
        assertThat(done.leader()).isEqualTo(1);
        assertThat(done.isReassigning()).isFalse();
        assertThat(done.leaderEpoch()).as("replica 3 left: fenced by a new epoch").isEqualTo(caughtUp.leaderEpoch() + 1);
        assertThat(ReassignmentRules.advance(done, ALL_ALIVE)).isSameAs(done);
    }

    @Test
    void whenTheMoveOnlyAddsReplicasShouldCompleteWithoutALeaderEpochBump() {
        PartitionState caughtUp = start(STABLE, 1, 2, 3, 4).withIsr(List.of(1, 2, 3, 4));

        PartitionState done = ReassignmentRules.advance(caughtUp, ALL_ALIVE);

        assertThat(done.replicas()).containsExactly(1, 2, 3, 4);
        assertThat(done.leaderEpoch()).isEqualTo(caughtUp.leaderEpoch());
    }

    @Test
    void whenAdvancedFullyShouldMoveLeadershipThenComplete() {
        PartitionState caughtUp = start(STABLE, 4, 5, 6).withIsr(List.of(4, 5, 6, 1, 2, 3));

        PartitionState done = ReassignmentRules.advanceFully(caughtUp, ALL_ALIVE);

        assertThat(done.replicas()).containsExactly(4, 5, 6);
        assertThat(done.isr()).containsExactly(4, 5, 6);
        assertThat(done.leader()).isEqualTo(4);
        assertThat(done.leaderEpoch()).isEqualTo(caughtUp.leaderEpoch() + 2);
    }

    @Test
    void whenAKeptReplicaIsOutOfSyncShouldWaitForItToo() {
        // Kafka completes only when every target replica is in the ISR, kept ones included.
        PartitionState moving = start(STABLE.withIsr(List.of(1, 3)), 4, 2, 3).withIsr(List.of(4, 3, 1));

        assertThat(ReassignmentRules.advance(moving, ALL_ALIVE)).isSameAs(moving);
    }

    @Test
    void whenNoInSyncTargetReplicaMayLeadShouldWaitRatherThanLeaveTheLeaderless() {
        PartitionState caughtUp = start(STABLE, 4, 2, 3).withIsr(List.of(4, 2, 3, 1));

        assertThat(ReassignmentRules.advance(caughtUp, alive(1))).isSameAs(caughtUp);
    }

    @Test
    void whenThePartitionHasNoLeaderShouldNotAdvance() {
        PartitionState offline = start(STABLE, 1, 2, 4).withIsr(List.of(1, 2, 4, 3)).withLeader(PartitionState.NO_LEADER,
                List.of(1, 2, 4, 3));

        assertThat(ReassignmentRules.advance(offline, ALL_ALIVE)).isSameAs(offline);
    }

    @Test
    void whenTheTargetOnlyReordersTheReplicasShouldCompleteAtOnce() {
        PartitionState reordered = start(STABLE, 3, 1, 2);

        assertThat(reordered.replicas()).containsExactly(3, 1, 2);
        assertThat(reordered.isReassigning()).isFalse();
        assertThat(reordered.isr()).containsExactly(3, 1, 2);
        assertThat(reordered.leader()).isEqualTo(1);
        assertThat(reordered.leaderEpoch()).isEqualTo(STABLE.leaderEpoch());
    }

    @Test
    void whenTheTargetIsWhereThePartitionIsGoingShouldChangeNothing() {
        PartitionState moving = start(STABLE, 4, 2, 3);

        assertThat(start(moving, 4, 2, 3)).isSameAs(moving);
        assertThat(start(STABLE, 1, 2, 3)).isSameAs(STABLE);
    }

    @Test
    void whenTheTargetIsEmptyShouldRefuseAsAnInvalidAssignment() {
        assertRefused(ReassignmentRules.start(STABLE, List.of(), REGISTERED, ALL_ALIVE),
                ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void whenTheTargetNamesANodeTwiceShouldRefuseAsAnInvalidAssignment() {
        assertRefused(ReassignmentRules.start(STABLE, List.of(4, 4, 2), REGISTERED, ALL_ALIVE),
                ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void whenTheTargetNamesAnUnregisteredNodeShouldRefuseAsAnInvalidAssignment() {
        assertRefused(ReassignmentRules.start(STABLE, List.of(1, 2, 9), REGISTERED, ALL_ALIVE),
                ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void whenATargetNodeIsRegisteredButDeadShouldStartAndWait() {
        ReassignmentRules.Decision decision = ReassignmentRules.start(STABLE, List.of(4, 2, 3), REGISTERED,
                alive(1, 2, 3));

        assertThat(decision.isAccepted()).isTrue();
        assertThat(ReassignmentRules.advance(decision.state(), alive(1, 2, 3))).isSameAs(decision.state());
    }

    @Test
    void whenCancelledShouldGoBackToTheOriginalReplicasDroppingTheAddingOnes() {
        PartitionState moving = start(STABLE, 4, 5, 3).withIsr(List.of(4, 3, 1, 2));

        ReassignmentRules.Decision cancelled = ReassignmentRules.cancel(moving, ALL_ALIVE);

        assertThat(cancelled.isAccepted()).isTrue();
        assertThat(cancelled.state().replicas()).containsExactly(3, 1, 2);
        assertThat(cancelled.state().isr()).containsExactly(3, 1, 2);
        assertThat(cancelled.state().isReassigning()).isFalse();
        assertThat(cancelled.state().leader()).isEqualTo(1);
        assertThat(cancelled.state().leaderEpoch()).as("replica 4 left").isEqualTo(moving.leaderEpoch() + 1);
    }

    @Test
    void whenNothingIsMovingACancelShouldBeRefused() {
        assertRefused(ReassignmentRules.cancel(STABLE, ALL_ALIVE), ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
    }

    @Test
    void whenTheLeaderIsAnAddingReplicaACancelShouldHandLeadershipToAnInSyncOriginalReplica() {
        // 4 joined the ISR and was elected when 1 died; 1 is back and in sync.
        PartitionState moving = start(STABLE, 4, 5, 6).withIsr(List.of(4, 1, 2)).withLeader(4, List.of(4, 1, 2));

        ReassignmentRules.Decision cancelled = ReassignmentRules.cancel(moving, ALL_ALIVE);

        assertThat(cancelled.state().leader()).isEqualTo(1);
        assertThat(cancelled.state().isr()).containsExactly(1, 2);
        assertThat(cancelled.state().leaderEpoch()).isEqualTo(moving.leaderEpoch() + 1);
    }

    @Test
    void whenOnlyAddingReplicasAreInSyncACancelShouldBeRefused() {
        // Kafka reverts by an unclean election where the topic allows it; a move never loses acknowledged data.
        PartitionState moving = start(STABLE, 4, 5, 6).withIsr(List.of(4, 5, 6, 1)).withLeader(4, List.of(4, 5, 6));

        assertRefused(ReassignmentRules.cancel(moving, ALL_ALIVE), ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void whenTheLeaderIsAnAddingReplicaAndNoOriginalInSyncReplicaMayLeadACancelShouldBeRefused() {
        PartitionState moving = start(STABLE, 4, 5, 6).withIsr(List.of(4, 1)).withLeader(4, List.of(4, 1));

        assertRefused(ReassignmentRules.cancel(moving, alive(4, 5, 6)), ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void whenANewTargetArrivesDuringAMoveShouldReplaceItFromTheOriginalSet() {
        PartitionState moving = start(STABLE, 4, 2, 3).withIsr(List.of(4, 2, 3, 1));

        PartitionState replaced = start(moving, 5, 2, 3);

        assertThat(replaced.replicas()).containsExactly(5, 2, 3, 1);
        assertThat(replaced.addingReplicas()).containsExactly(5);
        assertThat(replaced.removingReplicas()).containsExactly(1);
        assertThat(replaced.isr()).as("4 is dropped with its ISR place").containsExactly(2, 3, 1);
        assertThat(replaced.leaderEpoch()).isEqualTo(moving.leaderEpoch() + 1);
        assertThat(ReassignmentRules.cancel(replaced, ALL_ALIVE).state().replicas())
                .as("a cancel still goes back to the set before any move").containsExactly(2, 3, 1);
    }

    @Test
    void whenANewTargetWouldDropTheOnlyInSyncReplicasShouldBeRefused() {
        PartitionState moving = start(STABLE, 4, 5, 6).withIsr(List.of(4, 5, 1)).withLeader(4, List.of(4, 5));

        assertRefused(ReassignmentRules.start(moving, List.of(1, 2, 3), REGISTERED, ALL_ALIVE),
                ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void whenANodeOfTheMoveDiesTheMoveShouldWaitAndTheElectionStayClean() {
        PartitionState moving = start(STABLE, 4, 5, 6).withIsr(List.of(4, 1, 2, 3));

        PartitionState afterDeath = Elections.onNodeDeath(moving, 1, alive(2, 3, 4, 5, 6), false);

        assertThat(afterDeath.leader()).as("first live ISR member in replica order").isEqualTo(4);
        assertThat(afterDeath.isReassigning()).isTrue();
        assertThat(ReassignmentRules.advance(afterDeath, alive(2, 3, 4, 5, 6))).isSameAs(afterDeath);

        PartitionState offline = Elections.onNodeDeath(Elections.onNodeDeath(afterDeath, 4, alive(5, 6), true), 2,
                alive(5, 6), true);
        PartitionState stillOffline = Elections.onNodeDeath(offline, 3, alive(5, 6), true);
        assertThat(stillOffline.leader()).as("5 and 6 hold nothing yet: never elected, even uncleanly")
                .isEqualTo(PartitionState.NO_LEADER);
    }

    private static void assertRefused(ReassignmentRules.Decision decision, ErrorCode error) {
        assertThat(decision.isAccepted()).isFalse();
        assertThat(decision.error()).isEqualTo(error);
        assertThat(decision.message()).isNotBlank();
    }

    @Test
    void aTopicTakesTheReplicaCountOfItsPartitionsOnlyOnceEveryOneHasItAndNoneMoves() {
        PartitionState two = new PartitionState(1, List.of(2, 3), 2, List.of(2, 3), 5, 9);
        PartitionState alsoTwo = new PartitionState(0, List.of(1, 2), 1, List.of(1, 2), 5, 9);
        TopicMetadata mixed = new TopicMetadata("t", "id", 3, Map.of(), List.of(STABLE, two));

        assertThat(ReassignmentService.withSettledReplicationFactor(mixed)).as("3 and 2 replicas").isSameAs(mixed);
        assertThat(ReassignmentService.withSettledReplicationFactor(mixed.withPartition(alsoTwo))
                .replicationFactor()).isEqualTo(2);
        TopicMetadata moving = mixed.withPartition(start(STABLE, 1, 2));
        assertThat(ReassignmentService.withSettledReplicationFactor(moving)).as("partition 0 still moving")
                .isSameAs(moving);
    }
}
