package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.readAllValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Time and size retention, DeleteRecords, and the delayed removal of deleted segment files. */
class RetentionTest {

    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(100 * HOUR);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);
    private final int batchSize = batch(1, "v00").remaining();

    private PartitionLog open(LogConfig config) throws IOException {
        return logs.open(dir.resolve("r-0"), config);
    }

    /** Two single-record batches per segment; record i is stamped {@code i} hours before now. */
    private PartitionLog logOfFiveSegments(LogConfig config) throws IOException {
        PartitionLog log = open(config.withSegmentBytes(batchSize * 2));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(clock.millis() - (10 - i) * HOUR, "v0" + i), 0);
        }
        assertThat(log.segmentCount()).isEqualTo(5);
        return log;
    }

    private long filesEndingWith(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("r-0"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }

    @Test
    void segmentsOlderThanRetentionMsAreDeleted() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults().withRetentionMs(7 * HOUR - 1));
        log.maybeIncrementHighWatermark(10);

        // Segment newest records are 9h, 7h, 5h, 3h and 1h old: the first two have expired.
        assertThat(log.deleteOldSegments()).isEqualTo(2);

        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(log.segmentCount()).isEqualTo(3);
        assertThat(readAllValues(log)).containsExactly("v04", "v05", "v06", "v07", "v08", "v09");
        assertThatThrownBy(() -> log.readForConsumer(0, 100)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));

        clock.advance(4 * HOUR);
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(8);
    }

    @Test
    void retentionNeverDeletesActiveSegment() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults().withRetentionMs(1));
        log.maybeIncrementHighWatermark(10);
        clock.advance(1000 * HOUR);

        assertThat(log.deleteOldSegments()).isEqualTo(4);

        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(8);
        assertThat(readAllValues(log)).containsExactly("v08", "v09");
    }

    @Test
    void retentionNeverDeletesDataAtOrAboveHighWatermark() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults().withRetentionMs(1));
        clock.advance(1000 * HOUR);

        assertThat(log.deleteOldSegments()).isZero();

        log.maybeIncrementHighWatermark(5);
        assertThat(log.deleteOldSegments()).isEqualTo(2); // segments [0,2) and [2,4); [4,6) holds offset 5
        assertThat(log.logStartOffset()).isEqualTo(4);
    }

    @Test
    void segmentsBeyondRetentionBytesAreDeletedOldestFirst() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults().withRetentionMs(-1)
                .withRetentionBytes(batchSize * 5L));
        log.maybeIncrementHighWatermark(10);

        assertThat(log.deleteOldSegments()).isEqualTo(2);

        assertThat(log.sizeInBytes()).isEqualTo(batchSize * 6L);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void unlimitedRetentionDeletesNothing() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults().withRetentionMs(-1).withRetentionBytes(-1));
        log.maybeIncrementHighWatermark(10);
        clock.advance(100_000 * HOUR);

        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void deleteRecordsBeforeMovesLogStartAndDropsWholeSegmentsBelowIt() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults());
        log.maybeIncrementHighWatermark(7);

        assertThat(log.deleteRecordsBefore(5)).isEqualTo(5);

        assertThat(log.logStartOffset()).isEqualTo(5);
        assertThat(log.segmentCount()).isEqualTo(3);
        assertThat(TestRecords.offsetsOf(log.readForConsumer(5, 1).records())).containsExactly(5L);
        assertThatThrownBy(() -> log.readForConsumer(4, 100)).isInstanceOf(SluiceException.class);
        assertThatThrownBy(() -> log.deleteRecordsBefore(8)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));
        assertThat(log.deleteRecordsBefore(2)).isEqualTo(5);
    }

    @Test
    void logStartOffsetSurvivesReopen() throws IOException {
        LogConfig config = LogConfig.defaults();
        PartitionLog log = logOfFiveSegments(config);
        log.maybeIncrementHighWatermark(7);
        log.deleteRecordsBefore(5);
        logs.close(log);

        PartitionLog reopened = open(config.withSegmentBytes(batchSize * 2));

        assertThat(reopened.offsets()).isEqualTo(new LogOffsets(5, 7, 10));
    }

    @Test
    void logStartOffsetSurvivesACrashAfterDeleteRecords() throws IOException {
        LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize * 2);
        PartitionLog log = logOfFiveSegments(config);
        log.maybeIncrementHighWatermark(10);
        log.flush();
        log.deleteRecordsBefore(7);
        logs.crash(log);

        PartitionLog reopened = open(config);

        assertThat(reopened.logStartOffset()).isEqualTo(7);
        assertThat(reopened.segmentCount()).isEqualTo(2);
        assertThatThrownBy(() -> reopened.readForFollower(6, 100)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE));
        assertThat(TestRecords.offsetsOf(reopened.readForFollower(7, 1).records())).containsExactly(7L);
    }

    @Test
    void deleteRecordsAtTheHighWatermarkEmptiesTheReadableLogButKeepsTheActiveSegment() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults());
        log.maybeIncrementHighWatermark(10);

        assertThat(log.deleteRecordsBefore(10)).isEqualTo(10);

        assertThat(log.offsets()).isEqualTo(new LogOffsets(10, 10, 10));
        assertThat(log.segmentCount()).isEqualTo(1);
        log.appendAsLeader(batch(clock.millis(), "v10"), 0);
        assertThat(TestRecords.offsetsOf(log.readForFollower(10, 100).records())).containsExactly(10L);
    }

    @Test
    void aFollowerTakesTheLeadersLogStartButNeverPastItsOwnHighWatermark() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults());
        log.updateHighWatermark(6);

        assertThat(log.maybeIncrementLogStartOffset(9)).isEqualTo(6);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.maybeIncrementLogStartOffset(3)).as("never backwards").isEqualTo(6);
        log.updateHighWatermark(10);
        assertThat(log.maybeIncrementLogStartOffset(9)).isEqualTo(9);
        assertThat(log.segmentCount()).isEqualTo(1);
    }

    @Test
    void deletedSegmentFilesStayReadableUntilDeleteDelayPasses() throws IOException {
        PartitionLog log = logOfFiveSegments(LogConfig.defaults().withRetentionMs(HOUR).withFileDeleteDelayMs(60_000));
        log.maybeIncrementHighWatermark(10);
        FileRegion inFlight = log.readForConsumer(0, 10_000).records();

        assertThat(log.deleteOldSegments()).isEqualTo(4);

        assertThat(filesEndingWith(".log.deleted")).isEqualTo(4);
        assertThat(TestRecords.valuesOf(inFlight)).containsExactly("v00", "v01");
        clock.advance(60_000);
        log.maybeFlush();
        assertThat(filesEndingWith(".deleted")).isZero();
        assertThat(filesEndingWith(".log")).isEqualTo(1);
    }
}
