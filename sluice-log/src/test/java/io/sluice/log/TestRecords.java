package io.sluice.log;

import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Tiny factories for record batches and helpers to look inside read results. */
final class TestRecords {

    private TestRecords() {
    }

    /** One uncompressed batch of records with these values, all at {@code timestamp}. */
    static ByteBuffer batch(long timestamp, String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE);
        for (String value : values) {
            builder.append(timestamp, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** One uncompressed batch of one record per timestamp, in that order. */
    static ByteBuffer batchWithTimestamps(long... timestamps) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE);
        for (long timestamp : timestamps) {
            builder.append(timestamp, null, ("t" + timestamp).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** A batch with offsets and epoch already assigned, as a follower receives it. */
    static ByteBuffer batchAt(long baseOffset, int epoch, long timestamp, String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE).baseOffset(baseOffset)
                .partitionLeaderEpoch(epoch);
        for (String value : values) {
            builder.append(timestamp, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** An idempotent producer's batch: producer id, epoch and base sequence as a Kafka producer writes them. */
    static ByteBuffer idempotent(long producerId, int epoch, int baseSequence, String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE)
                .producer(producerId, (short) epoch, baseSequence);
        for (String value : values) {
            builder.append(1_000, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** One batch of {@code count} records of {@code valueSize} bytes each. */
    static ByteBuffer batchOfSize(long timestamp, int count, int valueSize) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE, count * (valueSize + 16));
        byte[] value = new byte[valueSize];
        for (int i = 0; i < count; i++) {
            builder.append(timestamp, null, value);
        }
        return builder.build();
    }

    /** Several batches laid back to back in one buffer, as in one produce request. */
    static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    /** The batches of a read region, each checked (CRC) and fully decoded: fails on a torn or corrupt batch. */
    static List<RecordBatch> batchesOf(FileRegion region) {
        if (region.isEmpty()) {
            return List.of();
        }
        try {
            ByteBuffer bytes = region.load();
            BufferBatchIterator iterator = BufferBatchIterator.of(bytes);
            List<RecordBatch> batches = new ArrayList<>();
            while (iterator.hasNext()) {
                RecordBatch batch = iterator.next();
                batch.ensureValid();
                batch.records();
                batches.add(batch);
            }
            if (iterator.validBytes() != bytes.limit()) {
                throw new AssertionError("region of " + bytes.limit() + " bytes has a partial batch after "
                        + iterator.validBytes());
            }
            return batches;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Record> recordsOf(FileRegion region) {
        List<Record> records = new ArrayList<>();
        for (RecordBatch batch : batchesOf(region)) {
            records.addAll(batch.records());
        }
        return records;
    }

    static List<String> valuesOf(FileRegion region) {
        return recordsOf(region).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    static List<Long> offsetsOf(FileRegion region) {
        return recordsOf(region).stream().map(Record::offset).toList();
    }

    /** Every record value in the log from its start to its end, read in small steps. */
    static List<String> readAllValues(PartitionLog log) {
        List<String> values = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            LogReadResult result = log.read(offset, 1024, FetchIsolation.LOG_END, true);
            List<Record> records = recordsOf(result.records());
            if (records.isEmpty()) {
                break;
            }
            for (Record record : records) {
                if (record.offset() >= offset) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
            offset = records.getLast().offset() + 1;
        }
        return values;
    }
}
