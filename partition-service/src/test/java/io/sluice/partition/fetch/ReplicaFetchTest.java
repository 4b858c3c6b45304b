package io.sluice.partition.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.log.PartitionLog;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * A leader's answer to its follower's fetch: only the partitions with news, in request order, and an idle round that
 * waits as one poll until any of its partitions grows.
 */
class ReplicaFetchTest {

    private static final int LEADER_EPOCH = 3;
    private static final int FOLLOWER = 2;
    private static final String FOLLOWER_INCARNATION = "follower-incarnation";

    @TempDir
    Path dataDir;
    LeaderNode node;
    FetchService fetches;

    @BeforeEach
    void leadThreePartitionsFollowedByNodeTwo() throws IOException {
        node = new LeaderNode(dataDir, 2, topic());
        fetches = node.fetches;
    }

    /** Three partitions led here, followed by node 2, both in the ISR. */
    private static TopicMetadata topic() {
        List<PartitionState> states = List.of(0, 1, 2).stream()
                .map(p -> new PartitionState(p, List.of(1, FOLLOWER), 1, List.of(1, FOLLOWER), LEADER_EPOCH, 1))
                .toList();
        return new TopicMetadata("orders", "id-1", 2, Map.of(), states);
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    @Test
    void theAnswerCarriesOnlyPartitionsWithRecordsOrANewHighWatermark() {
        append(0, "for the follower");
        append(1, "the follower has it");

        // 0: a record to send. 1: the follower holds offset 0 and, by fetching from 1, moves the high watermark to 1,
        // which it does not know yet. 2: empty, nothing new: left out.
        List<FetchedPartition> answer = fetch(0, partition(0, 0, 0), partition(1, 1, 0), partition(2, 0, 0));

        assertThat(answer).extracting(FetchedPartition::partition).containsExactly(tp(0), tp(1));
        assertThat(answer.get(0).records().remaining()).isPositive();
        assertThat(answer.get(1).records().remaining()).isZero();
        assertThat(answer.get(1).highWatermark()).isEqualTo(1);

        // Once the follower knows the high watermark, partition 1 has nothing to tell either.
        assertThat(fetch(0, partition(1, 1, 1), partition(2, 0, 0))).isEmpty();
        // A follower whose high watermark is ahead of this leader's hears the leader's.
        assertThat(fetch(0, partition(2, 0, 5))).extracting(FetchedPartition::highWatermark).containsExactly(0L);
    }

    @Test
    void aNewLogStartIsNewsForAFollowerThatStillReportsTheOldOne() {
        append(1, "a");
        append(1, "b");
        fetch(0, partition(1, 2, 0));
        node.logs.log(tp(1)).orElseThrow().deleteRecordsBefore(1);

        assertThat(fetch(0, partition(1, 2, 2))).extracting(FetchedPartition::logStartOffset).containsExactly(1L);
        assertThat(fetch(0, new ReplicaFetchRequest.Partition("orders", 1, 2, LEADER_EPOCH, 2, 1))).isEmpty();
    }

    @Test
    void anIdleRoundWaitsAsOnePollAndAnswersWithThePartitionThatGrew() throws Exception {
        PartitionLog third = node.logs.log(tp(2)).orElseThrow();
        CompletableFuture<List<FetchedPartition>> poll = FetchServiceAccess.replicaFetch(fetches,
                request(10_000, partition(0, 0, 0), partition(1, 0, 0), partition(2, 0, 0))).toFuture();
        ParkedPolls.awaitParked(poll, third.logEndWatch()::waiting);
        assertThat(poll).isNotDone();
        assertThat(third.logEndWatch().waiting()).as("one poll for the three partitions").isOne();

        append(2, "news");

        List<FetchedPartition> answer = poll.get(60, TimeUnit.SECONDS);
        assertThat(answer).extracting(FetchedPartition::partition).containsExactly(tp(2));
        assertThat(answer.getFirst().records().remaining()).isPositive();
        assertThat(third.logEndWatch().waiting()).isZero();
    }

    /**
     * A follower far behind on many partitions gets an answer of bounded size: each partition reads what is left of
     * the answer's budget, and only the first may go past it, by one batch, so the follower always moves on.
     */
    @Test
    void anAnswerToAFollowerStopsAtTheResponseBudgetAndTheFirstPartitionAlwaysGetsABatch() throws IOException {
        node.close();
        int batch = batchSize();
        node = budgeted(dataDir.resolve("budgeted"), DataSize.ofBytes(batch * 3L / 2));
        fetches = node.fetches;
        for (int p = 0; p < 3; p++) {
            append(p, "x".repeat(1000));
        }

        List<FetchedPartition> answer = fetch(0, partition(0, 0, 0), partition(1, 0, 0), partition(2, 0, 0));
        assertThat(answer).as("half a batch of budget left after partition 0: nothing for 1 and 2")
                .extracting(FetchedPartition::partition).containsExactly(tp(0));
        assertThat(answer.getFirst().records().remaining()).isEqualTo(batch);

        List<FetchedPartition> next = fetch(0, partition(1, 0, 0), partition(2, 0, 0));
        assertThat(next).as("the next round, starting at partition 1").extracting(FetchedPartition::partition)
                .containsExactly(tp(1));

        node.close();
        node = budgeted(dataDir.resolve("tiny"), DataSize.ofBytes(10));
        fetches = node.fetches;
        append(2, "y".repeat(1000));
        assertThat(fetch(0, partition(2, 0, 0)).getFirst().records().remaining())
                .as("a batch larger than the whole budget still goes, first").isEqualTo(batch);
    }

    /** The bytes of one appended batch of a 1000-byte value, as this test appends it. */
    private int batchSize() {
        return RecordBatchBuilder.of(CompressionType.NONE)
                .append(System.currentTimeMillis(), null, "x".repeat(1000).getBytes(StandardCharsets.UTF_8)).build()
                .remaining();
    }

    private LeaderNode budgeted(Path dir, DataSize budget) throws IOException {
        PartitionProperties defaults = TestPartitionProperties.of(1, dir);
        PartitionProperties.Replication replication = defaults.replication();
        return new LeaderNode(dir, LeaderNode.nodes(2), topic(), System::nanoTime,
                TestPartitionProperties.withReplication(defaults, new PartitionProperties.Replication(
                        replication.lagTimeMax(), replication.fetchMaxWait(), replication.fetchMaxBytes(),
                        replication.shutdownTimeout(), replication.moveThrottle(), replication.fetchStream(),
                        budget)));
    }

    private List<FetchedPartition> fetch(long maxWaitMs, ReplicaFetchRequest.Partition... partitions) {
        return FetchServiceAccess.replicaFetch(fetches, request(maxWaitMs, partitions)).block();
    }

    private static ReplicaFetchRequest request(long maxWaitMs, ReplicaFetchRequest.Partition... partitions) {
        return new ReplicaFetchRequest(FOLLOWER, FOLLOWER_INCARNATION, maxWaitMs, 1 << 20, List.of(partitions));
    }

    private static ReplicaFetchRequest.Partition partition(int partition, long fetchOffset, long highWatermark) {
        return new ReplicaFetchRequest.Partition("orders", partition, fetchOffset, LEADER_EPOCH, highWatermark, 0);
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("orders", partition);
    }

    private void append(int partition, String value) {
        node.replicas.partition(tp(partition)).orElseThrow().appendAsLeader(RecordBatchBuilder.of(CompressionType.NONE)
                .append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8)).build(),
                LEADER_EPOCH, false);
    }
}
