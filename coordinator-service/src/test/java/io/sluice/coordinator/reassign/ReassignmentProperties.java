package io.sluice.coordinator.reassign;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.Elections;
import io.sluice.internal.metadata.PartitionState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The move state machine over generated histories: whatever the leader does to the ISR, whichever nodes die and come
 * back (with the clean elections that implies), whenever leadership goes back to the preferred replica, however often the coordinator restarts and reloads the stored state,
 * and whatever targets and cancels arrive — each step of a move taken whenever the coordinator gets to it — the leader
 * is always in the ISR, the ISR is never empty and only ever holds replicas that have every acknowledged record, leader
 * and partition epochs never go back, and once the nodes are back and caught up every history ends in the last target
 * asked for, or in the original set after a cancel.
 *
 * <p>The data is modelled as each node's log end offset: the leader appends, a follower's fetch copies the leader's
 * log (truncating a tail the leader does not have), a record is acknowledged once every ISR member has it (acks=all),
 * and a node the partition leaves loses its files.
 */
class ReassignmentProperties {

    private static final int NODES = 5;

    enum Action {
        PRODUCE, FETCH, EXPAND_ISR, SHRINK_ISR, KILL, REVIVE, PREFERRED_ELECTION, ADVANCE, RESTART_COORDINATOR, CANCEL,
        NEW_TARGET
    }

    record Step(Action action, int node, List<Integer> target) {
    }

