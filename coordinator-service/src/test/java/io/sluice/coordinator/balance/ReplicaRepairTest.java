package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.CoordinatorPaths;
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

    @Test
    void whenAMoveGoesToANodeThatDiesForGoodShouldRedirectItAndComplete() {
        TestNodes nodes = nodesForThisTest();
        nodes.start(11, 12, 13, 14);
        api().createTopic("redirected", 1, 2);
        PartitionState placed = api().topic("redirected").partition(0);
        List<Integer> free = List.of(11, 12, 13, 14).stream().filter(n -> !placed.replicas().contains(n)).toList();
        int doomed = free.getFirst();
        // A user's move adds the doomed node, which dies before it catches up: as it is, the move could never end.
        List<Integer> target = List.of(placed.replicas().getFirst(), doomed);
        AlterReassignmentsResponse answer = api().post(CoordinatorPaths.REASSIGNMENTS, new AlterReassignmentsRequest(
                        List.of(new AlterReassignmentsRequest.Target("redirected", 0, target))))
                .expectStatus().isOk().expectBody(AlterReassignmentsResponse.class).returnResult().getResponseBody();
        assertThat(answer.partitions().getFirst().errorCode()).isNull();
        nodes.silence(doomed);
        api().awaitNode(doomed, NodeStatus.DEAD);

        PartitionState moved = await("the move redirected off node " + doomed + " and complete")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    Followers.catchUp(api(), nodes, "redirected");
                    return api().topic("redirected").partition(0);
                }, state -> !state.isReassigning());
        assertThat(moved.replicas()).as("the user's target with the dead node replaced by a live one")
                .hasSize(2).doesNotContain(doomed).startsWith(placed.replicas().getFirst());
        assertThat(moved.isr()).containsExactlyElementsOf(moved.replicas());
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
