package io.sluice.internal.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * How a partition's leader and ISR change when nodes come and go. Pure functions: each takes a partition state and
 * the set of nodes that may lead ({@code eligible}: alive and not shutting down) and returns the new state, or the
 * same instance when nothing changes. Every leader change bumps the leader epoch (see {@link PartitionState}).
 *
 * <p>Clean election picks the first ISR member, in replica order, that is eligible. The ISR never becomes empty:
 * when its last member dies it stays listed, the partition has no leader, and that member can lead again cleanly
 * when it returns. Unclean election, only where the topic allows it, picks the first eligible replica of any kind
 * and resets the ISR to that replica alone — never a replica a reassignment is still adding: one that has not yet
 * joined the ISR may hold nothing of the log, and electing it would lose all of it, not only an unreplicated tail.
 */
public final class Elections {

    private Elections() {
    }

    /** The first eligible ISR member in replica order, or {@link PartitionState#NO_LEADER}. */
    public static int cleanLeader(PartitionState state, List<Integer> isr, IntPredicate eligible) {
        for (int replica : state.replicas()) {
            if (isr.contains(replica) && eligible.test(replica)) {
                return replica;
            }
        }
        return PartitionState.NO_LEADER;
    }

    /** {@code node} died: it leaves the ISR (unless it is the last member) and, if it led, a new leader is elected. */
    public static PartitionState onNodeDeath(PartitionState state, int node, IntPredicate eligible, boolean unclean) {
        if (!state.replicas().contains(node)) {
            return state;
        }
        List<Integer> isr = without(state.isr(), node);
        if (isr.isEmpty()) {
            isr = state.isr();
        }
        if (state.leader() != node) {
            return isr.equals(state.isr()) ? state : state.withIsr(isr);
        }
        return elect(state, isr, eligible, unclean);
    }

    /** {@code node} is back: an offline partition it can lead gets it as leader. */
    public static PartitionState onNodeReturn(PartitionState state, int node, IntPredicate eligible, boolean unclean) {
        if (state.hasLeader() || !state.replicas().contains(node)) {
            return state;
        }
        return elect(state, state.isr(), eligible, unclean);
    }

    /**
     * {@code node} is shutting down: its leaderships move to other eligible ISR members where there are any, and it
     * leaves ISRs it is not the last member of, so acks=all writes stop waiting for it.
     */
    public static PartitionState onControlledShutdown(PartitionState state, int node, IntPredicate eligible) {
        if (!state.isr().contains(node)) {
            return state;
        }
        List<Integer> isr = state.isr().size() > 1 ? without(state.isr(), node) : state.isr();
        if (state.leader() == node) {
            int leader = cleanLeader(state, isr, r -> r != node && eligible.test(r));
            return leader == PartitionState.NO_LEADER ? state : state.withLeader(leader, isr);
        }
        return isr.equals(state.isr()) ? state : state.withIsr(isr);
    }

    /**
     * {@code node} gives up leading (it is being decommissioned): leadership moves to the first other in-sync replica
     * that {@code mayTake}, and {@code node} stays in the ISR, following, until its replica is moved off. The state
     * unchanged when {@code node} does not lead or no other in-sync replica may take over.
     */
    public static PartitionState handOff(PartitionState state, int node, IntPredicate mayTake) {
        if (state.leader() != node) {
            return state;
        }
        int leader = cleanLeader(state, state.isr(), r -> r != node && mayTake.test(r));
        return leader == PartitionState.NO_LEADER ? state : state.withLeader(leader, state.isr());
    }

    /** Leadership back to the preferred (first) replica when it is eligible and in sync. */
    public static PartitionState preferredLeader(PartitionState state, IntPredicate eligible) {
        int preferred = state.preferredLeader();
        if (state.leader() == preferred || !state.isr().contains(preferred) || !eligible.test(preferred)) {
            return state;
        }
        return state.withLeader(preferred, state.isr());
    }

    /**
     * A leader for a partition that has none, as an operator's unclean election gives it: the first live in-sync
     * replica, else the first live replica that is not being added by a move (its ISR then only itself); the state
     * unchanged when it has a leader or no replica can lead.
     */
    public static PartitionState uncleanLeader(PartitionState state, IntPredicate eligible) {
        if (state.hasLeader()) {
            return state;
        }
        PartitionState next = elect(state, state.isr(), eligible, true);
        return next.hasLeader() ? next : state;
    }

    private static PartitionState elect(PartitionState state, List<Integer> isr, IntPredicate eligible, boolean unclean) {
        int leader = cleanLeader(state, isr, eligible);
        if (leader != PartitionState.NO_LEADER) {
            return state.withLeader(leader, isr);
        }
        if (unclean) {
            for (int replica : state.replicas()) {
                if (eligible.test(replica) && !state.addingReplicas().contains(replica)) {
                    return state.withLeader(replica, List.of(replica));
                }
            }
        }
        if (!state.hasLeader() && isr.equals(state.isr())) {
            return state;
        }
        return state.withLeader(PartitionState.NO_LEADER, isr);
    }

    private static List<Integer> without(List<Integer> list, int node) {
        List<Integer> copy = new ArrayList<>(list);
        copy.remove(Integer.valueOf(node));
        return copy;
    }
}
