package io.sluice.coordinator.node;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node whose log went offline (an I/O error) reports it; like Kafka with a failed log directory, the coordinator
 * moves that partition's leadership and takes the replica out of the ISR, while the node stays alive for the rest.
 */
class OfflineReplicasTest extends CoordinatorTestSupport {

    @Test
    void anOfflineReplicaLosesItsLeadershipAndLeavesTheIsrAndNothingElseChanges() {
        TestNodes nodes = nodesForThisTest();
        nodes.start(51, 52, 53);
        TopicMetadata before = api().createTopic("disk-failed", 3, 3);
        PartitionState failed = before.partition(0);
        int node = failed.leader();

        api().post(CoordinatorPaths.offlineReplicas(node), offline("disk-failed", 0)).expectStatus().isNoContent();

        TopicMetadata after = api().topic("disk-failed");
        PartitionState now = after.partition(0);
        assertThat(now.leader()).isNotEqualTo(node);
        assertThat(now.leaderEpoch()).isEqualTo(failed.leaderEpoch() + 1);
        assertThat(now.isr()).doesNotContain(node).hasSize(2);
        assertThat(after.partition(1)).isEqualTo(before.partition(1));
        assertThat(after.partition(2)).isEqualTo(before.partition(2));
        assertThat(api().node(node).status()).isEqualTo(NodeStatus.ALIVE);
    }

    @Test
    void whenTheOfflineReplicaIsTheLastInSyncOneThePartitionHasNoLeader() {
        TestNodes nodes = nodesForThisTest();
        nodes.start(61, 62);
        api().createTopic("last-copy", 1, 2);
        nodes.silence(62);
        api().awaitNode(62, NodeStatus.DEAD);
        PartitionState before = api().topic("last-copy").partition(0);
        assertThat(before.isr()).containsExactly(61);

        api().post(CoordinatorPaths.offlineReplicas(61), offline("last-copy", 0)).expectStatus().isNoContent();

        PartitionState now = api().topic("last-copy").partition(0);
        assertThat(now.hasLeader()).isFalse();
        assertThat(now.isr()).containsExactly(61);
        assertThat(now.leaderEpoch()).isEqualTo(before.leaderEpoch() + 1);
    }

    @Test
    void aReportFromAnUnknownNodeOrNamingNothingIsRefused() {
        api().awaitOnlyLive();
        long version = api().metadataVersion();

        expectProblem(api().post(CoordinatorPaths.offlineReplicas(999), offline("x", 0)), ErrorCode.UNKNOWN_NODE);
        expectProblem(api().post(CoordinatorPaths.offlineReplicas(51), Map.of("replicas", List.of())),
                ErrorCode.INVALID_REQUEST);

        assertThat(api().metadataVersion()).isEqualTo(version);
    }

    private static Map<String, Object> offline(String topic, int partition) {
        return Map.of("replicas", List.of(Map.of("topic", topic, "partition", partition)));
    }
}
