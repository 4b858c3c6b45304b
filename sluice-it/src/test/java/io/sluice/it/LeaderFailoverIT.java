package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.it.PartitionApi.Consumed;
import io.sluice.it.PartitionApi.ProduceResult;
import io.sluice.it.ProducerLoop.Ack;
import io.sluice.it.ReplicaFiles.StoredBatch;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A leader crash under load: SIGKILL of the leader's process while producers write with acks=all. A new leader must
 * serve within seconds, no acknowledged record may be lost or moved, offsets stay contiguous, and the old leader,
 * restarted on its data, must cut the tail it wrote alone and end up with the same log as the others.
 */
@ExtendWith(ClusterExtension.class)
class LeaderFailoverIT {

    private static TestCluster cluster;
    private static PartitionApi api;

    @BeforeAll
    static void cluster(TestCluster shared) {
        cluster = shared;
        api = shared.api();
    }

    /**
     * Two producer threads write acks=all batches; the leader is killed with a batch in its log that no follower has
     * (both followers frozen while it was written, so the old leader's tail diverges for certain). The load follows
     * the metadata to the new leader, then back to the old one when it has caught up and the preferred leader is
     * restored. Afterwards every acknowledged record is at its acknowledged offset and all three logs are identical.
     */
    @Test
    void killingTheLeaderUnderAcksAllLoadLosesNoAcknowledgedRecordAndTheOldLeaderTruncatesItsTail() throws Exception {
        TopicPartition tp = new TopicPartition("failover", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState before = cluster.awaitWritable(tp);
        int oldLeader = before.leader();
        List<Integer> followers = before.replicas().stream().filter(r -> r != oldLeader).toList();

        List<StoredBatch> oldLeaderTail;
        Object oldLeaderSegment;
        PartitionState after;
        ProduceResult divergent;
        long killedAt;
        ProducerLoop load = ProducerLoop.start(cluster, tp, "load", 2, 5);
        try {
            load.awaitAcks(100, Duration.ofSeconds(30));

            // Frozen followers fetch nothing more; their fetches already waiting at the leader time out empty
            // (fetch max wait 500 ms) before the divergent batch is written.
            followers.forEach(cluster::pause);
            TestCluster.sleep(Duration.ofMillis(800));
            divergent = api.produce(oldLeader, tp, before.leaderEpoch(), Batches.of("divergent-0", "divergent-1"), "1",
                    5_000);
            cluster.kill(oldLeader);
            killedAt = System.nanoTime();
            followers.forEach(cluster::resume);
            assertThat(divergent.ok()).as("acks=1 write to the old leader: %s", divergent).isTrue();

            after = cluster.awaitPartition(tp, "a new leader", Duration.ofSeconds(20),
                    s -> s.hasLeader() && s.leader() != oldLeader && s.leaderEpoch() > before.leaderEpoch());
            Ack first = TestCluster.await("an acknowledgement from the new leader", Duration.ofSeconds(30),
                    () -> load.firstAckAfter(killedAt).orElse(null));
            Duration gap = Duration.ofNanos(first.ackedAtNanos() - killedAt);
            Figures.report("failover: node %d (epoch %d) acknowledged the first acks=all write %s after SIGKILL of "
                            + "leader node %d (session timeout %s)", first.leader(), first.leaderEpoch(),
                    Figures.seconds(gap), oldLeader, Figures.seconds(TestCluster.SESSION_TIMEOUT));
            assertThat(first.leader()).isEqualTo(after.leader());
            assertThat(gap).as("failover gap").isLessThan(Duration.ofSeconds(15));
            int acksAfterFailover = load.ackCount();
            load.awaitAcks(acksAfterFailover + 50, Duration.ofSeconds(30));

            // What the dead leader's files hold beyond what the new leader has: its divergent tail.
            List<StoredBatch> newLeaderFiles = ReplicaFiles.batches(cluster.replicaDir(after.leader(), tp));
            oldLeaderTail = ReplicaFiles.batches(cluster.replicaDir(oldLeader, tp)).stream()
                    .filter(batch -> !newLeaderFiles.contains(batch))
                    .toList();
            assertThat(oldLeaderTail).as("the old leader's divergent tail").isNotEmpty()
                    .anyMatch(batch -> batch.baseOffset() == divergent.baseOffset());

            oldLeaderSegment = RestartIT.fileKey(cluster, oldLeader, tp);
            Duration startup = cluster.start(oldLeader);
            long readyAt = System.nanoTime();
            cluster.awaitPartition(tp, "old leader " + oldLeader + " back in the ISR", Duration.ofSeconds(30),
                    s -> s.isr().contains(oldLeader));
            Figures.report("failover: old leader node %d started in %s, back in the ISR %s later (tail of %d batches "
                            + "cut)", oldLeader, Figures.seconds(startup), Figures.seconds(Figures.since(readyAt)),
                    oldLeaderTail.size());
            int acksBeforeReturn = load.ackCount();
            load.awaitAcks(acksBeforeReturn + 50, Duration.ofSeconds(30));
            PartitionState restored = cluster.awaitPartition(tp, "preferred leader " + oldLeader + " restored",
                    Duration.ofSeconds(20), s -> s.leader() == oldLeader);
            load.awaitAcks(load.ackCount() + 50, Duration.ofSeconds(30));
            Figures.report("failover: %d batches (%d records) acknowledged; retries %s; epochs %d -> %d -> %d",
                    load.ackCount(), load.ackedRecords(), load.retries(), before.leaderEpoch(), after.leaderEpoch(),
                    restored.leaderEpoch());
        } finally {
            load.close();
        }
        assertThat(load.failure()).isEmpty();

        long quietAt = System.nanoTime();
        List<StoredBatch> replicas = cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(30));
        Figures.report("failover: replica files identical %s after the load stopped (%d batches)",
                Figures.seconds(Figures.since(quietAt)), replicas.size());
        assertThat(replicas).as("the divergent tail is gone from every replica").doesNotContainAnyElementsOf(oldLeaderTail);
        assertThat(RestartIT.fileKey(cluster, oldLeader, tp)).as("the old leader cut its own segment file")
                .isEqualTo(oldLeaderSegment);

        List<Consumed> consumed = cluster.readFromLeader(tp);
        assertThat(consumed).extracting(Consumed::offset).as("offsets from 0 without gaps")
                .containsExactlyElementsOf(IntStream.range(0, consumed.size()).mapToObj(i -> (long) i).toList());
        assertThat(ReplicaFiles.logEndOffset(replicas)).as("high watermark = every replica's log end")
                .isEqualTo(consumed.size());
        assertThat(consumed).extracting(Consumed::value).doesNotContain("divergent-0", "divergent-1");
        assertEveryAcknowledgedRecordIsAtItsOffset(load, consumed);
    }

