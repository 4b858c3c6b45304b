package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.balance.MovePlanner.Limits;
import io.sluice.coordinator.balance.MovePlanner.Move;
import io.sluice.coordinator.balance.MovePlanner.Node;
import io.sluice.coordinator.balance.MovePlanner.Partition;
import io.sluice.coordinator.balance.MovePlanner.Reason;
import io.sluice.coordinator.balance.MovePlanner.Role;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The move planner on small clusters whose right answer can be written down. */
class MovePlannerTest {

    private static final Limits FOUR_MOVES = new Limits(4, 1, 1, true);

    @Test
    void whenANodeIsDrainedEveryReplicaLeavesItAndItsPreferredLeadershipGoesToAReplicaThatStays() {
        List<Node> nodes = List.of(target(1), target(2), target(3), new Node(4, null, Role.DRAIN));

        List<Move> moves = MovePlanner.plan(nodes, List.of(partition(0, 4, 1, 2), partition(1, 1, 4, 2),
                partition(2, 1, 2, 3)), new Limits(4, 1, 1, false));

        assertThat(moves).containsExactly(
                new Move(tp(0), List.of(4, 1, 2), List.of(1, 3, 2), Reason.DRAIN),
                new Move(tp(1), List.of(1, 4, 2), List.of(1, 3, 2), Reason.DRAIN));
    }

    @Test
    void whenANodeIsLostItsReplicasAreRecreatedInARackThePartitionDoesNotUse() {
        List<Node> nodes = List.of(new Node(1, "a", Role.TARGET), new Node(2, "b", Role.TARGET),
                new Node(3, "b", Role.TARGET), new Node(4, "c", Role.TARGET), new Node(5, "c", Role.LOST));

        List<Move> moves = MovePlanner.plan(nodes, List.of(partition(0, 1, 2, 5)), new Limits(4, 1, 1, false));

        assertThat(moves).containsExactly(new Move(tp(0), List.of(1, 2, 5), List.of(1, 2, 4), Reason.REPAIR));
    }

    @Test
    void whenAMoveGoesToANodeLostSinceItIsRedirectedWithoutTakingASlot() {
        List<Node> nodes = List.of(target(1), target(2), target(3), target(4), new Node(5, null, Role.LOST));
        // Partition 0 was moving from [1, 2, 3] to [1, 2, 5] when node 5 died: it can never complete as it is.
        Partition stuck = new Partition(tp(0), List.of(1, 2, 5), List.of(1, 2, 3), true, true);
        Partition lost = partition(1, 2, 3, 5);

        List<Move> moves = MovePlanner.plan(nodes, List.of(stuck, lost), new Limits(1, 1, 1, false));

        // The one slot is taken by partition 0's move: only its redirect is planned, partition 1 waits.
        assertThat(moves).containsExactly(new Move(tp(0), List.of(1, 2, 5), List.of(1, 2, 4), Reason.REPAIR, true));
        assertThat(MovePlanner.plan(nodes, List.of(stuck, lost), new Limits(2, 1, 1, false))).containsExactly(
                new Move(tp(0), List.of(1, 2, 5), List.of(1, 2, 4), Reason.REPAIR, true),
                new Move(tp(1), List.of(2, 3, 5), List.of(2, 3, 1), Reason.REPAIR, false));
    }

    @Test
    void aMoveToLiveNodesIsNeverReplaced() {
        List<Node> nodes = List.of(target(1), target(2), target(3), new Node(4, null, Role.HOLD));
        Partition moving = new Partition(tp(0), List.of(1, 2, 3), List.of(1, 2), true, true);

        assertThat(MovePlanner.plan(nodes, List.of(moving), FOUR_MOVES)).isEmpty();
    }

    @Test
    void whenANodeIsDownForLessThanTheRepairDelayItsReplicasStay() {
        List<Node> nodes = List.of(target(1), target(2), target(3), new Node(4, null, Role.HOLD));
        List<Partition> partitions = List.of(partition(0, 1, 4), partition(1, 2, 4), partition(2, 3, 1));

        assertThat(MovePlanner.plan(nodes, partitions, new Limits(4, 1, 1, false))).isEmpty();
    }

    @Test
    void whenBalancingIsOffOnlyDrainsMove() {
        List<Node> nodes = List.of(target(1), target(2), target(3));
        List<Partition> partitions = List.of(partition(0, 1, 2), partition(1, 1, 2), partition(2, 1, 2));

        assertThat(MovePlanner.plan(nodes, partitions, new Limits(4, 1, 1, false))).isEmpty();
        assertThat(MovePlanner.plan(nodes, partitions, FOUR_MOVES)).isNotEmpty();
    }

    @Test
    void whenANodeJoinsFollowerReplicasMoveToItUntilCountsAreWithinTolerance() {
        List<Node> nodes = List.of(target(1), target(2), target(3));
        List<Partition> partitions = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            partitions.add(partition(p, 1 + p % 2, 2 - p % 2));
        }

        List<Move> moves = MovePlanner.plan(nodes, partitions, FOUR_MOVES);

