package io.sluice.protocol.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The location and header of one batch inside a file, as found by {@link FileBatchIterator} without reading its
 * records. {@link #load()} reads the whole batch into memory when its records or CRC are needed.
 */
public record FileBatch(FileChannel channel, long position, int sizeInBytes, long baseOffset, int lastOffsetDelta,
                        int partitionLeaderEpoch, long maxTimestamp, int recordCount, int attributes, long producerId,
                        short producerEpoch, int baseSequence) {

    public boolean isTransactional() {
        return (attributes & RecordBatch.TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes & RecordBatch.CONTROL_FLAG_MASK) != 0;
    }

    /** The last record's sequence, wrapping as Kafka's do; -1 without a base sequence. */
    public int lastSequence() {
        return baseSequence == RecordBatch.NO_SEQUENCE ? RecordBatch.NO_SEQUENCE
                : RecordBatch.incrementSequence(baseSequence, lastOffsetDelta);
    }

    public long lastOffset() {
        return baseOffset + lastOffsetDelta;
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    /** Reads the whole batch into a heap buffer. */
    public RecordBatch load() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(sizeInBytes);
        FileBatchIterator.readFully(channel, bytes, position);
        bytes.flip();
        return RecordBatch.readFrom(bytes);
    }

    static FileBatch fromHeader(FileChannel channel, long position, ByteBuffer header) {
        int size = RecordBatch.sizeAt(header, 0);
        return new FileBatch(channel, position, size,
                header.getLong(RecordBatch.BASE_OFFSET_OFFSET),
                header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET),
                header.getInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET),
                header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET),
                header.getInt(RecordBatch.RECORDS_COUNT_OFFSET),
                header.getShort(RecordBatch.ATTRIBUTES_OFFSET) & 0xffff,
                header.getLong(RecordBatch.PRODUCER_ID_OFFSET),
                header.getShort(RecordBatch.PRODUCER_EPOCH_OFFSET),
                header.getInt(RecordBatch.BASE_SEQUENCE_OFFSET));
    }
}
