package io.sluice.protocol.record;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Encodes one record batch (magic v2; layout in {@link RecordBatch}). Records are appended in offset order with
 * consecutive offset deltas; {@link #build()} compresses the records section if asked, fills in the header and the
 * CRC, and returns the finished batch. Single use, not thread-safe.
 *
 * <pre>{@code
 * ByteBuffer batch = RecordBatchBuilder.of(CompressionType.LZ4)
 *         .append(timestamp, key, value)
 *         .append(timestamp, key2, value2, List.of(Header.of("trace", "abc")))
 *         .build();
 * }</pre>
 */
public final class RecordBatchBuilder {

    private final CompressionType compression;
    private final GrowableBuffer out;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;
    private long baseOffset;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;
    private long deleteHorizonMs = RecordBatch.NO_TIMESTAMP;
    private int lastOffsetDelta = -1;

    private int recordCount;
    private int nextOffsetDelta;
    private long baseTimestamp = RecordBatch.NO_TIMESTAMP;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private boolean built;

    private RecordBatchBuilder(CompressionType compression, int expectedSize) {
        this.compression = Objects.requireNonNull(compression, "compression");
        this.out = new GrowableBuffer(RecordBatch.HEADER_SIZE + expectedSize);
        out.skip(RecordBatch.HEADER_SIZE);
    }

    public static RecordBatchBuilder of(CompressionType compression) {
        return new RecordBatchBuilder(compression, 1024);
    }

    /** As {@link #of(CompressionType)}, sizing the scratch buffer for about {@code expectedRecordBytes} of records. */
    public static RecordBatchBuilder of(CompressionType compression, int expectedRecordBytes) {
        return new RecordBatchBuilder(compression, expectedRecordBytes);
    }

    public RecordBatchBuilder baseOffset(long baseOffset) {
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int epoch) {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    /** Marks the batch LogAppendTime with this time as its maxTimestamp (what readers see as every record's time). */
    public RecordBatchBuilder logAppendTime(long logAppendTime) {
        this.timestampType = TimestampType.LOG_APPEND_TIME;
        this.logAppendTime = logAppendTime;
        return this;
    }

    /** Idempotent-producer fields: producer id and epoch, and the sequence of the first record. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    public RecordBatchBuilder control(boolean control) {
        this.control = control;
        return this;
    }

    /**
     * Stamps the batch with a log cleaner's delete horizon (KIP-534): attribute bit 6 is set and the baseTimestamp
     * field holds {@code deleteHorizonMs}, from which record timestamp deltas are then counted. Call before the
     * first append.
     */
    public RecordBatchBuilder deleteHorizon(long deleteHorizonMs) {
        if (recordCount > 0) {
            throw new IllegalStateException("the delete horizon must be set before the first record");
        }
        this.deleteHorizonMs = deleteHorizonMs;
        this.baseTimestamp = deleteHorizonMs;
        return this;
    }

    /**
     * Keeps the offset span of a batch being rewritten (a log cleaner removing some of its records): lastOffsetDelta
     * is written as {@code lastOffsetDelta} rather than the last appended record's delta, so the batch still ends where
     * the original ended and producer sequences stay aligned with offsets.
     */
    public RecordBatchBuilder lastOffsetDelta(int lastOffsetDelta) {
        this.lastOffsetDelta = lastOffsetDelta;
        return this;
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value) {
        return append(timestamp, key, value, List.of());
    }

    /**
     * Appends the next record; its offset is the previous record's plus one. Key, value and header values may be null.
     *
     * @throws IllegalArgumentException if {@code timestamp} is negative but not {@link RecordBatch#NO_TIMESTAMP}
     *                                  (as in Kafka: maxTimestamp could not represent it)
     */
    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return append(nextOffsetDelta, timestamp, key, value, headers);
    }

    /**
     * Appends a record at {@code offsetDelta} from the base offset: a batch rewritten by the log cleaner keeps each
     * retained record's offset, so deltas may skip values. Deltas must increase.
     */
    public RecordBatchBuilder appendWithOffsetDelta(int offsetDelta, long timestamp, byte[] key, byte[] value,
                                                    List<Header> headers) {
        if (offsetDelta < nextOffsetDelta) {
            throw new IllegalArgumentException("offset delta " + offsetDelta + " does not follow " + (nextOffsetDelta - 1));
        }
        return append(offsetDelta, timestamp, key, value, headers);
    }

    private RecordBatchBuilder append(int offsetDelta, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
            throw new IllegalArgumentException("Invalid negative timestamp " + timestamp
                    + "; only " + RecordBatch.NO_TIMESTAMP + " (no timestamp) may be negative");
        }
        if (recordCount == 0 && deleteHorizonMs == RecordBatch.NO_TIMESTAMP) {
            baseTimestamp = timestamp;
        }
        long timestampDelta = timestamp - baseTimestamp;

        int bodySize = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
                + sizeOfBytes(key) + sizeOfBytes(value) + Varints.sizeOfVarint(headers.size());
        byte[][] headerKeys = new byte[headers.size()][];
        for (int i = 0; i < headers.size(); i++) {
            headerKeys[i] = headers.get(i).key().getBytes(StandardCharsets.UTF_8);
            bodySize += sizeOfBytes(headerKeys[i]) + sizeOfBytes(headers.get(i).value());
        }

        Varints.writeVarint(bodySize, out);
        out.write(0); // record attributes: unused in v2
        Varints.writeVarlong(timestampDelta, out);
        Varints.writeVarint(offsetDelta, out);
        writeBytes(key);
        writeBytes(value);
        Varints.writeVarint(headers.size(), out);
        for (int i = 0; i < headers.size(); i++) {
            writeBytes(headerKeys[i]);
            writeBytes(headers.get(i).value());
        }

        recordCount++;
        nextOffsetDelta = offsetDelta + 1;
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        return this;
    }

    public int recordCount() {
        return recordCount;
    }

    /** Uncompressed size so far, header included: what the batch would be without compression. */
    public int estimatedSizeInBytes() {
        return out.size();
    }

    /**
     * Finishes the batch: a heap buffer, position 0, limit at the batch's end, holding exactly one batch.
     *
     * A batch without records is built only with an explicit {@link #lastOffsetDelta}: the header a log cleaner keeps
     * when it removed every record of an idempotent producer's last batch (as Kafka's cleaner does), so the offsets
     * and sequences it spans still rebuild the producer's state.
     *
     * @throws IllegalStateException if no record was appended and no lastOffsetDelta set (a produced batch without
     *                               records carries no offsets to assign)
     */
    public ByteBuffer build() {
        if (recordCount == 0 && lastOffsetDelta < 0) {
            throw new IllegalStateException("a record batch needs at least one record");
        }
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        built = true;
        GrowableBuffer batch = compression == CompressionType.NONE ? out : compressRecords();
        ByteBuffer buffer = batch.asByteBuffer();
        writeHeader(buffer);
        return buffer;
    }

    private GrowableBuffer compressRecords() {
        int uncompressed = out.size() - RecordBatch.HEADER_SIZE;
        GrowableBuffer compressed = new GrowableBuffer(RecordBatch.HEADER_SIZE + uncompressed / 2);
        compressed.skip(RecordBatch.HEADER_SIZE);
        try (OutputStream stream = compression.compressing(compressed)) {
            ByteBuffer records = out.slice(RecordBatch.HEADER_SIZE);
            stream.write(records.array(), records.arrayOffset(), records.remaining());
        } catch (IOException e) {
            // Writing to a heap buffer cannot fail; a codec that does is broken.
            throw new UncheckedIOException("compressing a record batch with " + compression.configName(), e);
        }
        return compressed;
    }

    private void writeHeader(ByteBuffer buffer) {
        int attributes = compression.id();
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attributes |= RecordBatch.TIMESTAMP_TYPE_MASK;
        }
        if (transactional) {
            attributes |= RecordBatch.TRANSACTIONAL_FLAG_MASK;
        }
        if (control) {
            attributes |= RecordBatch.CONTROL_FLAG_MASK;
        }
        if (deleteHorizonMs != RecordBatch.NO_TIMESTAMP) {
            attributes |= RecordBatch.DELETE_HORIZON_FLAG_MASK;
        }
        buffer.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        buffer.putInt(RecordBatch.LENGTH_OFFSET, buffer.limit() - RecordBatch.LOG_OVERHEAD);
        buffer.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        buffer.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        buffer.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        buffer.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, Math.max(lastOffsetDelta, nextOffsetDelta - 1));
        buffer.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        buffer.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET,
                timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp);
        buffer.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        buffer.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        buffer.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        buffer.putInt(RecordBatch.RECORDS_COUNT_OFFSET, recordCount);
        buffer.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.checksumOf(buffer));
    }

    private static int sizeOfBytes(byte[] bytes) {
        return bytes == null ? Varints.sizeOfVarint(-1) : Varints.sizeOfVarint(bytes.length) + bytes.length;
    }

    private void writeBytes(byte[] bytes) {
        if (bytes == null) {
            Varints.writeVarint(-1, out);
        } else {
            Varints.writeVarint(bytes.length, out);
            out.write(bytes);
        }
    }
}
