package io.sluice.coordinator.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A new topic's replicas and leaders are spread evenly over the live nodes, and over racks when nodes name one. */
class ReplicaPlacementTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @AfterEach
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void whenThreeNodesAreLiveSixPartitionsWithThreeReplicasGiveEachNodeTwoLeadershipsAndSixReplicas() {
        nodes = newNodes();
        nodes.start(1, 2, 3);

        TopicMetadata topic = api().createTopic("orders", 6, 3);

        assertThat(leadersPerNode(topic)).isEqualTo(Map.of(1, 2L, 2, 2L, 3, 2L));
        assertThat(replicasPerNode(topic)).isEqualTo(Map.of(1, 6L, 2, 6L, 3, 6L));
        for (PartitionState p : topic.partitions()) {
            assertThat(p.replicas()).doesNotHaveDuplicates().hasSize(3);
            assertThat(p.leader()).as("preferred replica leads").isEqualTo(p.replicas().getFirst());
            assertThat(p.isr()).isEqualTo(p.replicas());
            assertThat(p.leaderEpoch()).isZero();
            assertThat(p.partitionEpoch()).isZero();
        }
        assertThat(api().topic("orders")).isEqualTo(topic);
    }

    @Test
    void whenNodesNameRacksEveryPartitionHasOneReplicaPerRack() {
        nodes = newNodes();
        Map<Integer, String> rackOf = Map.of(11, "a", 12, "a", 13, "b", 14, "b", 15, "c", 16, "c");
        rackOf.forEach((id, rack) -> nodes.start(id, rack));

        TopicMetadata topic = api().createTopic("racked", 6, 3);

        for (PartitionState p : topic.partitions()) {
            assertThat(p.replicas().stream().map(rackOf::get)).as("racks of partition %d", p.partition())
                    .containsExactlyInAnyOrder("a", "b", "c");
        }
        assertThat(leadersPerNode(topic)).containsOnlyKeys(rackOf.keySet()).allSatisfy((node, led) -> assertThat(led).isEqualTo(1L));
        assertThat(replicasPerNode(topic)).containsOnlyKeys(rackOf.keySet()).allSatisfy((node, held) -> assertThat(held).isEqualTo(3L));
    }

    @Test
    void whenTwoRacksServeThreeReplicasEachPartitionStillUsesBothRacks() {
        nodes = newNodes();
        Map<Integer, String> rackOf = Map.of(21, "east", 22, "east", 23, "west", 24, "west");
        rackOf.forEach((id, rack) -> nodes.start(id, rack));

        TopicMetadata topic = api().createTopic("two-racks", 4, 3);

        for (PartitionState p : topic.partitions()) {
            assertThat(p.replicas().stream().map(rackOf::get).distinct()).containsExactlyInAnyOrder("east", "west");
        }
        assertThat(leadersPerNode(topic)).containsOnlyKeys(rackOf.keySet()).allSatisfy((node, led) -> assertThat(led).isEqualTo(1L));
    }

    private static Map<Integer, Long> leadersPerNode(TopicMetadata topic) {
        return topic.partitions().stream().collect(Collectors.groupingBy(PartitionState::leader, Collectors.counting()));
    }

    private static Map<Integer, Long> replicasPerNode(TopicMetadata topic) {
        return topic.partitions().stream().flatMap(p -> p.replicas().stream())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
