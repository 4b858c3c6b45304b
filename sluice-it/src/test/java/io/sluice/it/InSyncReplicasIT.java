package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.it.PartitionApi.Consumed;
import io.sluice.it.PartitionApi.ProduceResult;
import io.sluice.protocol.TopicPartition;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ISR as acks=all sees it: a follower that stops fetching leaves it (so writes go on while min.insync.replicas
 * still holds) and comes back once caught up; below min.insync.replicas, acks=all writes are refused untouched.
 */
@ExtendWith(ClusterExtension.class)
class InSyncReplicasIT {

    private static final String ISR_SHRINKS = "sluice_partition_isr_shrinks_total";
    private static final String ISR_EXPANDS = "sluice_partition_isr_expands_total";

    private static TestCluster cluster;
    private static PartitionApi api;

    @BeforeAll
    static void cluster(TestCluster shared) {
        cluster = shared;
        api = shared.api();
    }

    /**
     * A follower frozen with SIGSTOP is dropped from the ISR by its leader after lag time max; acks=all writes with
     * min.insync.replicas=2 then succeed on the other two; after SIGCONT the follower catches up and rejoins.
     */
    @Test
    void pausedFollowerLeavesTheIsrWhileAcksAllContinuesAndRejoinsAfterResume() {
        TopicPartition tp = new TopicPartition("paused-follower", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState state = cluster.awaitWritable(tp);
        int leader = state.leader();
        int paused = state.replicas().stream().filter(r -> r != leader).findFirst().orElseThrow();
        Map<Long, String> acked = new TreeMap<>();
        double shrinksBefore = api.metric(leader, ISR_SHRINKS);
        double expandsBefore = api.metric(leader, ISR_EXPANDS);

        cluster.pause(paused);
        long pausedAt = System.nanoTime();
        PartitionState shrunk;
        try {
            // The first write waits for the frozen follower until the leader gives up on it.
            produce(tp, state, "while-paused-0", acked);
            Duration firstAck = Figures.since(pausedAt);
            shrunk = cluster.awaitPartition(tp, "ISR without node " + paused, Duration.ofSeconds(10),
                    s -> !s.isr().contains(paused));
            Figures.report("paused-follower: first acks=all write after SIGSTOP of node %d acknowledged after %s "
                    + "(lag time max %s)", paused, Figures.seconds(firstAck), Figures.seconds(TestCluster.LAG_TIME_MAX));
            assertThat(shrunk.leader()).isEqualTo(leader);
            assertThat(shrunk.isr()).containsExactlyInAnyOrderElementsOf(
                    state.replicas().stream().filter(r -> r != paused).toList());
            assertThat(api.metric(leader, ISR_SHRINKS)).as("the leader shrank the ISR, not the coordinator's session "
                    + "expiry").isGreaterThan(shrinksBefore);

            for (int i = 1; i <= 20; i++) {
                produce(tp, shrunk, "while-paused-" + i, acked);
            }
        } finally {
            cluster.resume(paused);
        }
        long resumedAt = System.nanoTime();

        PartitionState rejoined = cluster.awaitPartition(tp, "node " + paused + " back in the ISR",
                Duration.ofSeconds(30), s -> s.isr().contains(paused));
        Figures.report("paused-follower: node %d rejoined the ISR %s after SIGCONT", paused,
                Figures.seconds(Figures.since(resumedAt)));
        assertThat(rejoined.isr()).containsExactlyInAnyOrderElementsOf(state.replicas());
        assertThat(rejoined.leader()).isEqualTo(leader);
        assertThat(api.metric(leader, ISR_EXPANDS)).as("the leader took it back").isGreaterThan(expandsBefore);

        for (int i = 0; i < 5; i++) {
            produce(tp, rejoined, "after-resume-" + i, acked);
        }
        cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));
        List<Consumed> consumed = cluster.readFromLeader(tp);
        acked.forEach((offset, value) ->
                assertThat(consumed.get(offset.intValue()).value()).as("record at offset %d", offset).isEqualTo(value));
    }

    /**
     * With both followers down, the ISR is the leader alone: an acks=all write to a topic with
     * min.insync.replicas=2 is refused with NOT_ENOUGH_REPLICAS and nothing is appended; acks=1 is still taken.
     */
    @Test
    void acksAllBelowMinInsyncReplicasIsRefusedAndAppendsNothing() {
        TopicPartition tp = new TopicPartition("min-insync", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState state = cluster.awaitWritable(tp);
        int leader = state.leader();
        List<Integer> followers = state.replicas().stream().filter(r -> r != leader).toList();
        Map<Long, String> acked = new TreeMap<>();
        for (int i = 0; i < 5; i++) {
            produce(tp, state, "before-" + i, acked);
        }

        followers.forEach(cluster::kill);
        PartitionState alone = cluster.awaitPartition(tp, "ISR of the leader alone", Duration.ofSeconds(20),
                s -> s.isr().equals(List.of(leader)));
        assertThat(alone.leader()).isEqualTo(leader);
        // The coordinator drops dead nodes from the ISR itself, and the leader may learn of it a moment later (a
        // write in between is appended, then answered NOT_ENOUGH_REPLICAS_AFTER_APPEND). The barrier: a topic made
        // after the shrink, on the one live node, is written there only once the leader has applied that later
        // metadata, so it knows its ISR by then.
        TestCluster.await("the followers dead at the coordinator", Duration.ofSeconds(20), () -> cluster.nodes()
                .stream().filter(node -> followers.contains(node.id()))
                .allMatch(node -> node.status() == NodeStatus.DEAD) ? Boolean.TRUE : null);
        TopicPartition barrier = new TopicPartition("min-insync-barrier", 0);
        cluster.createTopic(barrier.topic(), 1, 1, Map.of());
        assertThat(cluster.awaitWritable(barrier).leader()).as("the barrier topic's leader").isEqualTo(leader);
        long highWatermark = api.listOffset(leader, tp, -1);
        FetchedPartition before = api.fetch(leader, tp, highWatermark, 1 << 20, 0);
        long filesEnd = ReplicaFiles.logEndOffset(ReplicaFiles.batches(cluster.replicaDir(leader, tp)));

        ProduceResult refused = api.produce(leader, tp, alone.leaderEpoch(), Batches.of("refused"), "all", 5_000);

        assertThat(refused.errorCode()).as("%s", refused).isEqualTo("NOT_ENOUGH_REPLICAS");
        FetchedPartition after = api.fetch(leader, tp, highWatermark, 1 << 20, 0);
        assertThat(after.logEndOffset()).as("the leader's log end").isEqualTo(before.logEndOffset())
                .isEqualTo(highWatermark);
        assertThat(api.listOffset(leader, tp, -1)).as("list-offsets latest").isEqualTo(highWatermark);
        assertThat(ReplicaFiles.logEndOffset(ReplicaFiles.batches(cluster.replicaDir(leader, tp))))
                .as("the leader's files").isEqualTo(filesEnd);

        ProduceResult leaderOnly = api.produce(leader, tp, alone.leaderEpoch(), Batches.of("acks-1"), "1", 5_000);
        assertThat(leaderOnly.ok()).as("acks=1 does not need the ISR: %s", leaderOnly).isTrue();
        assertThat(leaderOnly.baseOffset()).isEqualTo(highWatermark);

        long restartedAt = System.nanoTime();
        cluster.start(followers.getFirst());
        PartitionState two = cluster.awaitPartition(tp, "node " + followers.getFirst() + " back in the ISR",
                Duration.ofSeconds(30), s -> s.isr().contains(followers.getFirst()));
        Figures.report("min-insync: node %d was back in the ISR %s after its restart began", followers.getFirst(),
                Figures.seconds(Figures.since(restartedAt)));
        produce(tp, two, "after-" + 0, acked);
        cluster.start(followers.getLast());
        cluster.awaitPartition(tp, "all replicas in the ISR", Duration.ofSeconds(30),
                s -> s.isr().size() == s.replicas().size());
        cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));
        List<Consumed> consumed = cluster.readFromLeader(tp);
        assertThat(consumed).extracting(Consumed::value).doesNotContain("refused").contains("acks-1");
        acked.forEach((offset, value) ->
                assertThat(consumed.get(offset.intValue()).value()).as("record at offset %d", offset).isEqualTo(value));
    }

    /**
     * An acks=all write taken while the ISR met min.insync.replicas=2, whose ISR then shrank to the leader alone
     * before the write was committed, is answered NOT_ENOUGH_REPLICAS_AFTER_APPEND: the leader is its only copy, so
     * it must not be acknowledged as durable (it stays in the log; a retry may duplicate it).
     */
    @Test
    void acksAllWriteWhoseIsrFallsBelowMinInsyncReplicasBeforeCommitIsNotAcknowledged() {
        TopicPartition tp = new TopicPartition("isr-falls-after-append", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState state = cluster.awaitWritable(tp);
        int leader = state.leader();
        List<Integer> followers = state.replicas().stream().filter(r -> r != leader).toList();
        Map<Long, String> acked = new TreeMap<>();

        ProduceResult lastCopy;
        try {
            cluster.pause(followers.getLast());
            produce(tp, state, "two-copies", acked);
            PartitionState two = cluster.awaitPartition(tp, "ISR of two", Duration.ofSeconds(10),
                    s -> s.isr().size() == 2);

            cluster.pause(followers.getFirst());
            lastCopy = api.produce(leader, tp, two.leaderEpoch(), Batches.of("one-copy"), "all", 15_000);
            assertThat(cluster.partition(tp).isr()).as("the ISR when the write was answered").containsExactly(leader);
        } finally {
            followers.forEach(cluster::resume);
        }

        assertThat(lastCopy.errorCode()).as("%s", lastCopy).isEqualTo("NOT_ENOUGH_REPLICAS_AFTER_APPEND");
        assertThat(lastCopy.retriable()).isTrue();
        cluster.awaitPartition(tp, "all replicas back in the ISR", Duration.ofSeconds(30),
                s -> s.isr().size() == s.replicas().size());
        cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));
    }

    /**
     * One acks=all write of one record that must be acknowledged. NOT_ENOUGH_REPLICAS (refused before the append, so
     * nothing was written) is tried again for up to 30 s: on a loaded machine the follower that is not paused can
     * fall behind for longer than lag time max, leave the ISR and come back.
     */
    private static void produce(TopicPartition tp, PartitionState state, String value, Map<Long, String> acked) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        ProduceResult result = api.produce(state.leader(), tp, state.leaderEpoch(), Batches.of(value), "all", 10_000);
        while ("NOT_ENOUGH_REPLICAS".equals(result.errorCode()) && System.nanoTime() < deadline) {
            System.out.println("acks=all write of " + value + " refused (" + result.message() + "); trying again");
            Waits.sleep(Duration.ofMillis(200));
            result = api.produce(state.leader(), tp, state.leaderEpoch(), Batches.of(value), "all", 10_000);
        }
        assertThat(result.ok()).as("acks=all write of %s: %s", value, result).isTrue();
        assertThat(acked.put(result.baseOffset(), value)).as("offset %d acknowledged twice", result.baseOffset())
                .isNull();
    }
}
