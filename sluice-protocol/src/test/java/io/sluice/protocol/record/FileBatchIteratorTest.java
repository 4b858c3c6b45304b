package io.sluice.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Walking the batches of a real file by their headers, as segment recovery and offset lookup do. */
class FileBatchIteratorTest {

    private static final int MAX_BATCH = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void walksEveryBatchInOrderFromItsHeaderAlone() throws IOException {
        List<ByteBuffer> batches = batches(5);
        Path file = write("walk.log", batches);

        try (FileChannel channel = FileChannel.open(file)) {
            FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), MAX_BATCH);
            long position = 0;
            for (ByteBuffer bytes : batches) {
                RecordBatch expected = RecordBatch.readFrom(bytes);
                FileBatch batch = iterator.nextBatch();

                assertThat(batch.position()).isEqualTo(position);
                assertThat(batch.sizeInBytes()).isEqualTo(expected.sizeInBytes());
                assertThat(batch.baseOffset()).isEqualTo(expected.baseOffset());
                assertThat(batch.lastOffsetDelta()).isEqualTo(expected.lastOffsetDelta());
                assertThat(batch.lastOffset()).isEqualTo(expected.lastOffset());
                assertThat(batch.nextOffset()).isEqualTo(expected.nextOffset());
                assertThat(batch.partitionLeaderEpoch()).isEqualTo(expected.partitionLeaderEpoch());
                assertThat(batch.maxTimestamp()).isEqualTo(expected.maxTimestamp());
                assertThat(batch.recordCount()).isEqualTo(expected.recordCount());
                position += expected.sizeInBytes();
                assertThat(iterator.position()).isEqualTo(position);
            }
            assertThat(iterator.nextBatch()).isNull();
            assertThat(iterator.position()).isEqualTo(channel.size());
            assertThat(channel.position()).as("positioned reads leave the channel alone").isZero();
        }
    }

    @Test
    void loadReturnsTheIdenticalBatch() throws IOException {
        List<ByteBuffer> batches = batches(5);
        Path file = write("load.log", batches);

        try (FileChannel channel = FileChannel.open(file)) {
            FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), MAX_BATCH);
            for (ByteBuffer bytes : batches) {
                RecordBatch loaded = iterator.nextBatch().load();

                loaded.ensureValid();
                assertThat(loaded.buffer()).isEqualTo(bytes);
                assertThat(loaded.records()).containsExactlyElementsOf(RecordBatch.readFrom(bytes).records());
            }
        }
    }

    @Test
    void walksOnlyTheRegionItIsGiven() throws IOException {
        List<ByteBuffer> batches = batches(5);
        Path file = write("region.log", batches);
        int start = batches.get(0).remaining() + batches.get(1).remaining();
        int end = start + batches.get(2).remaining() + batches.get(3).remaining();

        try (FileChannel channel = FileChannel.open(file)) {
            FileBatchIterator iterator = new FileBatchIterator(channel, start, end, MAX_BATCH);

            assertThat(iterator.nextBatch().baseOffset()).isEqualTo(RecordBatch.readFrom(batches.get(2)).baseOffset());
            assertThat(iterator.nextBatch().baseOffset()).isEqualTo(RecordBatch.readFrom(batches.get(3)).baseOffset());
            assertThat(iterator.nextBatch()).isNull();
            assertThat(iterator.position()).isEqualTo(end);
        }
    }

    @Test
    void aFileCutAtAnyLengthStopsAtTheEndOfTheLastCompleteBatch() throws IOException {
        List<ByteBuffer> batches = List.of(BatchSpec.ofValues(CompressionType.NONE, 3).encode(),
                BatchSpec.ofValues(CompressionType.ZSTD, 8).withBaseOffset(3).encode(),
                BatchSpec.ofValues(CompressionType.LZ4, 5).withBaseOffset(11).encode());
        Path file = write("torn.log", batches);
        List<Long> ends = new ArrayList<>(List.of(0L));
        for (ByteBuffer batch : batches) {
            ends.add(ends.getLast() + batch.remaining());
        }

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (long length = channel.size(); length >= 0; length--) {
                channel.truncate(length);
                long completeEnd = lastAtOrBelow(ends, length);

                FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), MAX_BATCH);
                int read = 0;
                while (iterator.nextBatch() != null) {
                    read++;
                }

                assertThat(iterator.position()).as("length %d", length).isEqualTo(completeEnd);
                assertThat(read).isEqualTo(ends.indexOf(completeEnd));
                assertThat(iterator.nextBatch()).as("still stopped").isNull();
            }
        }
    }

    @Test
    void aBatchLargerThanTheMaximumIsCorruptionNamingItsPosition() throws IOException {
        List<ByteBuffer> batches = List.of(BatchSpec.ofValues(CompressionType.NONE, 2).encode(),
                BatchSpec.ofValues(CompressionType.NONE, 200).withBaseOffset(2).encode());
        Path file = write("large.log", batches);
        int secondAt = batches.getFirst().remaining();

        try (FileChannel channel = FileChannel.open(file)) {
            FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), secondAt);
            assertThat(iterator.nextBatch()).isNotNull();

            assertThatThrownBy(iterator::nextBatch)
                    .isExactlyInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("file position " + secondAt)
                    .hasMessageContaining("maximum " + secondAt);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 48, Integer.MAX_VALUE})
    void anImpossibleLengthIsCorruptionNamingItsFilePosition(int batchLength) throws IOException {
        List<ByteBuffer> batches = batches(3);
        int thirdAt = batches.get(0).remaining() + batches.get(1).remaining();
        batches.get(2).putInt(RecordBatch.LENGTH_OFFSET, batchLength);
        Path file = write("length.log", batches);

        try (FileChannel channel = FileChannel.open(file)) {
            FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), MAX_BATCH);
            iterator.nextBatch();
            iterator.nextBatch();

            assertThatThrownBy(iterator::nextBatch)
                    .isExactlyInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("position " + thirdAt);
        }
    }

    @Test
    void aWrongMagicIsCorruptionNamingItsFilePosition() throws IOException {
        List<ByteBuffer> batches = batches(3);
        int secondAt = batches.get(0).remaining();
        batches.get(1).put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        Path file = write("magic.log", batches);

        try (FileChannel channel = FileChannel.open(file)) {
            FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), MAX_BATCH);
            iterator.nextBatch();

            assertThatThrownBy(iterator::nextBatch)
                    .isExactlyInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("position " + secondAt)
                    .hasMessageContaining("magic 1");
        }
    }

    /** A preallocated segment's zero tail is not a batch; recovery truncates at the position named. */
    @Test
    void aZeroFilledTailIsCorruptionAfterTheLastBatch() throws IOException {
        List<ByteBuffer> batches = new ArrayList<>(batches(2));
        int zerosAt = batches.get(0).remaining() + batches.get(1).remaining();
        batches.add(ByteBuffer.allocate(4096));
        Path file = write("zeros.log", batches);

        try (FileChannel channel = FileChannel.open(file)) {
            FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), MAX_BATCH);
            iterator.nextBatch();
            iterator.nextBatch();

            assertThatThrownBy(iterator::nextBatch)
                    .isExactlyInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("position " + zerosAt);
            assertThat(iterator.position()).isEqualTo(zerosAt);
        }
    }

    @Test
    void aDamagedBodyIsFoundByLoadAndEnsureValidNotByTheHeaderWalk() throws IOException {
        List<ByteBuffer> batches = batches(2);
        ByteBuffer second = batches.get(1);
        second.put(second.limit() - 1, (byte) (second.get(second.limit() - 1) ^ 0x10));
        Path file = write("crc.log", batches);

        try (FileChannel channel = FileChannel.open(file)) {
            FileBatchIterator iterator = new FileBatchIterator(channel, 0, channel.size(), MAX_BATCH);
            iterator.nextBatch().load().ensureValid();
            RecordBatch damaged = iterator.nextBatch().load();

            assertThatThrownBy(damaged::ensureValid).isExactlyInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("CRC");
        }
    }

    /** Consecutive batches of every codec with consecutive offsets. */
    private static List<ByteBuffer> batches(int count) {
        RandomBatches random = new RandomBatches(count);
        List<ByteBuffer> batches = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < count; i++) {
            CompressionType compression = CompressionType.values()[i % CompressionType.values().length];
            BatchSpec spec = random.batch(compression).withBaseOffset(offset);
            batches.add(spec.encode());
            offset += spec.records().size();
        }
        return batches;
    }

    private Path write(String name, List<ByteBuffer> batches) throws IOException {
        Path file = dir.resolve(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (ByteBuffer batch : batches) {
                ByteBuffer bytes = batch.duplicate();
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        }
        assertThat(Files.size(file)).isEqualTo(batches.stream().mapToLong(ByteBuffer::remaining).sum());
        return file;
    }

    private static long lastAtOrBelow(List<Long> ends, long length) {
        long result = 0;
        for (long end : ends) {
            if (end <= length) {
                result = end;
            }
        }
        return result;
    }
}
