package io.sluice.internal.metadata;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The replication state of one partition: its ordered replica list (the first is the preferred leader), the current
 * leader ({@link #NO_LEADER} while offline), the in-sync replicas, the leader epoch (bumped on every leader change)
 * and the partition epoch (bumped on every change of this state, so a stale ISR change can be recognised).
 */
public record PartitionState(int partition, List<Integer> replicas, int leader, List<Integer> isr, int leaderEpoch,
                             int partitionEpoch) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    @JsonIgnore
    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    @JsonIgnore
    public int preferredLeader() {
        return replicas.getFirst();
    }

    @JsonIgnore
    public boolean isUnderReplicated() {
        return isr.size() < replicas.size();
    }

    /** A new leader (or none) and ISR: the leader epoch and the partition epoch both move on. */
    public PartitionState withLeader(int newLeader, List<Integer> newIsr) {
        return new PartitionState(partition, replicas, newLeader, newIsr, leaderEpoch + 1, partitionEpoch + 1);
    }

    /** A new ISR under the same leader: only the partition epoch moves on. */
    public PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(partition, replicas, leader, newIsr, leaderEpoch, partitionEpoch + 1);
    }
}
