package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Walking batches laid back to back in memory, as in a produce request or a fetch response. */
class BufferBatchIteratorTest {

    @Test
    void yieldsEveryBatchThenReportsNoTail() {
        ByteBuffer log = log(0, 3, 5, 1);

        BufferBatchIterator iterator = BufferBatchIterator.of(log);
        List<Long> baseOffsets = new ArrayList<>();
        iterator.forEachRemaining(batch -> baseOffsets.add(batch.baseOffset()));

        assertThat(baseOffsets).containsExactly(0L, 3L, 8L);
        assertThat(iterator.validBytes()).isEqualTo(log.remaining());
        assertThat(iterator.hasPartialTail()).isFalse();
        assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void startsAtTheBufferPositionAndLeavesItThere() {
        ByteBuffer log = log(0, 2, 2);
        int second = RecordBatch.readFrom(log).sizeInBytes();
        log.position(second);

        List<RecordBatch> batches = new ArrayList<>();
        BufferBatchIterator.batches(log).forEach(batches::add);

        assertThat(batches).singleElement().extracting(RecordBatch::baseOffset).isEqualTo(2L);
        assertThat(log.position()).isEqualTo(second);
    }

    @Test
    void anEmptyBufferHasNoBatchesAndNoTail() {
        BufferBatchIterator iterator = BufferBatchIterator.of(ByteBuffer.allocate(0));

        assertThat(iterator.hasNext()).isFalse();
        assertThat(iterator.hasPartialTail()).isFalse();
        assertThat(iterator.validBytes()).isZero();
    }

    @Test
    void aResponseCutAtItsByteLimitEndsWithAPartialTail() {
        ByteBuffer log = log(10, 4, 4, 4);
        int twoBatches = 2 * RecordBatch.readFrom(log).sizeInBytes();

        BufferBatchIterator iterator = BufferBatchIterator.of(log.slice(0, twoBatches + 30));
        int count = 0;
        while (iterator.hasNext()) {
            iterator.next();
            count++;
        }

        assertThat(count).isEqualTo(2);
        assertThat(iterator.validBytes()).isEqualTo(twoBatches);
        assertThat(iterator.hasPartialTail()).isTrue();
    }

    @Test
    void aBadHeaderAfterGoodBatchesIsCorruptionOnlyWhenReached() {
        ByteBuffer log = log(0, 2, 2, 2);
        int third = 2 * RecordBatch.readFrom(log).sizeInBytes();
        log.put(third + RecordBatch.MAGIC_OFFSET, (byte) 9);

        BufferBatchIterator iterator = BufferBatchIterator.of(log);
        iterator.next();
        iterator.next();

        assertThatThrownBy(iterator::hasNext).isExactlyInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("position " + third);
        assertThat(iterator.validBytes()).isEqualTo(third);
    }

    /** Batches of the given record counts with consecutive offsets from {@code baseOffset}, back to back. */
    private static ByteBuffer log(long baseOffset, int... recordCounts) {
        List<ByteBuffer> batches = new ArrayList<>();
        long offset = baseOffset;
        for (int count : recordCounts) {
            batches.add(BatchSpec.ofValues(CompressionType.NONE, count).withBaseOffset(offset).encode());
            offset += count;
        }
        return BatchAssertions.concat(batches);
    }
}
