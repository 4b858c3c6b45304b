package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

/** Assertions shared by the codec tests. */
final class BatchAssertions {

    private BatchAssertions() {
    }

    /** The batch's header says what the spec asked for, and its CRC is right. */
    static void assertHeaderMatches(RecordBatch batch, BatchSpec spec) {
        int count = spec.records().size();
        assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC);
        assertThat(batch.baseOffset()).isEqualTo(spec.baseOffset());
        assertThat(batch.lastOffsetDelta()).isEqualTo(count - 1);
        assertThat(batch.lastOffset()).isEqualTo(spec.baseOffset() + count - 1);
        assertThat(batch.nextOffset()).isEqualTo(spec.baseOffset() + count);
        assertThat(batch.recordCount()).isEqualTo(count);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(spec.partitionLeaderEpoch());
        assertThat(batch.compressionType()).isEqualTo(spec.compression());
        assertThat(batch.timestampType()).isEqualTo(spec.timestampType());
        assertThat(batch.isTransactional()).isEqualTo(spec.transactional());
        assertThat(batch.isControlBatch()).isEqualTo(spec.control());
        assertThat(batch.baseTimestamp()).isEqualTo(spec.baseTimestamp());
        assertThat(batch.maxTimestamp()).isEqualTo(spec.expectedMaxTimestamp());
        assertThat(batch.producerId()).isEqualTo(spec.producerId());
        assertThat(batch.producerEpoch()).isEqualTo(spec.producerEpoch());
        assertThat(batch.baseSequence()).isEqualTo(spec.baseSequence());
        assertThat(batch.lastSequence()).isEqualTo(spec.expectedRecords().getLast().sequence());
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.checksum()).isEqualTo(batch.computeChecksum());
    }

    /** The buffers' remaining bytes, one after another, in a new buffer (position 0). */
    static ByteBuffer concat(List<ByteBuffer> buffers) {
        ByteBuffer all = ByteBuffer.allocate(buffers.stream().mapToInt(ByteBuffer::remaining).sum());
        buffers.forEach(b -> all.put(b.duplicate()));
        return all.flip();
    }

    /** A copy of the buffer's remaining bytes, so one side can mutate it while the other keeps the original. */
    static ByteBuffer copy(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer.duplicate());
        return copy.flip();
    }
}
