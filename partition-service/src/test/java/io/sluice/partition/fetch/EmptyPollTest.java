package io.sluice.partition.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long poll at the end of its log reads nothing, which needs no file: it waits without handing work to a log
 * thread, and only the read of what arrives takes one — none when an append on a log thread woke it, as it is read on
 * that thread once the append's task ends, and none when a leader's rise of the high watermark to the log end woke a
 * consumer, as what the rise made readable is answered on the thread that raised it. A poll with records to read, or an
 * error to report, reads on a log thread as before; and a consumer at the high watermark still sees nothing above it.
 */
class EmptyPollTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final int LEADER_EPOCH = 3;
    private static final int FOLLOWER = 2;

    @TempDir
    Path dataDir;
    LeaderNode node;
    PartitionLog log;

    @BeforeEach
    void leadAPartitionThatNodeTwoFollows() throws IOException {
        PartitionState state = new PartitionState(0, List.of(1, FOLLOWER), 1, List.of(1, FOLLOWER), LEADER_EPOCH, 1);
        node = new LeaderNode(dataDir, 2, new TopicMetadata(TP.topic(), "id-1", 1, Map.of(), List.of(state)));
        log = node.logs.log(TP).orElseThrow();
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    @Test
    void aFollowerAtTheLogEndWaitsWithoutALogThreadAndTheReadOfWhatArrivedTakesOne() throws Exception {
        append("a");
        assertThat(replicaFetch(0, 0).get(60, TimeUnit.SECONDS)).extracting(FetchedPartition::partition)
                .containsExactly(TP);
        assertThat(node.logScheduler.takeCount()).as("a read that finds a record: on a log thread").isOne();

        CompletableFuture<List<FetchedPartition>> poll = replicaFetch(1, 10_000);
        ParkedPolls.awaitParked(poll, log.logEndWatch()::waiting);
        assertThat(node.logScheduler.takeCount()).as("at the log end: nothing read on a log thread").isZero();

        append("b");

        List<FetchedPartition> answer = poll.get(60, TimeUnit.SECONDS);
        assertThat(values(answer.getFirst().records())).containsExactly("b");
        assertThat(node.logScheduler.takeCount()).as("the read of the new record").isOne();
    }

    @Test
    void aFollowerWokenByAnAppendOnALogThreadIsReadThereWithoutAHandOff() throws Exception {
        CompletableFuture<List<FetchedPartition>> poll = replicaFetch(0, 10_000);
        ParkedPolls.awaitParked(poll, log.logEndWatch()::waiting);

        node.logScheduler.schedule(() -> append("on a log thread"));

        assertThat(values(poll.get(60, TimeUnit.SECONDS).getFirst().records())).containsExactly("on a log thread");
        assertThat(node.logScheduler.takeCount()).as("the append's task only: the read followed it on its thread")
                .isOne();
    }

    @Test
    void aConsumerAtTheHighWatermarkWaitsWithoutALogThreadAndNeverSeesWhatIsAboveIt() throws Exception {
        append("a");
        append("b");
        log.updateHighWatermark(1); // offset 1 is in the log, not committed

        CompletableFuture<List<PartitionRead>> poll = node.fetches.read(consumerRequest(1, 10_000)).toFuture();
        ParkedPolls.awaitParked(poll, log::highWatermarkWaiting);
        assertThat(poll).as("nothing below the high watermark past offset 1").isNotDone();
        assertThat(node.logScheduler.takeCount()).isZero();

        log.updateHighWatermark(2);

        PartitionRead read = poll.get(60, TimeUnit.SECONDS).getFirst();
        assertThat(read.highWatermark()).isEqualTo(2);
        assertThat(values(read.records().load())).containsExactly("b");
        assertThat(node.logScheduler.takeCount()).isOne();
    }

    @Test
    void aConsumerWokenByTheLeaderRaisingTheHighWatermarkIsAnsweredOnThatThreadWithoutALogThread() throws Exception {
        append("a");
        append("b");
        append("c");
        log.maybeIncrementHighWatermark(1);

        CompletableFuture<List<PartitionRead>> poll = node.fetches.read(consumerRequest(1, 10_000)).toFuture();
        ParkedPolls.awaitParked(poll, log::highWatermarkWaiting);

        // On this thread, as a follower's fetch raises it on an event loop.
        log.maybeIncrementHighWatermark(3);

        assertThat(poll).as("answered on the thread that raised the high watermark").isDone();
        PartitionRead read = poll.get().getFirst();
        assertThat(read.highWatermark()).isEqualTo(3);
        assertThat(values(read.records().load())).containsExactly("b", "c");
        assertThat(node.logScheduler.takeCount()).as("no read on a log thread").isZero();

        CompletableFuture<List<PartitionRead>> next = node.fetches.read(consumerRequest(3, 10_000)).toFuture();
        ParkedPolls.awaitParked(next, log::highWatermarkWaiting);
        append("d");
        append("e");
        log.maybeIncrementHighWatermark(4); // short of the log end: where offset 4 lies needs a look in the file

        assertThat(values(next.get(60, TimeUnit.SECONDS).getFirst().records().load())).containsExactly("d");
        assertThat(node.logScheduler.takeCount()).as("a rise short of the log end: read on a log thread").isOne();
    }

    @Test
    void aPollThatAnswersAtOnceWithNothingCarriesTheLogsOffsets() {
        append("a");
        log.updateHighWatermark(1);

        PartitionRead read = node.fetches.read(consumerRequest(1, 0)).block().getFirst();

        assertThat(read.error()).isNull();
        assertThat(read.records().length()).isZero();
        assertThat(read.highWatermark()).isEqualTo(1);
        assertThat(read.lastStableOffset()).isEqualTo(1);
        assertThat(read.logStartOffset()).isZero();
        assertThat(node.logScheduler.takeCount()).isZero();
    }

    @Test
    void aPollWithAnErrorToReportIsAnsweredFromALogThreadAsBefore() {
        ReplicaFetchRequest fenced = new ReplicaFetchRequest(FOLLOWER, "follower", 10_000, 1 << 20,
                List.of(new ReplicaFetchRequest.Partition(TP.topic(), TP.partition(), 0, LEADER_EPOCH - 1, 0, 0)));

        List<FetchedPartition> answer = FetchServiceAccess.replicaFetch(node.fetches, fenced).block();

        assertThat(answer).extracting(FetchedPartition::error).containsExactly(ErrorCode.FENCED_LEADER_EPOCH);
        assertThat(node.logScheduler.takeCount()).isOne();
    }

    private CompletableFuture<List<FetchedPartition>> replicaFetch(long offset, long maxWaitMs) {
        return FetchServiceAccess.replicaFetch(node.fetches, new ReplicaFetchRequest(FOLLOWER, "follower", maxWaitMs,
                1 << 20, List.of(new ReplicaFetchRequest.Partition(TP.topic(), TP.partition(), offset, LEADER_EPOCH,
                        0, 0)))).toFuture();
    }

    private static FetchRequest consumerRequest(long offset, long maxWaitMs) {
        return new FetchRequest(maxWaitMs, 1, null, List.of(new FetchRequest.Partition(TP.topic(), TP.partition(),
                offset, null)));
    }

    private void append(String value) {
        log.appendAsLeader(RecordBatchBuilder.of(CompressionType.NONE).append(System.currentTimeMillis(), null,
                value.getBytes(StandardCharsets.UTF_8)).build(), LEADER_EPOCH);
    }

    private static List<String> values(ByteBuffer records) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : BufferBatchIterator.batches(records)) {
            for (Record record : batch.records()) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
