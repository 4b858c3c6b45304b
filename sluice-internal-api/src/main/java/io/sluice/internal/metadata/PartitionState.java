package io.sluice.internal.metadata;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * The replication state of one partition: its ordered replica list (the first is the preferred leader), the current
 * leader ({@link #NO_LEADER} while offline), the in-sync replicas, the leader epoch (bumped on every leader change)
 * and the partition epoch (bumped on every change of this state, so a stale ISR change can be recognised).
 *
 * <p>While the partition is being reassigned (KIP-455), {@code replicas} is the union of the target set and the
 * original one, target first in target order, then the replicas being removed; {@code addingReplicas} are the target
 * replicas the original set did not have (they fetch from the leader like any follower and join the ISR when caught
 * up), {@code removingReplicas} the original replicas the target does not keep. Both are empty when no move is under
 * way, and a state stored before moves existed (without these fields) reads as one with none. The original set is
 * {@code replicas} less {@code addingReplicas}; the target set is {@code replicas} less {@code removingReplicas}.
 *
 * <p>The replication factor of a moving partition is the size of its original set, as Kafka's {@code Partition}
 * counts it ({@code OngoingReassignmentState.replicationFactor}): a move that adds replicas does not make the
 * partition under-replicated while they catch up, and one that removes replicas does not hide that an original
 * replica fell out of the ISR. Without a move it is the size of {@code replicas}, as before.
 */
public record PartitionState(int partition, List<Integer> replicas, int leader, List<Integer> isr, int leaderEpoch,
                             int partitionEpoch, List<Integer> addingReplicas, List<Integer> removingReplicas) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = addingReplicas == null ? List.of() : List.copyOf(addingReplicas);
        removingReplicas = removingReplicas == null ? List.of() : List.copyOf(removingReplicas);
    }

    /** A partition that is not being reassigned. */
    public PartitionState(int partition, List<Integer> replicas, int leader, List<Integer> isr, int leaderEpoch,
                          int partitionEpoch) {
        this(partition, replicas, leader, isr, leaderEpoch, partitionEpoch, List.of(), List.of());
    }

    @JsonIgnore
    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    @JsonIgnore
    public int preferredLeader() {
        return replicas.getFirst();
    }

    /** Whether a reassignment is under way: some replica is being added or removed. */
    @JsonIgnore
    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** The replica set before the move ({@code replicas} less those being added); {@code replicas} when none. */
    @JsonIgnore
    public List<Integer> originalReplicas() {
        return without(replicas, addingReplicas);
    }

    /** The replica set the move goes to ({@code replicas} less those being removed); {@code replicas} when none. */
    @JsonIgnore
    public List<Integer> targetReplicas() {
        return without(replicas, removingReplicas);
    }

    /** The number of replicas the partition should have in sync: the original set's size (see the class comment). */
    @JsonIgnore
    public int replicationFactor() {
        return replicas.size() - addingReplicas.size();
    }

    @JsonIgnore
    public boolean isUnderReplicated() {
        return isr.size() < replicationFactor();
    }

    /** A new leader (or none) and ISR: the leader epoch and the partition epoch both move on. */
    public PartitionState withLeader(int newLeader, List<Integer> newIsr) {
        return new PartitionState(partition, replicas, newLeader, newIsr, leaderEpoch + 1, partitionEpoch + 1,
                addingReplicas, removingReplicas);
    }

    /** A new ISR under the same leader: only the partition epoch moves on. */
    public PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(partition, replicas, leader, newIsr, leaderEpoch, partitionEpoch + 1,
                addingReplicas, removingReplicas);
    }

    /**
     * A new replica assignment, with the replicas being added and removed (empty when no move is under way), under
     * the leader and ISR given; the partition epoch moves on, and the leader epoch too when {@code bumpLeaderEpoch}
     * (a leader change, or replicas leaving the set, which Kafka fences with a new leader epoch).
     */
    public PartitionState withAssignment(List<Integer> newReplicas, List<Integer> adding, List<Integer> removing,
                                         int newLeader, List<Integer> newIsr, boolean bumpLeaderEpoch) {
        return new PartitionState(partition, newReplicas, newLeader, newIsr,
                bumpLeaderEpoch ? leaderEpoch + 1 : leaderEpoch, partitionEpoch + 1, adding, removing);
    }

    private static List<Integer> without(List<Integer> list, List<Integer> removed) {
        if (removed.isEmpty()) {
            return list;
        }
        List<Integer> kept = new ArrayList<>(list);
        kept.removeAll(removed);
        return List.copyOf(kept);
    }
}
