package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.it.PartitionApi.Consumed;
import io.sluice.it.PartitionApi.ProduceResult;
import io.sluice.it.ReplicaFiles.StoredBatch;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a consumer may see of a replicated partition: everything acknowledged with acks=all is on every in-sync
 * replica, batch for batch; nothing above the high watermark is served, however long it sits in the leader's log.
 */
@ExtendWith(ClusterExtension.class)
class CommittedRecordsIT {

    private static TestCluster cluster;
    private static PartitionApi api;

    @BeforeAll
    static void cluster(TestCluster shared) {
        cluster = shared;
        api = shared.api();
    }

    /** Every record acknowledged with acks=all is readable from the leader and stored identically on all three. */
    @Test
    void acksAllRecordsAreReadableFromTheLeaderAndIdenticalInEveryReplicasFiles() {
        TopicPartition tp = new TopicPartition("committed", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of("min.insync.replicas", "2"));
        PartitionState state = cluster.awaitWritable(tp);

        Map<Long, String> acked = new TreeMap<>();
        List<ProduceResult> results = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
            int batch = b;
            List<String> values = IntStream.range(0, 5).mapToObj(i -> "committed-" + batch + "-" + i).toList();
            ProduceResult result = api.produce(state.leader(), tp, state.leaderEpoch(), Batches.of(values), "all",
                    10_000);
            assertThat(result.ok()).as("acks=all produce %d: %s", b, result).isTrue();
            results.add(result);
            for (int i = 0; i < values.size(); i++) {
                assertThat(acked.put(result.baseOffset() + i, values.get(i))).as("offset acknowledged twice").isNull();
            }
        }

        // An acknowledgement means every in-sync follower had fetched past the batch: its files hold it right now.
        // (Replicas out of the ISR, if the machine was too slow for one, are checked once they have caught up.)
        PartitionState after = cluster.partition(tp);
        assertThat(after.leader()).isEqualTo(state.leader());
        List<StoredBatch> leaderFiles = ReplicaFiles.batches(cluster.replicaDir(state.leader(), tp));
        for (int node : after.isr()) {
            List<StoredBatch> files = ReplicaFiles.batches(cluster.replicaDir(node, tp));
            for (ProduceResult result : results) {
                StoredBatch onLeader = batchAt(leaderFiles, result.baseOffset());
                assertThat(onLeader.lastOffset()).isEqualTo(result.lastOffset());
                assertThat(batchAt(files, result.baseOffset())).as("node %d's copy of the batch at %d", node,
                        result.baseOffset()).isEqualTo(onLeader);
            }
        }

        List<Consumed> consumed = api.readAll(state.leader(), tp);
        assertThat(consumed).extracting(Consumed::offset)
                .as("offsets from the log start, without gaps")
                .containsExactlyElementsOf(IntStream.range(0, consumed.size()).mapToObj(i -> (long) i).toList());
        acked.forEach((offset, value) ->
                assertThat(consumed.get(offset.intValue()).value()).as("record at offset %d", offset).isEqualTo(value));

        List<StoredBatch> replicas = cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));
        assertThat(ReplicaFiles.logEndOffset(replicas)).isEqualTo(consumed.size());
    }

    /**
     * With both followers frozen, an acks=1 write is in the leader's log but above the high watermark: consumers do
     * not get it. Once the followers run again and fetch it, the high watermark passes it and consumers do.
     */
    @Test
    void recordsAboveTheHighWatermarkAreNotServedUntilTheFollowersHaveThem() {
        TopicPartition tp = new TopicPartition("uncommitted", 0);
        cluster.createTopic(tp.topic(), 1, 3, Map.of());
        PartitionState state = cluster.awaitWritable(tp);
        int leader = state.leader();
        List<Integer> followers = state.replicas().stream().filter(r -> r != leader).toList();
        long committedEnd = api.listOffset(leader, tp, -1);
        List<String> values = List.of("uncommitted-0", "uncommitted-1", "uncommitted-2");

        followers.forEach(cluster::pause);
        long pausedAt = System.nanoTime();
        ProduceResult written;
        FetchedPartition read;
        long latest;
        try {
            written = api.produce(leader, tp, state.leaderEpoch(), Batches.of(values), "1", 5_000);
            read = api.fetch(leader, tp, committedEnd, 1 << 20, 0);
            latest = api.listOffset(leader, tp, -1);
            // Past lag time max the leader would rightly drop the frozen followers and commit alone.
            assertThat(Figures.since(pausedAt)).as("checked before the ISR could shrink")
                    .isLessThan(TestCluster.LAG_TIME_MAX);
        } finally {
            followers.forEach(cluster::resume);
        }

        assertThat(written.ok()).as("acks=1 produce: %s", written).isTrue();
        assertThat(written.baseOffset()).isEqualTo(committedEnd);
        assertThat(read.error()).isNull();
        assertThat(read.records().hasRemaining()).as("records above the high watermark served to a consumer").isFalse();
        assertThat(read.highWatermark()).isEqualTo(committedEnd);
        assertThat(read.logEndOffset()).as("the leader's log end").isEqualTo(written.lastOffset() + 1);
        assertThat(latest).as("list-offsets latest").isEqualTo(committedEnd);

        long resumedAt = System.nanoTime();
        List<Consumed> visible = TestCluster.await("the records to become visible", Duration.ofSeconds(20), () -> {
            List<Consumed> all = api.readAll(leader, tp);
            return all.size() > written.lastOffset() ? all : null;
        });
        Figures.report("uncommitted: records became visible %s after SIGCONT of the followers",
                Figures.seconds(Figures.since(resumedAt)));
        assertThat(visible.subList((int) committedEnd, visible.size())).extracting(Consumed::value)
                .containsExactlyElementsOf(values);
        cluster.awaitIdenticalReplicas(tp, Duration.ofSeconds(20));
    }

    private static StoredBatch batchAt(List<StoredBatch> batches, long baseOffset) {
        return batches.stream().filter(b -> b.baseOffset() == baseOffset).findFirst()
                .orElseThrow(() -> new AssertionError("no batch at offset " + baseOffset + " in " + batches.size()
                        + " batches"));
    }
}
