package io.sluice.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class ElectionsTest {

    private static final PartitionState LED_BY_1 = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 4, 7);

    @Test
    void whenTheLeaderDiesTheFirstLiveIsrMemberInReplicaOrderLeads() {
        PartitionState after = Elections.onNodeDeath(LED_BY_1, 1, alive(2, 3), false);

        assertThat(after.leader()).isEqualTo(2);
        assertThat(after.isr()).containsExactly(2, 3);
        assertThat(after.leaderEpoch()).isEqualTo(5);
        assertThat(after.partitionEpoch()).isEqualTo(8);
    }

    @Test
    void whenAnOperatorAsksAnUncleanElectionALeaderlessPartitionTakesALiveInSyncReplicaElseAnyLiveOne() {
        PartitionState offline = new PartitionState(0, List.of(1, 2, 3), PartitionState.NO_LEADER, List.of(1), 5, 8);

        assertThat(Elections.uncleanLeader(offline, alive(1, 3)).leader()).as("the in-sync one").isEqualTo(1);
        PartitionState unclean = Elections.uncleanLeader(offline, alive(2, 3));
        assertThat(unclean.leader()).as("out of sync, but alive").isEqualTo(2);
        assertThat(unclean.isr()).containsExactly(2);
        assertThat(unclean.leaderEpoch()).isEqualTo(6);
        assertThat(Elections.uncleanLeader(offline, alive())).as("no one can lead").isSameAs(offline);
        assertThat(Elections.uncleanLeader(LED_BY_1, alive(2, 3))).as("it has a leader").isSameAs(LED_BY_1);
    }

    @Test
    void whenAFollowerDiesItLeavesTheIsrAndTheLeaderStays() {
        PartitionState after = Elections.onNodeDeath(LED_BY_1, 3, alive(1, 2), false);

        assertThat(after.leader()).isEqualTo(1);
        assertThat(after.isr()).containsExactly(1, 2);
        assertThat(after.leaderEpoch()).isEqualTo(4);
        assertThat(after.partitionEpoch()).isEqualTo(8);
    }

    @Test
    void whenNoIsrMemberIsAliveThePartitionGoesOfflineKeepingItsLastIsrMember() {
        PartitionState lastStanding = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 4, 7);

        PartitionState after = Elections.onNodeDeath(lastStanding, 1, alive(2, 3), false);

        assertThat(after.hasLeader()).isFalse();
        assertThat(after.isr()).containsExactly(1);
        assertThat(after.leaderEpoch()).isEqualTo(5);
    }

    @Test
    void uncleanElectionPicksAnyLiveReplicaAndResetsTheIsr() {
        PartitionState lastStanding = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 4, 7);

        PartitionState after = Elections.onNodeDeath(lastStanding, 1, alive(3), true);

        assertThat(after.leader()).isEqualTo(3);
        assertThat(after.isr()).containsExactly(3);
    }

    @Test
    void whenAReplicaIsStillBeingAddedUncleanElectionShouldNotPickIt() {
        // Moving [1, 2] to [3, 2]: replica 3 is catching up and holds nothing the ISR does not.
        PartitionState moving = new PartitionState(0, List.of(3, 2, 1), 1, List.of(1), 4, 7, List.of(3), List.of(1));

        assertThat(Elections.onNodeDeath(moving, 1, alive(3), true).hasLeader()).isFalse();
        assertThat(Elections.onNodeDeath(moving, 1, alive(2, 3), true).leader()).isEqualTo(2);
    }

    @Test
    void theLastIsrMemberReturningLeadsItsOfflinePartitionAgain() {
        PartitionState offline = new PartitionState(0, List.of(1, 2, 3), PartitionState.NO_LEADER, List.of(1), 5, 8);

        assertThat(Elections.onNodeReturn(offline, 2, alive(2), false)).isSameAs(offline);
        PartitionState after = Elections.onNodeReturn(offline, 1, alive(1, 2), false);

        assertThat(after.leader()).isEqualTo(1);
        assertThat(after.leaderEpoch()).isEqualTo(6);
    }

    @Test
    void controlledShutdownMovesLeadershipAndLeavesTheIsr() {
        PartitionState after = Elections.onControlledShutdown(LED_BY_1, 1, alive(1, 2, 3));

        assertThat(after.leader()).isEqualTo(2);
        assertThat(after.isr()).containsExactly(2, 3);
    }

    @Test
    void controlledShutdownOfTheOnlyIsrMemberKeepsItLeading() {
        PartitionState alone = new PartitionState(0, List.of(1, 2), 1, List.of(1), 0, 0);

        assertThat(Elections.onControlledShutdown(alone, 1, alive(1, 2))).isSameAs(alone);
    }

    @Test
    void aHandOffMovesLeadershipToTheFirstOtherInSyncReplicaThatMayTakeItAndKeepsTheIsr() {
        PartitionState after = Elections.handOff(LED_BY_1, 1, alive(3));

        assertThat(after.leader()).isEqualTo(3);
        assertThat(after.leaderEpoch()).isEqualTo(LED_BY_1.leaderEpoch() + 1);
        assertThat(after.isr()).containsExactly(1, 2, 3);
    }

    @Test
    void aHandOffWithNoOtherInSyncReplicaToTakeItOrByAFollowerChangesNothing() {
        PartitionState alone = new PartitionState(0, List.of(1, 2), 1, List.of(1), 0, 0);

        assertThat(Elections.handOff(alone, 1, alive(1, 2))).isSameAs(alone);
        assertThat(Elections.handOff(LED_BY_1, 1, alive())).isSameAs(LED_BY_1);
        assertThat(Elections.handOff(LED_BY_1, 2, alive(1, 3))).isSameAs(LED_BY_1);
    }

    @Test
    void preferredLeaderReturnsWhenInSyncAndAlive() {
        PartitionState movedAway = new PartitionState(0, List.of(1, 2, 3), 2, List.of(2, 3), 5, 8);
        PartitionState rejoined = movedAway.withIsr(List.of(1, 2, 3));

        assertThat(Elections.preferredLeader(movedAway, alive(1, 2, 3))).isSameAs(movedAway);
        PartitionState after = Elections.preferredLeader(rejoined, alive(1, 2, 3));
        assertThat(after.leader()).isEqualTo(1);
        assertThat(after.leaderEpoch()).isEqualTo(6);
    }

    private static IntPredicate alive(Integer... nodes) {
        Set<Integer> live = Set.of(nodes);
        return live::contains;
    }
}