        // Nodes 1 and 2 hold 6 replicas each, node 3 none: four moves bring them to 4, 4, 4.
        assertThat(moves).hasSize(4).allSatisfy(move -> {
            assertThat(move.reason()).isEqualTo(Reason.REPLICAS);
            assertThat(move.to()).contains(3).startsWith(move.from().getFirst());
        });
    }

    @Test
    void whenPartitionsAreMovingAlreadyTheyCountAgainstTheBoundAndAreNotTouched() {
        List<Node> nodes = List.of(target(1), target(2), new Node(3, null, Role.DRAIN), target(4));
        List<Partition> partitions = List.of(
                new Partition(tp(0), List.of(1, 4), List.of(1), true, true),
                new Partition(tp(1), List.of(3, 2), List.of(3, 2), true, true),
                partition(2, 3, 1), partition(3, 3, 2));

        List<Move> moves = MovePlanner.plan(nodes, partitions, new Limits(3, 1, 1, true));

        assertThat(moves).extracting(Move::partition).containsExactly(tp(2));
    }

    @Test
    void whenAPartitionHasNoLeaderItIsLeftWhereItIs() {
        List<Node> nodes = List.of(target(1), target(2), new Node(3, null, Role.LOST));
        List<Partition> partitions = List.of(new Partition(tp(0), List.of(3, 1), List.of(3), false, false));

        assertThat(MovePlanner.plan(nodes, partitions, FOUR_MOVES)).isEmpty();
    }

    @Test
    void whenOneNodeIsPreferredByMostPartitionsAnInSyncReplicaElsewhereIsPreferredInstead() {
        List<Node> nodes = List.of(target(1), target(2));
        List<Partition> partitions = List.of(partition(0, 1, 2), partition(1, 1, 2), partition(2, 1, 2),
                partition(3, 1, 2));

        List<Move> moves = MovePlanner.plan(nodes, partitions, FOUR_MOVES);

        assertThat(moves).containsExactly(new Move(tp(0), List.of(1, 2), List.of(2, 1), Reason.LEADERS),
                new Move(tp(1), List.of(1, 2), List.of(2, 1), Reason.LEADERS));
    }

    @Test
    void whenProposingForABrokerListEveryReplicaEndsOnThoseBrokersBalanced() {
        // kafka-reassign-partitions --generate --broker-list 2,3,4 for a topic on nodes 1, 2 and 3.
        List<Node> nodes = List.of(new Node(1, null, Role.DRAIN), target(2), target(3), target(4));
        List<Partition> partitions = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            partitions.add(partition(p, 1 + p % 3, 1 + (p + 1) % 3));
        }

        Map<TopicPartition, List<Integer>> proposal = MovePlanner.propose(nodes, partitions, Limits.unbounded());

        assertThat(proposal).hasSize(6);
        assertThat(proposal.values()).allSatisfy(replicas -> assertThat(replicas).hasSize(2).doesNotContain(1));
        assertThat(proposal.values().stream().flatMap(List::stream).filter(r -> r == 4).count()).isEqualTo(4);
    }

    @Test
    void whenReplicaCountsAreEvenButOneNodeHoldsMostBytesALargeReplicaIsSwappedForASmallOne() {
        List<Node> nodes = List.of(target(1), target(2));
        // Node 1 holds 1,000 bytes, node 2 250, two replicas each: moving one replica would unbalance the counts.
        List<Partition> partitions = List.of(sized(0, 600, 1), sized(1, 400, 1), sized(2, 100, 2), sized(3, 150, 2));

        List<Move> moves = MovePlanner.plan(nodes, partitions, FOUR_MOVES);

        // The swap that moves nearest half the gap (375): 600 for 150. Then 550 / 700, and nothing narrows that.
        assertThat(moves).containsExactly(new Move(tp(0), List.of(1), List.of(2), Reason.BYTES),
                new Move(tp(3), List.of(2), List.of(1), Reason.BYTES));
    }

    @Test
    void whereReplicaCountsAllowItOneReplicaMovesItsBytesToTheLightestNode() {
        List<Node> nodes = List.of(target(1), target(2), target(3));
        List<Partition> partitions = List.of(sized(0, 500, 1), sized(1, 500, 1), sized(2, 100, 2), sized(3, 100, 3));

        List<Move> moves = MovePlanner.plan(nodes, partitions, FOUR_MOVES);

        // 1,000 / 100 / 100 bytes: 500 to node 2 (nearest half the gap of 900), then from node 2, now the heaviest,
        // 100 to node 3; 500 / 500 / 200 is where no replica nor swap narrows a gap any more.
        assertThat(moves).containsExactly(new Move(tp(0), List.of(1), List.of(2), Reason.BYTES),
                new Move(tp(2), List.of(2), List.of(3), Reason.BYTES));
    }

    @Test
    void bytesWithinTheToleranceOrTheMinimumSpreadStayWhereTheyAre() {
        List<Node> nodes = List.of(target(1), target(2));
        List<Partition> partitions = List.of(sized(0, 600, 1), sized(1, 400, 1), sized(2, 100, 2), sized(3, 100, 2));

        assertThat(MovePlanner.plan(nodes, partitions, new Limits(4, 1, 1, true, 0.1, 800))).isEmpty();
        assertThat(MovePlanner.plan(nodes, partitions, new Limits(4, 1, 1, true, 1.4, 0))).isEmpty();
        assertThat(MovePlanner.plan(nodes, partitions, new Limits(4, 1, 1, true, 1.3, 0))).isNotEmpty();
    }

    private static Node target(int id) {
        return new Node(id, null, Role.TARGET);
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("t", partition);
    }

    /** A partition of {@code bytes} with a leader, every replica in sync, not moving. */
    private static Partition sized(int partition, long bytes, Integer... replicas) {
        return new Partition(tp(partition), List.of(replicas), List.of(replicas), true, false, bytes);
    }

    /** A partition with a leader, every replica in sync, not moving. */
    private static Partition partition(int partition, Integer... replicas) {
        return new Partition(tp(partition), List.of(replicas), List.of(replicas), true, false);
    }
}
