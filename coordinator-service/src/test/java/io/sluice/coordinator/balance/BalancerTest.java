package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.metadata.PartitionState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The automatic balancer on a real Redis: when a node joins, replicas move to it, never more than
 * {@code max-concurrent-moves} partitions at once, until replica counts are within one of each other; a move a user
 * started is left as the user asked. (A coordinator of its own, with the balancer on, so it runs before the shared
 * one exists and is closed after.)
 */
@Order(1)
@DirtiesContext
@TestPropertySource(properties = {
        "sluice.coordinator.balancer.enabled=true",
        "sluice.coordinator.balancer.interval=500ms",
        "sluice.coordinator.balancer.max-concurrent-moves=2",
})
class BalancerTest extends CoordinatorTestSupport {

    @Autowired
    private MeterRegistry meters;

    @Test
    void whenANodeJoinsShouldMoveReplicasToItAtMostTwoPartitionsAtATimeWithoutReplacingAUsersMove() {
        TestNodes nodes = nodesForThisTest();
        nodes.start(1, 2, 3);
        api().createTopic("spread", 8, 2);
        api().createTopic("user", 1, 2);
        // The user moves one replica of "user" to the node of 1, 2 and 3 it lacks; it never catches up here.
        List<Integer> placed = api().topic("user").partition(0).replicas();
        int lacking = List.of(1, 2, 3).stream().filter(n -> !placed.contains(n)).findFirst().orElseThrow();
        List<Integer> userTarget = List.of(placed.getFirst(), lacking);
        AlterReassignmentsResponse answer = api().post(CoordinatorPaths.REASSIGNMENTS, new AlterReassignmentsRequest(
                        List.of(new AlterReassignmentsRequest.Target("user", 0, userTarget))))
                .expectStatus().isOk().expectBody(AlterReassignmentsResponse.class).returnResult().getResponseBody();
        assertThat(answer.partitions().getFirst().errorCode()).isNull();
        double startedBefore = startedMoves();

        nodes.start(4);

        // The followers catch up meanwhile, as a cluster's do: the user's move unbalanced nodes 1 to 3, and a move the
        // balancer starts among them before node 4 joined must end to free its slot.
        await("the balancer to start a move to node 4").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    assertThat(Followers.moving(api())).as("partitions moving at once, the user's included")
                            .isLessThanOrEqualTo(2);
                    Followers.catchUp(api(), nodes, "spread");
                    return Followers.targetReplicasOn(api(), 4) > 0;
                });
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!balanced() && Instant.now().isBefore(deadline)) {
            assertThat(Followers.moving(api())).as("partitions moving at once, the user's included")
                    .isLessThanOrEqualTo(2);
            assertThat(api().topic("user").partition(0).targetReplicas()).as("the user's move").isEqualTo(userTarget);
            Followers.catchUp(api(), nodes, "spread");
            sleep(Duration.ofMillis(200));
        }
        assertThat(balanced()).as("replica counts within one, node 4 included: %s", counts()).isTrue();
        assertThat(api().topic("user").partition(0).targetReplicas()).isEqualTo(userTarget);
        assertThat(startedMoves() - startedBefore).isPositive();
    }

    /** Replica counts (where moves go) within one of each other, with nothing of "spread" still moving. */
    private boolean balanced() {
        List<Long> counts = counts();
        boolean spreadMoving = api().topic("spread").partitions().stream().anyMatch(PartitionState::isReassigning);
        return !spreadMoving && Collections.max(counts) - Collections.min(counts) <= 1;
    }

    private List<Long> counts() {
        return List.of(1, 2, 3, 4).stream().map(node -> Followers.targetReplicasOn(api(), node)).toList();
    }

    private double startedMoves() {
        return meters.find("sluice.coordinator.balancer.moves.started").counters().stream()
                .mapToDouble(c -> c.count()).sum();
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
