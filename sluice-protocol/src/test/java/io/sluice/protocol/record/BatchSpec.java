package io.sluice.protocol.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test wants in one batch, independent of any encoder: the header fields and the records in offset order.
 * {@link #encode()} builds it with {@link RecordBatchBuilder}; {@link #expectedRecords()} says, without asking the
 * codec, what a reader must decode from it.
 */
record BatchSpec(CompressionType compression, long baseOffset, int partitionLeaderEpoch, TimestampType timestampType,
                 long logAppendTime, long producerId, short producerEpoch, int baseSequence, boolean transactional,
                 boolean control, List<RecordSpec> records) {

    /** One record as appended: its create time, key, value and headers (key, value and header values may be null). */
    record RecordSpec(long timestamp, byte[] key, byte[] value, List<Header> headers) {

        static RecordSpec of(long timestamp, String key, String value, Header... headers) {
            return new RecordSpec(timestamp, utf8(key), utf8(value), List.of(headers));
        }

        int uncompressedPayloadBytes() {
            int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
            for (Header header : headers) {
                size += utf8(header.key()).length + (header.value() == null ? 0 : header.value().length);
            }
            return size;
        }

        @Override
        public String toString() {
            return "RecordSpec[ts=" + timestamp + ", key=" + describe(key) + ", value=" + describe(value)
                    + ", headers=" + headers.size() + "]";
        }
    }

    BatchSpec {
        records = List.copyOf(records);
    }

    /** A plain CreateTime batch without producer state, at offset 0, epoch -1. */
    static BatchSpec simple(CompressionType compression, List<RecordSpec> records) {
        return new BatchSpec(compression, 0L, RecordBatch.NO_PARTITION_LEADER_EPOCH, TimestampType.CREATE_TIME,
                RecordBatch.NO_TIMESTAMP, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false, false, records);
    }

    /** {@code count} small keyed records with consecutive timestamps from 1000. */
    static BatchSpec ofValues(CompressionType compression, int count) {
        List<RecordSpec> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(RecordSpec.of(1000L + i, "key-" + i, "value-" + i));
        }
        return simple(compression, records);
    }

    BatchSpec withBaseOffset(long offset) {
        return new BatchSpec(compression, offset, partitionLeaderEpoch, timestampType, logAppendTime, producerId,
                producerEpoch, baseSequence, transactional, control, records);
    }

    ByteBuffer encode() {
        RecordBatchBuilder builder = RecordBatchBuilder.of(compression)
                .baseOffset(baseOffset)
                .partitionLeaderEpoch(partitionLeaderEpoch)
                .producer(producerId, producerEpoch, baseSequence)
                .transactional(transactional)
                .control(control);
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            builder.logAppendTime(logAppendTime);
        }
        for (RecordSpec record : records) {
            builder.append(record.timestamp(), record.key(), record.value(), record.headers());
        }
        return builder.build();
    }

    /** The records a reader must see: consecutive offsets, LogAppendTime applied, sequences wrapping past 2^31-1. */
    List<Record> expectedRecords() {
        List<Record> expected = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            RecordSpec record = records.get(i);
            long timestamp = timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : record.timestamp();
            int sequence = baseSequence == RecordBatch.NO_SEQUENCE
                    ? RecordBatch.NO_SEQUENCE
                    : (int) ((baseSequence + (long) i) % (1L << 31));
            expected.add(new Record(baseOffset + i, timestamp, sequence, record.key(), record.value(), record.headers()));
        }
        return expected;
    }

    long baseTimestamp() {
        return records.getFirst().timestamp();
    }

    /** As Kafka's builder computes it: the largest create time, never below NO_TIMESTAMP; or the append time. */
    long expectedMaxTimestamp() {
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            return logAppendTime;
        }
        long max = RecordBatch.NO_TIMESTAMP;
        for (RecordSpec record : records) {
            max = Math.max(max, record.timestamp());
        }
        return max;
    }

    int uncompressedPayloadBytes() {
        return records.stream().mapToInt(RecordSpec::uncompressedPayloadBytes).sum();
    }

    @Override
    public String toString() {
        return "BatchSpec[" + compression + ", baseOffset=" + baseOffset + ", epoch=" + partitionLeaderEpoch
                + ", " + timestampType + (timestampType == TimestampType.LOG_APPEND_TIME ? "@" + logAppendTime : "")
                + ", producer=" + producerId + "/" + producerEpoch + "/" + baseSequence
                + (transactional ? ", transactional" : "") + (control ? ", control" : "")
                + ", records=" + records + "]";
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(byte[] bytes) {
        return bytes == null ? "null" : bytes.length + "B";
    }
}