    /**
     * A leader frozen (SIGSTOP) with an acks=all write pending is replaced while frozen. When it runs again it is a
     * follower: it cuts that write from its log and copies the new leader's records into the same offsets, so its
     * high watermark passes the write's offset. The pending write must fail then, not be acknowledged: it was never
     * committed, and the offset it would be acknowledged at holds another record.
     */
    @Test
    void replacedLeaderNeverAcknowledgesTheWriteItTruncated() throws Exception {
        TopicPartition tp = new TopicPartition("replaced-leader", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState before = cluster.awaitWritable(tp);
        int oldLeader = before.leader();
        List<Integer> followers = before.replicas().stream().filter(r -> r != oldLeader).toList();
        long committedEnd = api.listOffset(oldLeader, tp, -1);

        ProduceResult outcome;
        PartitionState after;
        ProduceResult replacement;
        followers.forEach(cluster::pause);
        try {
            TestCluster.sleep(Duration.ofMillis(800));
            CompletableFuture<ProduceResult> pending = CompletableFuture.supplyAsync(() -> api.produce(oldLeader, tp,
                    before.leaderEpoch(), Batches.of("stale-write"), "all", 60_000));
            TestCluster.await("the pending write in the leader's log", Duration.ofSeconds(5), () ->
                    ReplicaFiles.logEndOffset(ReplicaFiles.batches(cluster.replicaDir(oldLeader, tp))) > committedEnd
                            ? Boolean.TRUE : null);
            cluster.pause(oldLeader);
            followers.forEach(cluster::resume);

            after = cluster.awaitPartition(tp, "a leader other than the frozen node " + oldLeader,
                    Duration.ofSeconds(20), s -> s.hasLeader() && s.leader() != oldLeader);
            replacement = TestCluster.await("an acks=all write to the new leader", Duration.ofSeconds(20), () -> {
                ProduceResult result = api.produce(after.leader(), tp, after.leaderEpoch(),
                        Batches.of("replacement"), "all", 5_000);
                return result.ok() ? result : null;
            });
            assertThat(pending).as("the frozen leader answered").isNotDone();

            cluster.resume(oldLeader);
            outcome = pending.get(30, TimeUnit.SECONDS);
        } finally {
            followers.forEach(cluster::resume);
        }
        Figures.report("replaced-leader: the write pending on frozen node %d ended with %s; %s was written at "
                + "offset %d by node %d", oldLeader, outcome.ok() ? "an acknowledgement at offset "
                + outcome.baseOffset() : outcome.errorCode(), "the replacement", replacement.baseOffset(), after.leader());

        cluster.awaitPartition(tp, "node " + oldLeader + " back in the ISR", Duration.ofSeconds(30),
                s -> s.isr().contains(oldLeader));
        cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));
        List<Consumed> consumed = cluster.readFromLeader(tp);
        assertThat(consumed.get((int) replacement.baseOffset()).value()).isEqualTo("replacement");
        if (outcome.ok()) {
            assertThat(consumed.get((int) outcome.baseOffset()).value())
                    .as("the record at the offset the replaced leader acknowledged").isEqualTo("stale-write");
        }
        assertThat(outcome.retriable()).as("a failed write is worth retrying: %s", outcome).isTrue();
    }

    /**
     * SIGTERM of the leader under the same load: a controlled shutdown hands the leadership to an in-sync replica
     * before the process exits, so writes move on almost at once and nothing acknowledged is lost.
     */
    @Test
    void stoppingTheLeaderUnderAcksAllLoadHandsLeadershipOverWithoutLosingAcknowledgedRecords() {
        TopicPartition tp = new TopicPartition("controlled-shutdown", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState before = cluster.awaitWritable(tp);
        int oldLeader = before.leader();

        ProducerLoop load = ProducerLoop.start(cluster, tp, "load", 2, 5);
        try {
            load.awaitAcks(100, Duration.ofSeconds(30));
            long stoppedAt = System.nanoTime();
            cluster.stop(oldLeader);
            Duration stopping = Figures.since(stoppedAt);
            Ack first = TestCluster.await("an acknowledgement from another leader", Duration.ofSeconds(30),
                    () -> load.acks().stream().filter(ack -> ack.ackedAtNanos() - stoppedAt > 0)
                            .filter(ack -> ack.leader() != oldLeader).findFirst().orElse(null));
            Figures.report("controlled-shutdown: node %d (epoch %d) acknowledged the first write %s after SIGTERM of "
                            + "leader node %d, which took %s to exit", first.leader(), first.leaderEpoch(),
                    Figures.seconds(Duration.ofNanos(first.ackedAtNanos() - stoppedAt)), oldLeader,
                    Figures.seconds(stopping));
            load.awaitAcks(load.ackCount() + 50, Duration.ofSeconds(30));

            cluster.start(oldLeader);
            cluster.awaitPartition(tp, "preferred leader " + oldLeader + " restored", Duration.ofSeconds(30),
                    s -> s.leader() == oldLeader);
            load.awaitAcks(load.ackCount() + 50, Duration.ofSeconds(30));
            Figures.report("controlled-shutdown: %d batches acknowledged; retries %s", load.ackCount(),
                    load.retries());
        } finally {
            load.close();
        }
        assertThat(load.failure()).isEmpty();

        List<StoredBatch> replicas = cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(30));
        List<Consumed> consumed = cluster.readFromLeader(tp);
        assertThat(consumed).extracting(Consumed::offset).as("offsets from 0 without gaps")
                .containsExactlyElementsOf(IntStream.range(0, consumed.size()).mapToObj(i -> (long) i).toList());
        assertThat(ReplicaFiles.logEndOffset(replicas)).isEqualTo(consumed.size());
        assertEveryAcknowledgedRecordIsAtItsOffset(load, consumed);
    }

    /** Each acknowledged record is below the high watermark at the offset it was acknowledged at; none shares one. */
    private static void assertEveryAcknowledgedRecordIsAtItsOffset(ProducerLoop load, List<Consumed> consumed) {
        Map<Long, String> ackedAt = new HashMap<>();
        for (Ack ack : load.acks()) {
            assertThat(ack.lastOffset() - ack.baseOffset() + 1).isEqualTo(ack.values().size());
            for (int i = 0; i < ack.values().size(); i++) {
                long offset = ack.baseOffset() + i;
                String previous = ackedAt.put(offset, ack.values().get(i));
                assertThat(previous).as("offset %d acknowledged for %s and for %s", offset, previous,
                        ack.values().get(i)).isNull();
                assertThat(offset).as("acknowledged offset below the high watermark").isLessThan(consumed.size());
                assertThat(consumed.get((int) offset).value())
                        .as("record at offset %d, acknowledged by node %d at epoch %d", offset, ack.leader(),
                                ack.leaderEpoch())
                        .isEqualTo(ack.values().get(i));
            }
        }
    }
}
