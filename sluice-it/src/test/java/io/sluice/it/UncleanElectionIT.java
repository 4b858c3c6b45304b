package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.ReplicaFiles.StoredBatch;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka's {@code logsShouldNotDivergeOnUncleanLeaderElections}, on real processes: two replicas, unclean election
 * allowed, and the two killed in turn under load so that each leads a while without the other — every round an
 * unclean election hands leadership to a replica that missed what the other wrote, in an epoch it never saw. Records
 * are lost (that is what unclean election means), but the logs must never diverge: after each return the follower
 * finds, epoch by epoch (KIP-279, asking again until both name an epoch they share), where it parts from the leader
 * and cuts there. At the end both replicas hold byte-identical batches.
 */
@ExtendWith(ClusterExtension.class)
class UncleanElectionIT {

    private static TestCluster cluster;

    @BeforeAll
    static void cluster(TestCluster shared) {
        cluster = shared;
    }

    @Test
    void alternatingUncleanElectionsUnderLoadLeaveIdenticalLogs() throws Exception {
        TopicPartition tp = new TopicPartition("unclean", 0);
        cluster.createTopic(tp.topic(), 1, 2, Map.of("unclean.leader.election.enable", "true",
                "min.insync.replicas", "1"));
        PartitionState state = cluster.awaitWritable(tp);
        List<Integer> replicas = state.replicas();
        try (ProducerLoop load = ProducerLoop.start(cluster, tp, "unclean", 1, 3)) {
            load.awaitAcks(20, Duration.ofSeconds(30));
            for (int round = 0; round < 3; round++) {
                int leader = cluster.partition(tp).leader();
                int other = replicas.get(0) == leader ? replicas.get(1) : replicas.get(0);
                // The other one stops first, so the leader writes alone; then the leader stops, and the other one,
                // brought back, can only be elected uncleanly: it missed the leader's last writes.
                cluster.kill(other);
                load.awaitAcks(load.ackCount() + 20, Duration.ofSeconds(30));
                cluster.kill(leader);
                cluster.start(other);
                cluster.awaitPartition(tp, "led by " + other + " after an unclean election", Duration.ofSeconds(60),
                        p -> p.leader() == other);
                load.awaitAcks(load.ackCount() + 20, Duration.ofSeconds(30));
                cluster.start(leader);
                cluster.awaitPartition(tp, "both replicas in sync", Duration.ofSeconds(60),
                        p -> p.isr().size() == 2);
            }
        }
        List<StoredBatch> replicated = cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(60));
        Figures.report("unclean elections: 3 rounds, replicas identical (%d batches, log end %d)", replicated.size(),
                ReplicaFiles.logEndOffset(replicated));
        assertThat(ReplicaFiles.logEndOffset(replicated)).isPositive();
    }
}
