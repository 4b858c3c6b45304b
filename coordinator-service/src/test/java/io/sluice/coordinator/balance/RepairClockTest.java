package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.testing.TestProperties;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * A node's time dead counts from the death its record holds, so a coordinator that has just taken over (a balancer
 * that never saw the node alive or die) repairs a node lost before the failover once the repair delay has passed since
 * the death, and not before.
 */
class RepairClockTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private static final Duration REPAIR_AFTER = Duration.ofMinutes(10);

    @Test
    void aFreshBalancerRepairsANodeDeadLongerThanTheDelayByItsStoredDeathTime() {
        List<MovePlanner.Move> moves = freshBalancer().plan(view(NOW.minus(REPAIR_AFTER).minusSeconds(1)));

        assertThat(moves).singleElement().satisfies(move -> {
            assertThat(move.reason()).isEqualTo(MovePlanner.Reason.REPAIR);
            assertThat(move.to()).hasSize(3).doesNotContain(4).contains(1, 2);
        });
    }

    @Test
    void aFreshBalancerLeavesANodeDeadShorterThanTheDelayAlone() {
        assertThat(freshBalancer().plan(view(NOW.minus(REPAIR_AFTER).plusSeconds(1)))).isEmpty();
    }

    @Test
    void aNodeAliveAgainForgetsWhenItDied() {
        NodeInfo dead = new NodeInfo(4, "http://127.0.0.1:9504", null, NodeStatus.ALIVE, "a").deadSince(1_000);

        assertThat(dead.status()).isEqualTo(NodeStatus.DEAD);
        assertThat(dead.deadSinceMs()).isEqualTo(1_000);
        assertThat(dead.withStatus(NodeStatus.ALIVE).deadSinceMs()).isNull();
        assertThat(dead.withDecommissioning(true).deadSinceMs()).as("other changes keep it").isEqualTo(1_000);
    }

    private static Balancer freshBalancer() {
        CoordinatorProperties properties = TestProperties.coordinator(Duration.ofSeconds(5),
                new CoordinatorProperties.Balancer(true, Duration.ofSeconds(30), REPAIR_AFTER, 4, 1, 1, 0.1,
                        DataSize.ofGigabytes(1)));
        return new Balancer(null, null, new PartitionSizes(null), properties, Clock.fixed(NOW, ZoneOffset.UTC),
                new SimpleMeterRegistry());
    }

    /** Nodes 1 to 3 alive, node 4 dead since {@code died}; one partition on 1, 2 and 4, led by 1. */
    private static MetadataView view(Instant died) {
        List<NodeInfo> nodes = List.of(node(1), node(2), node(3),
                node(4).deadSince(died.toEpochMilli()));
        PartitionState partition = new PartitionState(0, List.of(1, 2, 4), 1, List.of(1, 2), 3, 5);
        TopicMetadata topic = new TopicMetadata("t", "t-id", 3, Map.of(), List.of(partition));
        return new MetadataView(new ClusterMetadata(7, null, nodes, List.of(topic)));
    }

    private static NodeInfo node(int id) {
        return new NodeInfo(id, "http://127.0.0.1:950" + id, null, NodeStatus.ALIVE, "i" + id);
    }
}
