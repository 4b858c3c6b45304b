package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.batchAt;
import static io.sluice.log.TestRecords.readAllValues;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Follower truncation to a divergence point, full restarts, and the leader-epoch cache they keep in step. */
class TruncationTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);
    private final int batchSize = batch(1, "v00").remaining();
    private final LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize * 3).withIndexIntervalBytes(1)
            .withFileDeleteDelayMs(0);

    private PartitionLog open() throws IOException {
        return logs.open(dir.resolve("t-0"), config);
    }

    /** Ten single-record batches, offsets 0..9, written in epochs 1 (0..3), 2 (4..6) and 4 (7..9). */
    private PartitionLog logWithTenRecords() throws IOException {
        PartitionLog log = open();
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(100 + i, "v0" + i), i < 4 ? 1 : i < 7 ? 2 : 4);
        }
        return log;
    }

    @Test
    void truncateToRemovesLaterSegmentsAndClampsHighWatermark() throws IOException {
        PartitionLog log = logWithTenRecords();
        log.maybeIncrementHighWatermark(9);
        assertThat(log.segmentCount()).isEqualTo(4);

        assertThat(log.truncateTo(5)).isTrue();

        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(log.highWatermark()).isEqualTo(5);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(readAllValues(log)).containsExactly("v00", "v01", "v02", "v03", "v04");
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 4));
        log.deleteOldSegments(); // removes the truncated files (delay 0)
        assertThat(dir.resolve("t-0/00000000000000000006.log")).doesNotExist();
        assertThat(dir.resolve("t-0/00000000000000000009.log")).doesNotExist();
    }

    @Test
    void truncatedLogAcceptsFollowerAppendsAtNewEnd() throws IOException {
        PartitionLog log = logWithTenRecords();

        log.truncateTo(4);
        log.appendAsFollower(batchAt(4, 3, 500, "x4", "x5"));
        log.appendAsFollower(batchAt(6, 3, 501, "x6"));

        assertThat(readAllValues(log)).containsExactly("v00", "v01", "v02", "v03", "x4", "x5", "x6");
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 4));
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 4));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(1, 4));
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 7));
    }

    @Test
    void truncateToOffsetInsideBatchRemovesWholeBatch() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(batch(1, "a", "b"), 0);
        log.appendAsLeader(batch(1, "c", "d", "e"), 0);

        log.truncateTo(3);

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(readAllValues(log)).containsExactly("a", "b");
    }

    @Test
    void truncateToAtOrBeyondLogEndChangesNothing() throws IOException {
        PartitionLog log = logWithTenRecords();

        assertThat(log.truncateTo(10)).isFalse();
        assertThat(log.truncateTo(50)).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(10);
    }

    @Test
    void truncateToSegmentBaseLeavesEmptyActiveSegment() throws IOException {
        PartitionLog log = logWithTenRecords();

        log.truncateTo(3);

        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(log.logEndOffset()).isEqualTo(3);
        log.appendAsLeader(batch(1, "new"), 5);
        assertThat(readAllValues(log)).containsExactly("v00", "v01", "v02", "new");
    }

    @Test
    void truncationSurvivesReopen() throws IOException {
        PartitionLog log = logWithTenRecords();
        log.truncateTo(5);
        logs.close(log);

        PartitionLog reopened = open();

        assertThat(reopened.logEndOffset()).isEqualTo(5);
        assertThat(readAllValues(reopened)).hasSize(5);
        assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 4));
    }

    @Test
    void truncateFullyAndStartAtRestartsEmptyLog() throws IOException {
        PartitionLog log = logWithTenRecords();
        log.maybeIncrementHighWatermark(8);

        log.truncateFullyAndStartAt(1000);

        assertThat(log.offsets()).isEqualTo(new LogOffsets(1000, 1000, 1000));
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(log.epochEntries()).isEmpty();
        log.appendAsFollower(batchAt(1000, 9, 1, "far"));
        assertThat(readAllValues(log)).containsExactly("far");
        assertThat(Files.exists(dir.resolve("t-0/00000000000000001000.log"))).isTrue();
        logs.close(log);
        assertThat(open().offsets()).isEqualTo(new LogOffsets(1000, 1000, 1001));
    }

    @Test
    void restartingTwiceAtSameOffsetWithinDeleteDelayWorks() throws IOException {
        PartitionLog log = logs.open(dir.resolve("t-1"), LogConfig.defaults());
        log.truncateFullyAndStartAt(100);
        log.appendAsFollower(batchAt(100, 1, 1, "a"));

        log.truncateFullyAndStartAt(100);
        log.appendAsFollower(batchAt(100, 1, 1, "b"));

        assertThat(readAllValues(log)).containsExactly("b");
        assertThat(log.isOffline()).isFalse();
    }

    @Test
    void truncateToBelowFirstSegmentRestartsAtThatOffset() throws IOException {
        PartitionLog log = open();
        log.truncateFullyAndStartAt(100);
        log.appendAsFollower(batchAt(100, 1, 1, "a"));

        log.truncateTo(50);

        assertThat(log.offsets()).isEqualTo(new LogOffsets(50, 50, 50));
    }

    @Test
    void endOffsetForEpochAnswersDivergenceQueries() throws IOException {
        PartitionLog log = logWithTenRecords();

        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 4));
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(2, 7));
        assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(4, 10));
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(log.latestEpoch()).hasValue(4);
    }

    @Test
    void becomingLeaderRecordsEpochAtLogEndAndKeepsItAcrossReopen() throws IOException {
        PartitionLog log = logWithTenRecords();

        log.assignEpochStartOffset(6);
        log.assignEpochStartOffset(5);

        assertThat(log.epochEntries()).endsWith(new EpochEntry(6, 10));
        logs.close(log);
        assertThat(open().epochEntries()).endsWith(new EpochEntry(6, 10));
    }
}
