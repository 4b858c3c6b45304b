package io.sluice.it.chaos;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.Links;
import io.sluice.testing.Waits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * (c) The active coordinator cut off from Redis while producers, a tailing consumer, an SSE stream and a consumer
 * group work through the gateway (issue 47), the shape {@link NetworkPartitionIT} cannot make: it needs a second
 * coordinator to take the lease and a Redis reached through a link. On {@link ChaosCluster} (Redis, two coordinators,
 * three partition services and a gateway, every internal link through the test's proxies) the active coordinator's
 * link to Redis is dropped both ways for {@link PartitionRun#PARTITION}; everything else stays whole. The standby takes
 * the lease once it expires in Redis and must be the only one active; meanwhile the data plane goes on with the
 * metadata it has. {@link PartitionRun} judges the history (0 acknowledged lost, nothing read then gone, no group
 * offset skipped, every SSE offset once) and fails on any sample in which both coordinators answered active.
 */
class CoordinatorFromRedisUnderLoadIT {

    /** As {@link NetworkPartitionIT}'s: a node silent this long is dead at the coordinator. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration LAG_TIME_MAX = Duration.ofSeconds(2);

    @Test
    void anActiveCoordinatorCutOffFromRedisUnderLoadLosesNoAcknowledgedRecordAndNeverHasATwin() {
        ChaosSettings settings = new ChaosSettings(0, Duration.ZERO, 3, "", SESSION_TIMEOUT, LAG_TIME_MAX);
        try (ChaosCluster cluster = ChaosCluster.start("coordinator-from-redis", settings);
             GatewayClient gateway = new GatewayClient(cluster.gatewayUrl())) {
            String holder = cluster.awaitActiveCoordinator(Duration.ofSeconds(30));
            String standby = holder.equals(LocalCluster.COORDINATOR) ? ChaosCluster.COORDINATOR_B
                    : LocalCluster.COORDINATOR;
            Waits.await("every node alive at the coordinator", Duration.ofMinutes(1),
                    () -> cluster.nodes().stream().filter(node -> node.isAlive()).count() == ChaosCluster.NODES
                            ? Boolean.TRUE : null);
            PartitionRun run = new PartitionRun(new Target(cluster, gateway, holder, standby),
                    "coordinator-from-redis", 2);
            run.execute(PartitionRun.Effect.NONE, leader -> cluster.links().drop(holder, ChaosCluster.REDIS));
        }
    }

    /** The chaos cluster as a partition run sees it; the standby is asked first, then the lease's holder at the cut. */
    private record Target(ChaosCluster cluster, GatewayClient gateway, String holder, String standby)
            implements PartitionRun.Target {

        @Override
        public URI gatewayUrl() {
            return cluster.gatewayUrl();
        }

        @Override
        public Links links() {
            return cluster.links();
        }

        @Override
        public PartitionState state(String topic) {
            try {
                return cluster.topic(topic).partition(0);
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        public Path dataDir(int node) {
            return cluster.dataDir(node);
        }

        @Override
        public List<String> activeCoordinators() {
            // The standby first: active, and the holder active after it, means both were active at one moment (the
            // reverse order could straddle an honest hand-over).
            List<String> active = new ArrayList<>();
            if (cluster.isActive(standby)) {
                active.add(standby);
            }
            if (cluster.isActive(holder)) {
                active.addFirst(holder);
            }
            return active;
        }
    }
}
