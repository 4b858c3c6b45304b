package io.sluice.coordinator.partition;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorApi;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Steps shared by the preferred-leader tests. */
final class PreferredLeaders {

    private PreferredLeaders() {
    }

    /** {@code node} dies (its leaderships move away and it leaves the ISRs), then heartbeats again. */
    static void moveLeadershipAwayAndBack(CoordinatorApi api, TestNodes nodes, int node) {
        nodes.silence(node);
        api.awaitNode(node, NodeStatus.DEAD);
        nodes.resume(node);
        api.awaitNode(node, NodeStatus.ALIVE);
    }

    /**
     * The leader of {@code state} adds {@code replica} back to the ISR, as it would once the replica caught up: naming
     * the incarnation the replica's node runs, as the fetch that qualified it would have.
     */
    static PartitionState rejoinIsr(CoordinatorApi api, TestNodes nodes, String topic, PartitionState state,
                                    int replica) {
        List<Integer> isr = new ArrayList<>(state.isr());
        isr.add(replica);
        PartitionState after = api.alterPartition(topic, state.partition(), state.leader(), state.leaderEpoch(),
                        state.partitionEpoch(), isr, Map.of(replica, nodes.incarnation(replica)))
                .expectStatus().isOk()
                .expectBody(PartitionState.class).returnResult().getResponseBody();
        assertThat(after.isr()).contains(replica);
        assertThat(after.leader()).isEqualTo(state.leader());
        return after;
    }
}
