package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.ReplicaFiles.StoredBatch;
import io.sluice.it.ReplicaFiles.StoredRecord;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka's {@code shouldSurviveFastLeaderChange}, on real processes: three replicas, min.insync.replicas=2, an acks=all
 * load, and the leader killed and started again at once, five times in a row — each time back before its session
 * expires. Every return is a new incarnation: the coordinator fences the old one and moves leadership at a new epoch,
 * and the returning replica truncates to the new leader by epoch before it may rejoin the ISR. Leadership changes
 * faster than replicas settle, yet every acknowledged record must end up at its offset, and the replicas identical.
 */
@ExtendWith(ClusterExtension.class)
class FastLeaderChangeIT {

    private static TestCluster cluster;

    @BeforeAll
    static void cluster(TestCluster shared) {
        cluster = shared;
    }

    @Test
    void leadersKilledAndRestartedInQuickSuccessionLoseNoAcknowledgedRecord() throws Exception {
        TopicPartition tp = new TopicPartition("fast-leader-change", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        cluster.awaitWritable(tp);
        List<ProducerLoop.Ack> acks;
        try (ProducerLoop load = ProducerLoop.start(cluster, tp, "fast", 2, 3)) {
            load.awaitAcks(20, Duration.ofSeconds(30));
            for (int round = 0; round < 5; round++) {
                PartitionState before = cluster.partition(tp);
                cluster.kill(before.leader());
                cluster.start(before.leader());
                cluster.awaitPartition(tp, "a leader at an epoch after " + before.leaderEpoch(), Duration.ofSeconds(30),
                        p -> p.hasLeader() && p.leaderEpoch() > before.leaderEpoch());
                load.awaitAcks(load.ackCount() + 5, Duration.ofSeconds(30));
            }
            acks = load.acks();
        }
        cluster.awaitPartition(tp, "all replicas in sync", Duration.ofSeconds(60), p -> p.isr().size() == 3);
        List<StoredBatch> replicated = cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(60));

        Map<Long, String> stored = new HashMap<>();
        int leader = cluster.partition(tp).leader();
        for (StoredRecord record : ReplicaFiles.read(cluster.replicaDir(leader, tp), true).records()) {
            stored.put(record.offset(), record.value());
        }
        long records = 0;
        for (ProducerLoop.Ack ack : acks) {
            for (int i = 0; i < ack.values().size(); i++) {
                assertThat(stored.get(ack.baseOffset() + i)).as("acknowledged record at offset %d (leader epoch %d)",
                        ack.baseOffset() + i, ack.leaderEpoch()).isEqualTo(ack.values().get(i));
                records++;
            }
        }
        Figures.report("fast leader change: 5 kill-and-restart rounds, %d acknowledged records all in place, replicas "
                + "identical (%d batches)", records, replicated.size());
    }
}
