package io.sluice.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaPlacerTest {

    @ParameterizedTest(name = "{0} nodes, {1} partitions, rf {2}")
    @CsvSource({"3, 3, 3", "3, 12, 2", "5, 50, 3", "4, 7, 1", "6, 60, 3"})
    void replicasAndLeadersAreSpreadEvenly(int nodeCount, int partitions, int rf) {
        List<List<Integer>> assignment = ReplicaPlacer.place(nodes(nodeCount, null), Map.of(), 0, partitions, rf);

        assertThat(assignment).hasSize(partitions).allSatisfy(replicas -> {
            assertThat(replicas).hasSize(rf);
            assertThat(new HashSet<>(replicas)).hasSize(rf);
        });
        Map<Integer, Integer> replicaCounts = new HashMap<>();
        Map<Integer, Integer> leaderCounts = new HashMap<>();
        assignment.forEach(replicas -> {
            replicas.forEach(r -> replicaCounts.merge(r, 1, Integer::sum));
            leaderCounts.merge(replicas.getFirst(), 1, Integer::sum);
        });
        assertThat(spread(replicaCounts, nodeCount)).isLessThanOrEqualTo(1);
        assertThat(spread(leaderCounts, nodeCount)).isLessThanOrEqualTo(1);
    }

    @Test
    void replicasOfAPartitionSpanRacksWhenThereAreEnough() {
        List<NodeInfo> nodes = List.of(node(1, "a"), node(2, "a"), node(3, "b"), node(4, "b"), node(5, "c"), node(6, "c"));
        Map<Integer, String> rackOf = new HashMap<>();
        nodes.forEach(n -> rackOf.put(n.id(), n.rack()));

        List<List<Integer>> assignment = ReplicaPlacer.place(nodes, Map.of(), 0, 30, 3);

        assertThat(assignment).allSatisfy(replicas ->
                assertThat(replicas.stream().map(rackOf::get).distinct()).hasSize(3));
    }

    @Test
    void newTopicsLeadFromTheLeastLoadedNode() {
        List<List<Integer>> assignment = ReplicaPlacer.place(nodes(3, null), Map.of(1, 4, 2, 4, 3, 1), 0, 1, 2);
        assertThat(assignment.getFirst().getFirst()).isEqualTo(3);
    }

    @Test
    void replicationFactorAboveLiveNodesIsRefused() {
        assertThatThrownBy(() -> ReplicaPlacer.place(nodes(2, null), Map.of(), 0, 1, 3))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REPLICATION_FACTOR))
                .hasMessageContaining("2 are alive");
    }

    private static int spread(Map<Integer, Integer> counts, int nodeCount) {
        List<Integer> values = IntStream.rangeClosed(1, nodeCount).mapToObj(n -> counts.getOrDefault(n, 0)).toList();
        return values.stream().max(Integer::compare).orElseThrow() - values.stream().min(Integer::compare).orElseThrow();
    }

    private static List<NodeInfo> nodes(int count, String rack) {
        return IntStream.rangeClosed(1, count).mapToObj(id -> node(id, rack)).toList();
    }

    private static NodeInfo node(int id, String rack) {
        return new NodeInfo(id, "http://127.0.0.1:" + (9500 + id), rack, NodeStatus.ALIVE);
    }
}
