package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Repair of partitions that lost a node for good, on a real Redis: while a dead node has been dead for less than
 * {@code balancer.repair-after} its replicas stay; after that each is recreated on a live node through a move (the new
 * replica added and caught up before the dead one is removed), and every partition is back at its replication factor.
 * (A coordinator of its own, with the balancer on, so it runs before the shared one exists and is closed after.)
 */
@Order(1)
@DirtiesContext
@TestPropertySource(properties = {
        "sluice.coordinator.balancer.enabled=true",
        "sluice.coordinator.balancer.interval=500ms",
        "sluice.coordinator.balancer.repair-after=4s",
})
class ReplicaRepairTest extends CoordinatorTestSupport {

    @Test
    void whenANodeIsDeadLongerThanTheRepairDelayShouldRecreateItsReplicasOnLiveNodes() {
        TestNodes nodes = nodesForThisTest();
        nodes.start(1, 2, 3, 4);
        api().createTopic("repaired", 4, 3);
        List<PartitionState> before = api().topic("repaired").partitions();
        long onNode4 = before.stream().filter(p -> p.replicas().contains(4)).count();
        assertThat(onNode4).isPositive();

        nodes.silence(4);
        api().awaitNode(4, NodeStatus.DEAD);

        // Dead for less than repair-after (4 s): nothing moves.
        sleep(Duration.ofSeconds(2));
        assertThat(Followers.moving(api())).isZero();
        assertThat(Followers.replicasOn(api(), 4)).isEqualTo(onNode4);

        await("node 4's replicas recreated elsewhere").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    Followers.catchUp(api(), nodes);
                    return Followers.replicasOn(api(), 4) == 0 && Followers.moving(api()) == 0;
                });
        for (PartitionState state : api().topic("repaired").partitions()) {
            assertThat(state.replicas()).hasSize(3).doesNotHaveDuplicates().doesNotContain(4);
            assertThat(state.isr()).as("back at its replication factor").hasSize(3);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
