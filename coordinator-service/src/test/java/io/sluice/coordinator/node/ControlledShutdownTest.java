package io.sluice.coordinator.node;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static io.sluice.coordinator.testing.CoordinatorApi.topicRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Controlled shutdown (docs/coordinator.md, "What it decides"): when a node announces it is stopping, its leaderships
 * have moved to other in-sync replicas by the time the call answers, so the node can stop right after without an
 * unavailable partition.
 */
class ControlledShutdownTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @AfterEach
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void whenANodeShutsDownItsLeadershipsHaveMovedToInSyncReplicasWhenTheCallAnswers() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        TopicMetadata before = api().createTopic("orders", 6, 3);

        shutdown(1).expectStatus().isOk().expectBody()
                .jsonPath("$.node_id").isEqualTo(1)
                .jsonPath("$.remaining_leaderships").isEqualTo(0);

        TopicMetadata after = api().topic("orders");
        for (PartitionState was : before.partitions()) {
            PartitionState now = after.partition(was.partition());
            assertThat(now.isr()).doesNotContain(1);
            if (was.leader() == 1) {
                int nextInSync = was.replicas().stream().filter(r -> r != 1 && was.isr().contains(r)).findFirst().orElseThrow();
                assertThat(now.leader()).isEqualTo(nextInSync);
                assertThat(now.leaderEpoch()).isEqualTo(was.leaderEpoch() + 1);
            } else {
                assertThat(now.leader()).isEqualTo(was.leader());
                assertThat(now.leaderEpoch()).isEqualTo(was.leaderEpoch());
            }
        }
        assertThat(api().node(1).status()).isEqualTo(NodeStatus.SHUTTING_DOWN);

        nodes.silence(1);
        api().awaitNode(1, NodeStatus.DEAD);
        assertThat(api().topic("orders")).as("its death changes nothing more").isEqualTo(after);
    }

    @Test
    void whenNoOtherReplicaIsInSyncTheNodeKeepsThatLeadershipAndSaysSo() {
        nodes = newNodes();
        nodes.start(11, 12, 13);
        PartitionState created = api().createTopic("alone", 1, 3).partition(0);
        int leader = created.leader();
        PartitionState alone = api().alterPartition("alone", 0, leader, 0, 0, List.of(leader))
                .expectStatus().isOk().expectBody(PartitionState.class).returnResult().getResponseBody();

        shutdown(leader).expectStatus().isOk().expectBody().jsonPath("$.remaining_leaderships").isEqualTo(1);

        assertThat(api().topic("alone").partition(0)).isEqualTo(alone);
    }

    @Test
    void whenANodeIsShuttingDownNewReplicasAreNotPlacedOnIt() {
        nodes = newNodes();
        nodes.start(21, 22, 23);

        shutdown(23).expectStatus().isOk();

        expectProblem(api().post("/internal/topics", topicRequest(
                "needs-three", 1, 3, Map.of())), ErrorCode.INVALID_REPLICATION_FACTOR);
        assertThat(api().createTopic("fits-two", 4, 2).partitions())
                .allSatisfy(p -> assertThat(p.replicas()).containsExactlyInAnyOrder(21, 22));
    }

    @Test
    void whenAnUnknownNodeShutsDownShouldAnswerUnknownNode() {
        expectProblem(shutdown(99), ErrorCode.UNKNOWN_NODE);
    }

    private WebTestClient.ResponseSpec shutdown(int node) {
        return api().post("/internal/nodes/" + node + "/shutdown", null);
    }
}
