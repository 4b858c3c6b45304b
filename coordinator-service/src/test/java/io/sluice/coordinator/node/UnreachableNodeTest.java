package io.sluice.coordinator.node;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A follower that cannot reach its leader reports it; the coordinator checks for itself, and a node whose address
 * refuses connections (its process is gone) is declared dead at once — its leaderships move within a second, not
 * after the session timeout. A node that answers stays as it is, whoever reports it.
 */
class UnreachableNodeTest extends CoordinatorTestSupport {

    @Test
    void aReportedNodeWhoseAddressRefusesConnectionsLosesItsLeadershipsAtOnce() {
        TestNodes nodes = nodesForThisTest();
        nodes.start(71, 72, 73);
        PartitionState before = api().createTopic("crashed-leader", 1, 3).partition(0);
        int leader = before.leader();

        long reported = System.nanoTime();
        api().post(CoordinatorPaths.unreachable(leader), null).expectStatus().isNoContent();

        PartitionState after = api().topic("crashed-leader").partition(0);
        assertThat(after.leader()).isNotEqualTo(leader);
        assertThat(after.leaderEpoch()).isEqualTo(before.leaderEpoch() + 1);
        assertThat(after.isr()).doesNotContain(leader);
        assertThat(Duration.ofNanos(System.nanoTime() - reported))
                .as("decided by the report, not by the 6 s session timeout").isLessThan(Duration.ofMillis(5000));
    }

    @Test
    void aReportAboutAnUnknownNodeIsRefusedAndChangesNothing() {
        api().awaitOnlyLive();
        long version = api().metadataVersion();

        expectProblem(api().post(CoordinatorPaths.unreachable(999), null), ErrorCode.UNKNOWN_NODE);

        assertThat(api().metadataVersion()).isEqualTo(version);
    }

    @Test
    void aReportedNodeThatAnswersStaysAlive() {
        TestNodes nodes = nodesForThisTest();
        nodes.register(81, baseUrl().toString(), null);
        nodes.resume(81);
        long version = api().metadataVersion();

        api().post(CoordinatorPaths.unreachable(81), null).expectStatus().isNoContent();

        assertThat(api().node(81).status()).isEqualTo(NodeStatus.ALIVE);
        assertThat(api().metadataVersion()).isEqualTo(version);
    }
}
