package io.sluice.partition.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.log.LogCleaner;
import io.sluice.log.LogManager;
import io.sluice.log.PartitionLog;
import io.sluice.log.Throttler;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer's long poll at an offset the cleaner removed, in a partition where nothing is left between it and the
 * high watermark: it waits for the next record instead of answering empty at once (which a reader would repeat in a
 * busy loop), and returns that record when it comes.
 */
class CompactedFetchTest {

    private static final TopicPartition TP = new TopicPartition("users", 0);

    @TempDir
    Path dataDir;
    LeaderNode node;
    LogManager logs;
    FetchService fetches;

    @BeforeEach
    void leadACompactedTopic() throws IOException {
        PartitionState state = new PartitionState(0, List.of(1), 1, List.of(1), 3, 1);
        // A segment per append (each rolls the segment a millisecond old), tombstones removed at the second cleaning.
        Map<String, String> configs = Map.of("cleanup.policy", "compact", "segment.ms", "1",
                "delete.retention.ms", "0", "min.cleanable.dirty.ratio", "0");
        node = new LeaderNode(dataDir, 1, new TopicMetadata(TP.topic(), "id-1", 1, configs, List.of(state)));
        logs = node.logs;
        fetches = node.fetches;
    }

    @AfterEach
    void close() throws IOException {
        node.close();
    }

    @Test
    void aLongPollInAGapUpToTheHighWatermarkWaitsForTheNextRecord() throws Exception {
        PartitionLog log = logs.log(TP).orElseThrow();
        log.appendAsLeader(keyed("a", "1"), 3);
        Thread.sleep(5);
        log.appendAsLeader(keyed("a", null), 3);
        log.maybeIncrementHighWatermark(2);
        log.flush();
        Thread.sleep(5);
        log.appendAsLeader(keyed("z", "next"), 3); // offset 2, not committed yet
        assertThat(log.segmentCount()).isEqualTo(3);
        LogCleaner cleaner = new LogCleaner(logs, Clock.systemUTC(), 1 << 20, Throttler.unlimited());
        cleaner.cleanFilthiestLog(); // a=1 goes, the tombstone is stamped
        cleaner.cleanFilthiestLog(); // the tombstone goes: offsets 0 and 1 hold nothing
        assertThat(log.readForConsumer(0, 4096).records().isEmpty()).isTrue();

        CompletableFuture<List<FetchSection>> poll = fetches.fetch(new FetchRequest(10_000L, 1, null,
                List.of(new FetchRequest.Partition(TP.topic(), TP.partition(), 0, null)))).toFuture();
        ParkedPolls.awaitParked(poll, log::highWatermarkWaiting);
        assertThat(poll).as("still waiting: nothing below the high watermark to answer").isNotDone();

        log.maybeIncrementHighWatermark(3);
        List<FetchSection> sections = poll.get();
        assertThat(offsets(sections.getFirst())).containsExactly(2L);
    }

    private static ByteBuffer keyed(String key, String value) {
        return RecordBatchBuilder.of(CompressionType.NONE).append(System.currentTimeMillis(),
                key.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static List<Long> offsets(FetchSection section) throws IOException {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : BufferBatchIterator.batches(section.records().load())) {
            for (Record record : batch.records()) {
                offsets.add(record.offset());
            }
        }
        return offsets;
    }
}
