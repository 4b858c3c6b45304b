package io.sluice.partition.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchRequest;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer's read at a follower (fetch from the closest replica, KIP-392): served below the follower's own high
 * watermark, never above it, a long poll woken when that high watermark moves; a read that asks for the leader is
 * refused there.
 */
class FollowerReadTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dataDir;
    LeaderNode node;
    PartitionLog log;

    @BeforeEach
    void followAPartitionThatNodeTwoLeads() throws IOException {
        PartitionState state = new PartitionState(0, List.of(2, 1), 2, List.of(2, 1), 4, 1);
        node = new LeaderNode(dataDir, 2, new TopicMetadata(TP.topic(), "id-1", 1, Map.of(), List.of(state)));
        log = node.logs.log(TP).orElseThrow();
        for (String value : List.of("a", "b", "c")) {
            log.appendAsLeader(record(value), 4);
        }
        log.updateHighWatermark(2); // what the leader last said: offset 2 is not committed yet
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    @Test
    void aFollowerServesOnlyWhatIsBelowItsHighWatermark() throws Exception {
        PartitionRead read = node.fetches.read(request(0, 0), true).block().getFirst();

        assertThat(read.error()).isNull();
        assertThat(read.highWatermark()).isEqualTo(2);
        assertThat(values(read)).as("offset 2 is in the log but not below the high watermark")
                .containsExactly("a", "b");
    }

    @Test
    void aLongPollAtTheFollowerIsAnsweredWhenItsHighWatermarkMoves() throws Exception {
        CompletableFuture<List<PartitionRead>> poll = node.fetches.read(request(2, 10_000), true).toFuture();
        ParkedPolls.awaitParked(poll, log::highWatermarkWaiting);
        assertThat(poll).as("nothing below the high watermark past offset 2 yet").isNotDone();

        log.updateHighWatermark(3);

        assertThat(values(poll.get().getFirst())).containsExactly("c");
    }

    @Test
    void aReadThatAsksForTheLeaderIsRefusedAtAFollower() {
        PartitionRead read = node.fetches.read(request(0, 0), false).block().getFirst();

        assertThat(read.error()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(read.records().length()).isZero();
    }

    private static FetchRequest request(long offset, long maxWaitMs) {
        return new FetchRequest(maxWaitMs, 1, null, List.of(new FetchRequest.Partition(TP.topic(), TP.partition(),
                offset, null)));
    }

    private static ByteBuffer record(String value) {
        return RecordBatchBuilder.of(CompressionType.NONE).append(System.currentTimeMillis(), null,
                value.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static List<String> values(PartitionRead read) throws IOException {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : BufferBatchIterator.batches(read.records().load())) {
            for (Record record : batch.records()) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
