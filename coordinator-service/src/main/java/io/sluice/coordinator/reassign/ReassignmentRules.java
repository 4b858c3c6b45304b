package io.sluice.coordinator.reassign;

import io.sluice.internal.metadata.Elections;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * How a partition moves from one replica set to another (Kafka's KIP-455). Pure functions of a
 * {@link PartitionState}: no Spring, no I/O, no clock; the coordinator runs them in its metadata command sequence and
 * stores what they return.
 *
 * <p>A move, in order:
 * <ol>
 *   <li>{@link #start}: {@code replicas} becomes the target followed by the original replicas the target drops;
 *       {@code addingReplicas} are the target's new replicas, {@code removingReplicas} the original ones it drops. The
 *       leader, the ISR and the leader epoch stay: the new replicas start as followers with empty logs and fetch from
 *       the leader, and join the ISR through the leader's AlterPartition, by the usual rule (caught up to the high
 *       watermark and the epoch's start).</li>
 *   <li>{@link #advance}, after every change of the partition's state, one step at a time: while some target replica
 *       is not in the ISR, nothing. Then, if the leader is being removed, leadership moves to the first target replica
 *       in target order that is in the ISR and may lead (a clean election, leader epoch bumped). Then the move
 *       completes: {@code replicas} becomes the target, the ISR keeps only target replicas, nothing is adding or
 *       removing, and the leader epoch is bumped when replicas left (as Kafka's {@code PartitionChangeBuilder} does, so
 *       that what a removed replica still sends is fenced).</li>
 *   <li>{@link #cancel} instead, at any point before completion: back to the original set, the adding replicas
 *       dropped; a leader among them (one elected cleanly after it joined the ISR) hands over to an in-sync original
 *       replica. The original replicas come back in the order the move held them (those the target kept first, in
 *       target order), as Kafka's {@code PartitionReassignmentRevert} returns them: the state does not record the
 *       original order, so the preferred leader after a cancel may differ from the one before the move.</li>
 * </ol>
 *
 * <p>Invariants every function keeps: the leader is in the ISR (or there is none); the ISR is never empty; a change
 * that would leave no in-sync replica, or no in-sync replica that may lead where one leads now, is refused rather
 * than made — nothing that holds the only acknowledged copy is ever dropped (Kafka would revert by an unclean election
 * where the topic allows it; here a move never does). Leader and partition epochs only grow. The ISR is kept in
 * replica order, as the AlterPartition handler keeps it.
 *
 * <p>A new target while a move is under way replaces it, as Kafka does (KIP-455; the ZooKeeper controller's
 * {@code ReplicaAssignment.reassignTo}): the new move is computed from the <em>original</em> set, so a later cancel
 * still returns to the replicas that held the partition before any move; replicas the first move was adding that
 * neither set keeps are dropped at once.
 *
 * <p>Nodes that die during a move change nothing here: the move waits, elections stay clean and choose among ISR
 * members only ({@link Elections}), so a replica still being added, which is not in the ISR, is never elected (nor by
 * an unclean election). A move whose target names a node that never comes back therefore waits for good, here; the
 * balancer redirects such a move once the node's repair delay has passed ({@code MovePlanner}).
 */
final class ReassignmentRules {

    private ReassignmentRules() {
    }

    /** What a start or cancel decided: the new state, or a refusal (the state unchanged). */
    record Decision(PartitionState state, ErrorCode error, String message) {

        static Decision accepted(PartitionState state) {
            return new Decision(state, null, null);
        }

        static Decision refused(PartitionState state, ErrorCode error, String message) {
            return new Decision(state, error, message);
        }

        boolean isAccepted() {
            return error == null;
        }
    }

    /**
     * Starts (or replaces) a move of {@code state} to {@code target}: refused with INVALID_REPLICA_ASSIGNMENT for an
     * empty target, a node named twice, a node that is not {@code registered}, or a replacement that would drop the
     * last in-sync replicas or the leader with no in-sync replica that may lead ({@code eligible}) to take over. A
     * target equal to where the partition is already going changes nothing; a target that only reorders the current
     * replicas completes at once (the next {@link #advance}).
     */
    static Decision start(PartitionState state, List<Integer> target, IntPredicate registered,
                                 IntPredicate eligible) {
        if (target == null || target.isEmpty()) {
            return Decision.refused(state, ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The target replica set is empty");
        }
        if (new HashSet<>(target).size() != target.size()) {
            return Decision.refused(state, ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The target " + target
                    + " names a node more than once");
        }
        for (int node : target) {
            if (!registered.test(node)) {
                return Decision.refused(state, ErrorCode.INVALID_REPLICA_ASSIGNMENT, "The target " + target
                        + " names node " + node + ", which is not registered");
            }
        }
        if (target.equals(state.targetReplicas())) {
            return Decision.accepted(state);
        }
        List<Integer> original = state.originalReplicas();
        List<Integer> replicas = new ArrayList<>(target);
        original.stream().filter(r -> !target.contains(r)).forEach(replicas::add);
        List<Integer> adding = target.stream().filter(r -> !original.contains(r)).toList();
        List<Integer> removing = original.stream().filter(r -> !target.contains(r)).toList();
        return reshape(state, replicas, adding, removing, eligible, "Replacing the move of partition "
                + state.partition() + " by one to " + target);
    }

    /**
     * Cancels the move: back to the original replicas, the adding ones dropped (with their ISR places). Refused with
     * NO_REASSIGNMENT_IN_PROGRESS when nothing is moving, and with INVALID_REPLICA_ASSIGNMENT when no original replica
     * is in sync (the data lives only on replicas being added: cancelling would lose it) or the leader is an adding
     * replica and no in-sync original replica may take over.
     */
    static Decision cancel(PartitionState state, IntPredicate eligible) {
        if (!state.isReassigning()) {
            return Decision.refused(state, ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, "Partition " + state.partition()
                    + " is not being reassigned");
        }
        return reshape(state, state.originalReplicas(), List.of(), List.of(), eligible,
                "Cancelling the move of partition " + state.partition());
    }

    /**
     * The next step of a move, or {@code state} itself (the same instance) when the move waits or there is none:
     * moves leadership off a leader being removed once every target replica is in sync, else completes the move.
     * Call it again on its answer until it answers its argument: each step is one metadata change.
     */
    static PartitionState advance(PartitionState state, IntPredicate eligible) {
        if (!state.isReassigning() || !state.hasLeader()) {
            return state;
        }
        List<Integer> target = state.targetReplicas();
        if (!state.isr().containsAll(target)) {
            return state;
        }
        if (state.removingReplicas().contains(state.leader())) {
            int leader = firstInSync(target, state.isr(), eligible);
            return leader == PartitionState.NO_LEADER ? state : state.withLeader(leader, state.isr());
        }
        List<Integer> isr = inOrder(target, state.isr());
        boolean replicasLeave = !state.removingReplicas().isEmpty();
        return state.withAssignment(target, List.of(), List.of(), state.leader(), isr, replicasLeave);
    }

    /** Every step {@link #advance} would take now, applied in turn (at most three: a leader move, a completion). */
    static PartitionState advanceFully(PartitionState state, IntPredicate eligible) {
        PartitionState current = state;
        for (int step = 0; step < 3; step++) {
            PartitionState next = advance(current, eligible);
            if (next == current) {
                return current;
            }
            current = next;
        }
        return current;
    }

    /**
     * The state with {@code replicas} (and the move's adding and removing lists): replicas that leave the set leave the
     * ISR too, and a leader among them hands over to the first in-sync replica left that may lead.
     */
    private static Decision reshape(PartitionState state, List<Integer> replicas, List<Integer> adding,
                                    List<Integer> removing, IntPredicate eligible, String what) {
        List<Integer> leaving = state.replicas().stream().filter(r -> !replicas.contains(r)).toList();
        List<Integer> isr = inOrder(replicas, state.isr());
        if (isr.isEmpty()) {
            return Decision.refused(state, ErrorCode.INVALID_REPLICA_ASSIGNMENT, what + " would leave no in-sync "
                    + "replica: the in-sync replicas " + state.isr() + " are all being dropped");
        }
        int leader = state.leader();
        if (leaving.contains(leader)) {
            leader = firstInSync(replicas, isr, eligible);
            if (leader == PartitionState.NO_LEADER) {
                return Decision.refused(state, ErrorCode.INVALID_REPLICA_ASSIGNMENT, what + " would drop its leader "
                        + state.leader() + " with no in-sync replica left that may lead");
            }
        }
        if (replicas.equals(state.replicas()) && adding.equals(state.addingReplicas())
                && removing.equals(state.removingReplicas())) {
            return Decision.accepted(state);
        }
        boolean bump = leader != state.leader() || !leaving.isEmpty();
        return Decision.accepted(state.withAssignment(replicas, adding, removing, leader, isr, bump));
    }

    /** The first of {@code order} that is in {@code isr} and may lead, or {@link PartitionState#NO_LEADER}. */
    private static int firstInSync(List<Integer> order, List<Integer> isr, IntPredicate eligible) {
        for (int replica : order) {
            if (isr.contains(replica) && eligible.test(replica)) {
                return replica;
            }
        }
        return PartitionState.NO_LEADER;
    }

    /** The members of {@code set} that are in {@code order}, in that order. */
    private static List<Integer> inOrder(List<Integer> order, List<Integer> set) {
        return order.stream().filter(set::contains).toList();
    }
}