    @Property(tries = 500)
    void everyHistoryKeepsTheDataAndEndsInTheTargetOrTheOriginalSet(@ForAll("histories") List<Step> history) {
        Simulation simulation = new Simulation();
        for (Step step : history) {
            simulation.apply(step);
            simulation.assertInvariants(step);
        }
        Statistics.label("moves completed before healing").collect(simulation.completed > 0);
        Statistics.label("cancels accepted").collect(simulation.cancelled > 0);
        Statistics.label("moving when healing starts").collect(simulation.state.isReassigning());
        simulation.heal();
        simulation.assertInvariants(null);
        simulation.assertEndedWhereAsked();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Action> actions = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(Action.PRODUCE)),
                Tuple.of(5, Arbitraries.just(Action.FETCH)),
                Tuple.of(4, Arbitraries.just(Action.EXPAND_ISR)),
                Tuple.of(2, Arbitraries.just(Action.SHRINK_ISR)),
                Tuple.of(2, Arbitraries.just(Action.KILL)),
                Tuple.of(2, Arbitraries.just(Action.REVIVE)),
                Tuple.of(1, Arbitraries.just(Action.PREFERRED_ELECTION)),
                Tuple.of(4, Arbitraries.just(Action.ADVANCE)),
                Tuple.of(1, Arbitraries.just(Action.RESTART_COORDINATOR)),
                Tuple.of(1, Arbitraries.just(Action.CANCEL)),
                Tuple.of(2, Arbitraries.just(Action.NEW_TARGET)));
        Arbitrary<List<Integer>> targets = Arbitraries.integers().between(1, NODES).list().ofMinSize(1).ofMaxSize(4)
                .uniqueElements();
        return Combinators.combine(actions, Arbitraries.integers().between(1, NODES), targets).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(80);
    }

    /** One partition of RF 3 on five nodes, its coordinator state and each node's log. */
    private static final class Simulation {

        private PartitionState state = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 0, 0);
        private final long[] logEnd = new long[NODES + 1];
        private final boolean[] alive = new boolean[NODES + 1];
        private long acknowledged;
        /** Where the partition must end once healed: the last accepted target, or the original set after a cancel. */
        private List<Integer> expectedReplicas = state.replicas();
        private boolean expectedInOrder = true;
        private int lastLeaderEpoch;
        private int lastPartitionEpoch;
        private int completed;
        private int cancelled;

        Simulation() {
            java.util.Arrays.fill(alive, true);
        }

        private final IntPredicate eligible = node -> node >= 1 && node <= NODES && alive[node];

        void apply(Step step) {
            int node = step.node();
            switch (step.action()) {
                case PRODUCE -> {
                    if (leaderAlive()) {
                        logEnd[state.leader()]++;
                    }
                }
                case FETCH -> {
                    if (leaderAlive() && alive[node] && node != state.leader() && state.replicas().contains(node)) {
                        logEnd[node] = logEnd[state.leader()];
                    }
                }
                case EXPAND_ISR -> {
                    // The leader's AlterPartition: the follower reached its log end; the coordinator checks it is alive.
                    if (leaderAlive() && alive[node] && state.replicas().contains(node) && !state.isr().contains(node)
                            && logEnd[node] >= logEnd[state.leader()]) {
                        List<Integer> isr = new ArrayList<>(state.isr());
                        isr.add(node);
                        setState(state.withIsr(state.replicas().stream().filter(isr::contains).toList()));
                    }
                }
                case SHRINK_ISR -> {
                    if (leaderAlive() && node != state.leader() && state.isr().contains(node)) {
                        setState(state.withIsr(state.isr().stream().filter(r -> r != node).toList()));
                    }
                }
                case KILL -> {
                    if (alive[node]) {
                        alive[node] = false;
                        setState(Elections.onNodeDeath(state, node, eligible, false));
                    }
                }
                case REVIVE -> {
                    if (!alive[node]) {
                        alive[node] = true;
                        setState(Elections.onNodeReturn(state, node, eligible, false));
                    }
                }
                case PREFERRED_ELECTION -> setState(Elections.preferredLeader(state, eligible));
                case ADVANCE -> setState(ReassignmentRules.advance(state, eligible));
                case RESTART_COORDINATOR -> {
                    // A new coordinator knows only what Redis holds, and sweeps the moves it finds.
                    PartitionState stored = SluiceJson.mapper().readValue(SluiceJson.mapper().writeValueAsString(state),
                            PartitionState.class);
                    assertThat(stored).isEqualTo(state);
                    setState(ReassignmentRules.advanceFully(stored, eligible));
                }
                case CANCEL -> {
                    ReassignmentRules.Decision decision = ReassignmentRules.cancel(state, eligible);
                    if (decision.isAccepted()) {
                        List<Integer> original = state.originalReplicas();
                        setState(decision.state());
                        cancelled++;
                        expectedReplicas = original;
                        expectedInOrder = false;
                    }
                }
                case NEW_TARGET -> {
                    ReassignmentRules.Decision decision = ReassignmentRules.start(state, step.target(), n -> true,
                            eligible);
                    if (decision.isAccepted()) {
                        setState(decision.state());
                        expectedReplicas = step.target();
                        expectedInOrder = true;
                    }
                }
            }
            acknowledge();
        }

        /** Every node back, every replica caught up and in sync, every step taken. */
        void heal() {
            for (int node = 1; node <= NODES; node++) {
                if (!alive[node]) {
                    alive[node] = true;
                    setState(Elections.onNodeReturn(state, node, eligible, false));
                }
            }
            for (int round = 0; round < 10; round++) {
                for (int node : state.replicas()) {
                    apply(new Step(Action.FETCH, node, List.of()));
                    apply(new Step(Action.EXPAND_ISR, node, List.of()));
                }
                apply(new Step(Action.ADVANCE, 0, List.of()));
            }
        }

        void assertInvariants(Step after) {
            String where = "after " + after + ": " + state;
            assertThat(state.isr()).as(where).isNotEmpty();
            assertThat(state.replicas()).as(where).containsAll(state.isr());
            assertThat(new HashSet<>(state.replicas())).as(where).hasSameSizeAs(state.replicas());
            if (state.hasLeader()) {
                assertThat(state.isr()).as("leader in ISR " + where).contains(state.leader());
            }
            for (int member : state.isr()) {
                assertThat(logEnd[member]).as("ISR member %d holds every acknowledged record, %s", member, where)
                        .isGreaterThanOrEqualTo(acknowledged);
            }
            assertThat(state.replicas()).as(where).containsAll(state.addingReplicas()).containsAll(state.removingReplicas());
            assertThat(state.leaderEpoch()).as(where).isGreaterThanOrEqualTo(lastLeaderEpoch);
            assertThat(state.partitionEpoch()).as(where).isGreaterThanOrEqualTo(lastPartitionEpoch);
            lastLeaderEpoch = state.leaderEpoch();
            lastPartitionEpoch = state.partitionEpoch();
        }

        void assertEndedWhereAsked() {
            assertThat(state.isReassigning()).as("healed: %s", state).isFalse();
            assertThat(state.hasLeader()).as("healed: %s", state).isTrue();
            if (expectedInOrder) {
                assertThat(state.replicas()).isEqualTo(expectedReplicas);
            } else {
                assertThat(state.replicas()).containsExactlyInAnyOrderElementsOf(expectedReplicas);
            }
            assertThat(state.isr()).containsExactlyInAnyOrderElementsOf(state.replicas());
        }

        private boolean leaderAlive() {
            return state.hasLeader() && alive[state.leader()];
        }

        /** The coordinator's new state; nodes the partition left delete their replica (its log starts empty again). */
        private void setState(PartitionState next) {
            Set<Integer> left = new HashSet<>(state.replicas());
            left.removeAll(next.replicas());
            for (int node : left) {
                logEnd[node] = 0;
            }
            if (next.hasLeader() && next.leader() != state.leader()) {
                // A new leader's log is the partition's: followers will truncate a tail it does not have.
                assertThat(logEnd[next.leader()]).as("a new leader %d holds every acknowledged record: %s",
                        next.leader(), next).isGreaterThanOrEqualTo(acknowledged);
            }
            if (state.isReassigning() && !next.isReassigning()) {
                completed++;
            }
            state = next;
        }

        /** acks=all: what every ISR member holds is acknowledged, while the partition has a live leader. */
        private void acknowledge() {
            if (!leaderAlive()) {
                return;
            }
            long highWatermark = Long.MAX_VALUE;
            for (int member : state.isr()) {
                highWatermark = Math.min(highWatermark, logEnd[member]);
            }
            acknowledged = Math.max(acknowledged, highWatermark);
        }
    }
}
