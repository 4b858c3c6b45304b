package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.batchAt;
import static io.sluice.log.TestRecords.batchesOf;
import static io.sluice.log.TestRecords.offsetsOf;
import static io.sluice.log.TestRecords.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogSegmentTest {

    @TempDir
    Path dir;

    private final List<LogSegment> opened = new ArrayList<>();

    @AfterEach
    void closeSegments() throws IOException {
        for (LogSegment segment : opened) {
            segment.channel().close();
        }
    }

    private LogSegment createSegment(long baseOffset, int indexIntervalBytes) throws IOException {
        LogConfig config = LogConfig.defaults().withIndexIntervalBytes(indexIntervalBytes)
                .withSegmentIndexBytes(4096);
        LogSegment segment = LogSegment.create(dir, baseOffset, config, LogChannelFactory.DEFAULT);
        opened.add(segment);
        return segment;
    }

    /** Appends a batch at {@code offset} with one record per value, timestamps {@code timestamp}. */
    private static void append(LogSegment segment, long offset, long timestamp, String... values)
            throws IOException {
        segment.append(batchAt(offset, 0, timestamp, values), timestamp);
    }

    @Test
    void segmentFilesAreNamedByTwentyDigitBaseOffset() throws IOException {
        createSegment(42, 0);

        assertThat(dir.resolve("00000000000000000042.log")).exists();
        assertThat(dir.resolve("00000000000000000042.index")).exists();
        assertThat(dir.resolve("00000000000000000042.timeindex")).exists();
    }

    @Test
    void readFromBaseOffsetReturnsAppendedBatches() throws IOException {
        LogSegment segment = createSegment(40, 0);
        append(segment, 40, 1000, "a", "b");
        append(segment, 42, 1001, "c");

        FileRegion region = segment.read(40, 10_000, segment.size(), true).region();

        assertThat(offsetsOf(region)).containsExactly(40L, 41L, 42L);
        assertThat(valuesOf(region)).containsExactly("a", "b", "c");
    }

    @Test
    void readFromOffsetInsideBatchReturnsThatWholeBatch() throws IOException {
        LogSegment segment = createSegment(0, 0);
        append(segment, 0, 1000, "a", "b", "c");
        append(segment, 3, 1000, "d");

        FileRegion region = segment.read(1, 10_000, segment.size(), true).region();

        assertThat(offsetsOf(region)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(region.position()).isZero();
    }

    @Test
    void readStopsAtWholeBatchWithinMaxBytes() throws IOException {
        LogSegment segment = createSegment(0, 0);
        for (int i = 0; i < 10; i++) {
            append(segment, i, 1000, "value-" + i);
        }
        int batchSize = segment.size() / 10;

        FileRegion region = segment.read(0, batchSize * 3 + batchSize / 2, segment.size(), true).region();

        assertThat(region.length()).isEqualTo(batchSize * 3);
        assertThat(batchesOf(region)).hasSize(3);
    }

    @ParameterizedTest(name = "maxBytes {0} batches {1}")
    @CsvSource({"-1, 1", "0, 1", "1, 1", "-1, 3", "0, 3", "1, 3", "-1, 10", "0, 10", "1, 10"})
    void readAtMaxBytesBoundaryReturnsTheWholeBatchesThatFit(int delta, int batches) throws IOException {
        LogSegment segment = createSegment(0, 1);
        for (int i = 0; i < 10; i++) {
            append(segment, i, 1000, "value-" + i);
        }
        int batchSize = segment.size() / 10;

        LogSegment.Read read = segment.read(0, batches * batchSize + delta, segment.size(), true);

        int expected = delta < 0 ? Math.max(1, batches - 1) : batches;
        assertThat(batchesOf(read.region())).hasSize(expected);
        assertThat(read.nextOffset()).isEqualTo(expected);
    }

    @Test
    void readReturnsOneBatchLargerThanMaxBytesOnlyWhenAskedForOne() throws IOException {
        LogSegment segment = createSegment(0, 0);
        append(segment, 0, 1000, "a-long-value-that-makes-the-batch-large");

        assertThat(batchesOf(segment.read(0, 10, segment.size(), true).region())).hasSize(1);
        assertThat(segment.read(0, 10, segment.size(), false).region().isEmpty()).isTrue();
    }

    @Test
    void readNeverPassesMaxPosition() throws IOException {
        LogSegment segment = createSegment(0, 0);
        append(segment, 0, 1000, "a");
        int firstEnd = segment.size();
        append(segment, 1, 1000, "b");

        assertThat(offsetsOf(segment.read(0, 10_000, firstEnd, true).region())).containsExactly(0L);
        assertThat(segment.read(1, 10_000, firstEnd, true)).isNull();
    }

    @Test
    void readUsesIndexToFindBatchesDeepInSegment() throws IOException {
        LogSegment segment = createSegment(0, 100);
        for (int i = 0; i < 200; i++) {
            append(segment, i, 1000 + i, "value-" + i);
        }
        assertThat(segment.offsetIndex().entries()).isGreaterThan(10);

        for (long offset : new long[] {0, 1, 57, 150, 199}) {
            LogSegment.Read read = segment.read(offset, 200, segment.size(), true);
            List<Long> offsets = offsetsOf(read.region());
            assertThat(offsets.getFirst()).isEqualTo(offset);
            assertThat(read.nextOffset()).isEqualTo(offsets.getLast() + 1);
            assertThat(read.region().length()).isLessThanOrEqualTo(200);
        }
        FileRegion all = segment.read(0, Integer.MAX_VALUE, segment.size(), true).region();
        assertThat(all.length()).isEqualTo(segment.size());
        assertThat(batchesOf(all)).hasSize(200);
    }

    @Test
    void findOffsetByTimestampReturnsEarliestRecordAtOrAfterTimestamp() throws IOException {
        LogSegment segment = createSegment(0, 50);
        for (int i = 0; i < 50; i++) {
            append(segment, i * 2L, 1000 + i * 10L, "x" + i, "y" + i);
        }

        assertThat(segment.findOffsetByTimestamp(0, 0, segment.size()))
                .contains(new TimestampOffset(1000, 0));
        assertThat(segment.findOffsetByTimestamp(1100, 0, segment.size()))
                .contains(new TimestampOffset(1100, 20));
        assertThat(segment.findOffsetByTimestamp(1101, 0, segment.size()))
                .contains(new TimestampOffset(1110, 22));
        assertThat(segment.findOffsetByTimestamp(1000, 31, segment.size()))
                .contains(new TimestampOffset(1150, 31));
        assertThat(segment.findOffsetByTimestamp(5000, 0, segment.size())).isEqualTo(Optional.empty());
    }

    @Test
    void truncateToRemovesBatchHoldingOffsetAndEverythingAfter() throws IOException {
        LogSegment segment = createSegment(10, 0);
        append(segment, 10, 1000, "a", "b");
        int firstSize = segment.size();
        append(segment, 12, 2000, "c", "d");
        append(segment, 14, 3000, "e");

        int removed = segment.truncateTo(13);

        assertThat(segment.size()).isEqualTo(firstSize);
        assertThat(removed).isPositive();
        assertThat(segment.readNextOffset()).isEqualTo(12);
        assertThat(segment.largestTimestamp()).isEqualTo(1000);
        assertThat(Files.size(segment.logFile())).isEqualTo(firstSize);
        append(segment, 12, 4000, "z");
        assertThat(valuesOf(segment.read(10, 10_000, segment.size(), true).region()))
                .containsExactly("a", "b", "z");
    }

    @Test
    void recoverCutsTornTailAndRebuildsIndexes() throws IOException {
        LogSegment segment = createSegment(0, 0);
        for (int i = 0; i < 5; i++) {
            append(segment, i, 1000 + i, "v" + i);
        }
        int validSize = segment.size();
        ByteBuffer next = batchAt(5, 0, 2000, "torn");
        try (FileChannel file = FileChannel.open(segment.logFile(), StandardOpenOption.WRITE)) {
            file.write(next.slice(0, next.remaining() - 3), validSize);
        }

        List<long[]> epochs = new ArrayList<>();
        int truncated = segment.recover(0, 1 << 20, 4096, (epoch, base) -> epochs.add(new long[] {epoch, base}));

        assertThat(truncated).isEqualTo(next.remaining() - 3);
        assertThat(segment.size()).isEqualTo(validSize);
        assertThat(segment.readNextOffset()).isEqualTo(5);
        assertThat(segment.offsetIndex().entries()).isEqualTo(4);
        assertThat(segment.largestTimestamp()).isEqualTo(1004);
        assertThat(epochs).hasSize(5);
    }

    @Test
    void recoverCutsAtFirstBatchWithBadChecksum() throws IOException {
        LogSegment segment = createSegment(0, 0);
        append(segment, 0, 1000, "good");
        int goodSize = segment.size();
        ByteBuffer bad = batchAt(1, 0, 1000, "bad");
        bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 0x55));
        segment.append(bad, 1000);
        append(segment, 2, 1000, "after");

        segment.recover(0, 1 << 20, 4096, (epoch, base) -> { });

        assertThat(segment.size()).isEqualTo(goodSize);
    }

    @Test
    void recoverCutsBatchWhoseOffsetsGoBackwards() throws IOException {
        LogSegment segment = createSegment(0, 0);
        append(segment, 0, 1000, "a", "b");
        int goodSize = segment.size();
        append(segment, 1, 1000, "overlapping");

        segment.recover(0, 1 << 20, 4096, (epoch, base) -> { });

        assertThat(segment.size()).isEqualTo(goodSize);
    }

    @Test
    void sealedSegmentReopensWithTrustedIndexes() throws IOException {
        LogSegment segment = createSegment(0, 0);
        for (int i = 0; i < 20; i++) {
            append(segment, i, 1000 + i, "v" + i);
        }
        segment.onBecomeInactive();
        segment.close();
        opened.remove(segment);

        LogSegment reopened = LogSegment.open(dir, 0, LogConfig.defaults(), LogChannelFactory.DEFAULT, false);
        opened.add(reopened);

        reopened.sanityCheck();
        assertThat(reopened.readNextOffset()).isEqualTo(20);
        assertThat(reopened.largestTimestamp()).isEqualTo(1019);
        assertThat(reopened.timeIndex().lastEntry()).isEqualTo(new TimestampOffset(1019, 19));
        assertThat(batchesOf(reopened.read(0, Integer.MAX_VALUE, reopened.size(), true).region()))
                .extracting(RecordBatch::baseOffset).hasSize(20);
    }
}
