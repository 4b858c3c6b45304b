package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.PartitionApi.Consumed;
import io.sluice.it.PartitionApi.ProduceResult;
import io.sluice.it.ReplicaFiles.StoredBatch;
import io.sluice.protocol.TopicPartition;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replicas survive their processes: a node restarted on its data directory serves the same log it had. */
@ExtendWith(ClusterExtension.class)
class RestartIT {

    private static TestCluster cluster;
    private static PartitionApi api;

    @BeforeAll
    static void cluster(TestCluster shared) {
        cluster = shared;
        api = shared.api();
    }

    /**
     * SIGKILL every partition service at once, start them all again: every acknowledged record is still there,
     * each replica kept its own segment file (recovered in place, not deleted and fetched again), and the
     * replicas are identical.
     */
    @Test
    void killingEveryNodeAndStartingThemAgainLosesNoAcknowledgedRecord() throws Exception {
        TopicPartition tp = new TopicPartition("restart-all", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState state = cluster.awaitWritable(tp);
        Map<Long, String> acked = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            String value = "before-restart-" + i;
            ProduceResult result = api.produce(state.leader(), tp, state.leaderEpoch(), Batches.of(value), "all",
                    10_000);
            assertThat(result.ok()).as("acks=all write of %s: %s", value, result).isTrue();
            acked.put(result.baseOffset(), value);
        }
        List<StoredBatch> before = cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));
        Map<Integer, Object> segmentFiles = new HashMap<>();
        for (int node : state.replicas()) {
            segmentFiles.put(node, fileKey(cluster, node, tp));
        }

        state.replicas().forEach(cluster::kill);
        Duration startup = cluster.startAll(state.replicas());
        PartitionState after = cluster.awaitWritable(tp);
        Figures.report("restart-all: three nodes killed, started again and writable in %s (leader node %d, epoch %d)",
                Figures.seconds(startup), after.leader(), after.leaderEpoch());

        for (int node : state.replicas()) {
            assertThat(fileKey(cluster, node, tp)).as("node %d's first segment is the file it had", node)
                    .isEqualTo(segmentFiles.get(node));
        }
        List<StoredBatch> replicas = cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));
        assertThat(replicas).startsWith(before.toArray(StoredBatch[]::new));
        List<Consumed> consumed = cluster.readFromLeader(tp);
        acked.forEach((offset, value) ->
                assertThat(consumed.get(offset.intValue()).value()).as("record at offset %d", offset).isEqualTo(value));
    }

    /** The identity (inode) of a replica's first segment file: it changes if the replica is deleted and re-created. */
    static Object fileKey(TestCluster cluster, int node, TopicPartition tp) throws java.io.IOException {
        return Files.readAttributes(ReplicaFiles.segmentFiles(cluster.replicaDir(node, tp)).getFirst(),
                BasicFileAttributes.class).fileKey();
    }
}
