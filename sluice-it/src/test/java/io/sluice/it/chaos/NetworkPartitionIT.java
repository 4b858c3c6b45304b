package io.sluice.it.chaos;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.launcher.LocalCluster;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.Links;
import io.sluice.testing.SluiceCluster;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Network partitions between live processes (issue 47): every process stays up and keeps talking to some peers, but
 * the test's {@link Links} hold the bytes between others, as a firewall dropping packets would. Producers write with
 * acks=all through the gateway, and three kinds of readers read through it all along: a consumer tailing by offset, an
 * SSE stream of the partition from offset 0, and a consumer group of three polling members (each leaving and joining
 * again every few seconds, so that the partition changes hands under the partition). Afterwards the history is judged by the chaos run's {@link HistoryChecker}:
 * nothing acknowledged lost or moved, nothing a reader read (so nothing served below the high watermark) gone from the
 * final log, no offset below the group's final commit that no member was given, no two leaders in one epoch, replicas
 * identical; and the SSE stream must have delivered every offset once, in order, across its reconnections. How long
 * writes were unavailable is measured and printed, never asserted.
 *
 * <p>One cluster for the class (a coordinator, three partition services and a gateway, every internal link through a
 * proxy); each test has a topic of its own (one partition, replication factor 3) and heals every link after itself.
 * Each test is one {@link PartitionRun}. The active coordinator cut off from Redis needs a second coordinator and a
 * Redis behind a link: {@link CoordinatorFromRedisUnderLoadIT} makes it, with the same run.
 */
class NetworkPartitionIT {

    private static final int NODES = PartitionRun.NODES;
    /** A node silent this long is dead at the coordinator. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    /** A follower not caught up for this long leaves the ISR. */
    private static final Duration LAG_TIME_MAX = Duration.ofSeconds(2);

    private static SluiceCluster cluster;
    private static GatewayClient gateway;
    private static PartitionRun.Target target;

