package io.sluice.coordinator.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.PartitionState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code election.preferred-leader-check-interval} set, the coordinator restores preferred leaders by itself once
 * they are back in sync. (A coordinator of its own, so it runs before the shared one exists and is closed after.)
 */
@Order(1)
@DirtiesContext
@TestPropertySource(properties = "sluice.coordinator.election.preferred-leader-check-interval=300ms")
class AutomaticPreferredLeaderElectionTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @AfterEach
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void whenThePreferredReplicaRejoinsTheIsrItLeadsAgainWithoutBeingAsked() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        api().createTopic("auto-prefs", 3, 3);
        PreferredLeaders.moveLeadershipAwayAndBack(api(), nodes, 1);
        PartitionState ledBy2 = api().topic("auto-prefs").partition(0);
        assertThat(ledBy2.leader()).isEqualTo(2);

        PartitionState inSync = PreferredLeaders.rejoinIsr(api(), nodes, "auto-prefs", ledBy2, 1);

        await("preferred leader restored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> api().topic("auto-prefs").partition(0).leader() == 1);
        assertThat(api().topic("auto-prefs").partition(0).leaderEpoch()).isEqualTo(inSync.leaderEpoch() + 1);
    }
}
