package io.sluice.log;

import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Factories for compaction tests: keyed batches, a compacted log's config, a cleaner over one log, reading back. */
final class CompactedLogs {

    static final TopicPartition TP = new TopicPartition("users", 0);

    private CompactedLogs() {
    }

    /** Room for one small batch (under 120 bytes): every batch of the tests gets a segment of its own. */
    static final int ONE_BATCH_SEGMENT_BYTES = 120;

    /** Tiny segments (every batch its own), compact policy, cleanable at once. */
    static LogConfig config(long deleteRetentionMs) {
        return LogConfig.defaults().withSegmentBytes(ONE_BATCH_SEGMENT_BYTES).withSegmentIndexBytes(4096)
                .withIndexIntervalBytes(1).withCompaction(new CompactionConfig(CleanupPolicy.COMPACT, 0, 0,
                        Long.MAX_VALUE, deleteRetentionMs));
    }

    /** One record, key and value as text; a null value is a tombstone. */
    record Write(String key, String value) {
    }

    /** One uncompressed batch of keyed records at {@code timestamp}. */
    static ByteBuffer keyed(long timestamp, Write... writes) {
        return keyed(CompressionType.NONE, timestamp, writes);
    }

    static ByteBuffer keyed(CompressionType compression, long timestamp, Write... writes) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(compression);
        for (Write write : writes) {
            builder.append(timestamp, bytes(write.key()), write.value() == null ? null : bytes(write.value()));
        }
        return builder.build();
    }

    static Write put(String key, String value) {
        return new Write(key, value);
    }

    static Write tombstone(String key) {
        return new Write(key, null);
    }

    /** Makes everything written cleanable: high watermark at the log end, recovery point there too. */
    static void commit(PartitionLog log) {
        log.maybeIncrementHighWatermark(log.logEndOffset());
        log.flush();
    }

    static LogCleaner cleaner(PartitionLog log, Path dataDir, MutableClock clock, SwapSteps steps) throws IOException {
        return new LogCleaner(() -> Map.of(TP, log), new CleanerCheckpoint(dataDir), clock, 1 << 20,
                Throttler.unlimited(), steps);
    }

    /** Every record from the log start to the log end, as stored. */
    static List<Record> readAll(PartitionLog log) {
        List<Record> records = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            LogReadResult result = log.read(offset, 4096, FetchIsolation.LOG_END, true);
            if (result.records().isEmpty()) {
                break;
            }
            for (Record record : TestRecords.recordsOf(result.records())) {
                if (record.offset() >= offset) {
                    records.add(record);
                }
            }
            offset = result.nextFetchOffset();
        }
        return records;
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
