package io.sluice.coordinator.partition;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.protocol.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code POST /internal/elections/preferred} gives leadership back to each partition's preferred (first) replica, but
 * only once that replica is alive and back in the ISR (the leader adds it with AlterPartition).
 */
class PreferredLeaderElectionTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @AfterEach
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void whenThePreferredReplicaReturnsItLeadsAgainOnlyAfterRejoiningTheIsr() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        assertThat(api().createTopic("prefs", 3, 3).partition(0).replicas()).containsExactly(1, 2, 3);
        PreferredLeaders.moveLeadershipAwayAndBack(api(), nodes, 1);
        PartitionState ledBy2 = api().topic("prefs").partition(0);
        assertThat(ledBy2.leader()).isEqualTo(2);

        electPreferred("").expectBody().jsonPath("$.moved").isEqualTo(0);
        assertThat(api().topic("prefs").partition(0)).as("out of sync: no move").isEqualTo(ledBy2);

        PartitionState inSync = PreferredLeaders.rejoinIsr(api(), nodes, "prefs", ledBy2, 1);
        electPreferred("").expectBody().jsonPath("$.moved").isEqualTo(1);

        PartitionState restored = api().topic("prefs").partition(0);
        assertThat(restored.leader()).isEqualTo(1);
        assertThat(restored.isr()).containsExactly(1, 2, 3);
        assertThat(restored.leaderEpoch()).isEqualTo(inSync.leaderEpoch() + 1);
        assertThat(restored.partitionEpoch()).isEqualTo(inSync.partitionEpoch() + 1);
    }

    @Test
    void whenATopicIsNamedOnlyItsPartitionsMove() {
        nodes = newNodes();
        nodes.start(11, 12, 13);
        api().createTopic("named", 1, 3);
        api().createTopic("unnamed", 1, 3);
        PreferredLeaders.moveLeadershipAwayAndBack(api(), nodes, 11);
        PreferredLeaders.rejoinIsr(api(), nodes, "named", api().topic("named").partition(0), 11);
        PartitionState unnamed = PreferredLeaders.rejoinIsr(api(), nodes, "unnamed",
                api().topic("unnamed").partition(0), 11);

        electPreferred("?topic=named").expectBody().jsonPath("$.moved").isEqualTo(1);

        assertThat(api().topic("named").partition(0).leader()).isEqualTo(11);
        assertThat(api().topic("unnamed").partition(0)).isEqualTo(unnamed);
    }

    @Test
    void whenTheNamedTopicDoesNotExistShouldAnswerUnknownTopic() {
        expectProblem(api().post("/internal/elections/preferred?topic=missing", null), ErrorCode.UNKNOWN_TOPIC);
    }

    private WebTestClient.ResponseSpec electPreferred(String query) {
        return api().post("/internal/elections/preferred" + query, null).expectStatus().isOk();
    }
}