    @BeforeAll
    static void startCluster() {
        cluster = SluiceCluster.builder("partitions").nodes(NODES).withGateway().withLinks()
                .jvmOptions(SluiceCluster.testJvm("256m"))
                .args(ServiceKind.COORDINATOR,
                        "--sluice.coordinator.session-timeout=" + SESSION_TIMEOUT.toMillis() + "ms",
                        "--sluice.coordinator.heartbeat-interval=500ms",
                        // One coordinator, never cut from its own Redis here: a long lease costs nothing.
                        "--sluice.coordinator.lease.ttl=10s",
                        "--sluice.coordinator.lease.renew-interval=300ms",
                        "--sluice.coordinator.election.liveness-check-interval=100ms",
                        // Leadership stays where the partition put it, so each test sees one leader change at most.
                        "--sluice.coordinator.election.preferred-leader-check-interval=0s")
                .args(ServiceKind.PARTITION,
                        "--sluice.partition.replication.lag-time-max=" + LAG_TIME_MAX.toMillis() + "ms",
                        "--sluice.partition.replication.shutdown-timeout=5s",
                        "--spring.lifecycle.timeout-per-shutdown-phase=10s")
                .start();
        gateway = new GatewayClient(cluster.gatewayUrl());
        target = new PartitionRun.Target() {
            @Override
            public GatewayClient gateway() {
                return gateway;
            }

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
                    return cluster.coordinator().describeTopic(topic).partition(0);
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
                return List.of(); // one coordinator
            }
        };
    }

    @AfterEach
    void healLinks() {
        cluster.links().healAll();
        cluster.awaitNodesAlive(NODES, Duration.ofMinutes(1));
    }

    @AfterAll
    static void stopCluster() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * (a) The leader cannot reach the coordinator, nor the coordinator it; clients and followers still reach it. The
     * coordinator declares it dead after the session timeout and elects a follower; the old leader, which never hears
     * of it, may not acknowledge a write its followers (now following the new leader) do not hold: it cannot shrink
     * the ISR without the coordinator. With {@code min.insync.replicas=1} that rule alone stands between it and
     * acknowledging writes only it holds.
     */
    @ParameterizedTest(name = "min.insync.replicas={0}")
    @ValueSource(ints = {2, 1})
    void aLeaderCutOffFromTheCoordinatorLosesNoAcknowledgedRecord(int minInsyncReplicas) {
        PartitionRun run = new PartitionRun(target, "leader-vs-coordinator-" + minInsyncReplicas, minInsyncReplicas);
        run.execute(PartitionRun.Effect.LEADER_CHANGE,
                leader -> cluster.links().drop(SluiceCluster.service(leader), LocalCluster.COORDINATOR));
    }

    /**
     * (b) The leader cannot reach its followers, nor they it; both still reach the coordinator, and clients reach
     * the leader. The followers fall out of the ISR; with {@code min.insync.replicas=2} the leader must refuse acks=all
     * writes from then on rather than acknowledge them from its own copy.
     */
    @ParameterizedTest(name = "min.insync.replicas={0}")
    @ValueSource(ints = {2})
    void aLeaderCutOffFromItsFollowersLosesNoAcknowledgedRecord(int minInsyncReplicas) {
        PartitionRun run = new PartitionRun(target, "leader-vs-followers-" + minInsyncReplicas, minInsyncReplicas);
        run.execute(PartitionRun.Effect.ISR_SHRINK,
                leader -> cluster.links().isolate(SluiceCluster.service(leader), followersOf(leader)));
    }

    /**
     * (d) The gateway cannot reach the coordinator, nor it the gateway; everything else is whole. The gateway keeps
     * routing by the last metadata it has, so writes and reads go on as long as no leadership moves.
     */
    @ParameterizedTest(name = "min.insync.replicas={0}")
    @ValueSource(ints = {2})
    void aGatewayCutOffFromTheCoordinatorLosesNoAcknowledgedRecord(int minInsyncReplicas) {
        PartitionRun run = new PartitionRun(target, "gateway-vs-coordinator-" + minInsyncReplicas, minInsyncReplicas);
        run.execute(PartitionRun.Effect.NONE,
                leader -> cluster.links().drop(LocalCluster.GATEWAY, LocalCluster.COORDINATOR));
    }

    /**
     * (d') The gateway and the leader both cannot reach the coordinator: the coordinator moves the leadership to a
     * follower, and the gateway, which cannot learn it, keeps writing to the old leader, whose followers have left
     * it. The old leader may acknowledge none of those writes.
     */
    @ParameterizedTest(name = "min.insync.replicas={0}")
    @ValueSource(ints = {2, 1})
    void aGatewayThatSeesAnOldLeaderLosesNoAcknowledgedRecord(int minInsyncReplicas) {
        PartitionRun run = new PartitionRun(target, "gateway-sees-old-leader-" + minInsyncReplicas, minInsyncReplicas);
        run.execute(PartitionRun.Effect.LEADER_CHANGE, leader -> {
            cluster.links().drop(LocalCluster.GATEWAY, LocalCluster.COORDINATOR);
            cluster.links().drop(SluiceCluster.service(leader), LocalCluster.COORDINATOR);
        });
    }

    /**
     * (e) The cluster split in two: the leader and the gateway on one side, the coordinator and both followers on
     * the other. The majority side elects a new leader that no client reaches; the minority side's leader has
     * clients but no followers and no coordinator.
     */
    @ParameterizedTest(name = "min.insync.replicas={0}")
    @ValueSource(ints = {2})
    void aClusterSplitInTwoHalvesLosesNoAcknowledgedRecord(int minInsyncReplicas) {
        PartitionRun run = new PartitionRun(target, "split-in-two-" + minInsyncReplicas, minInsyncReplicas);
        run.execute(PartitionRun.Effect.LEADER_CHANGE, leader -> {
            List<String> majority = new ArrayList<>(followersOf(leader));
            majority.add(LocalCluster.COORDINATOR);
            for (String side : List.of(SluiceCluster.service(leader), LocalCluster.GATEWAY)) {
                cluster.links().isolate(side, majority);
            }
        });
    }

    private static List<String> followersOf(int leader) {
        List<String> followers = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            if (node != leader) {
                followers.add(SluiceCluster.service(node));
            }
        }
        return followers;
    }
}
