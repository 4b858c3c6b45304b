package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.batchAt;
import static io.sluice.log.TestRecords.batchOfSize;
import static io.sluice.log.TestRecords.batchesOf;
import static io.sluice.log.TestRecords.concat;
import static io.sluice.log.TestRecords.offsetsOf;
import static io.sluice.log.TestRecords.readAllValues;
import static io.sluice.log.TestRecords.recordsOf;
import static io.sluice.log.TestRecords.valuesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.TimestampType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Appends, reads, rolling and offset lookups of one partition log. */
class PartitionLogTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);

    private PartitionLog open(LogConfig config) throws IOException {
        return logs.open(dir.resolve("orders-0"), config);
    }

    private long logFileCount() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("orders-0"))) {
            return files.filter(LogFileUtils::isLogFile).count();
        }
    }

    @Test
    void appendAsLeaderAssignsOffsetsAndEpochInPlace() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer first = batch(500, "a", "b", "c");

        AppendResult result = log.appendAsLeader(first, 7);
        AppendResult second = log.appendAsLeader(batch(501, "d"), 7);

        assertThat(result.firstOffset()).isZero();
        assertThat(result.lastOffset()).isEqualTo(2);
        assertThat(result.recordCount()).isEqualTo(3);
        assertThat(result.logAppendTime()).isEqualTo(RecordBatch.NO_TIMESTAMP);
        assertThat(result.maxTimestamp()).isEqualTo(500);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(RecordBatch.readFrom(first).baseOffset()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(7, 0));

        List<RecordBatch> batches = batchesOf(log.readForFollower(0, 10_000).records());
        assertThat(batches).extracting(RecordBatch::baseOffset).containsExactly(0L, 3L);
        assertThat(batches).extracting(RecordBatch::partitionLeaderEpoch).containsExactly(7, 7);
    }

    @Test
    void entriesAppendedTogetherGetConsecutiveOffsetsAndEachItsOwnResult() throws IOException {
        PartitionLog log = open(LogConfig.defaults());

        List<LeaderAppendOutcome> outcomes = log.appendAsLeader(
                List.of(batch(500, "a", "b"), batch(501, "c"), batch(502, "d", "e", "f")), 3);

        assertThat(outcomes).extracting(LeaderAppendOutcome::error).containsOnlyNulls();
        assertThat(outcomes).extracting(o -> o.result().firstOffset()).containsExactly(0L, 2L, 3L);
        assertThat(outcomes).extracting(o -> o.result().lastOffset()).containsExactly(1L, 2L, 5L);
        assertThat(readAllValues(log)).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(3, 0));
    }

    @Test
    void anEntryRefusedAmongOthersRefusesOnlyItselfAndTheRestAreWritten() throws IOException {
        PartitionLog log = open(LogConfig.defaults().withMaxMessageBytes(200));

        List<LeaderAppendOutcome> outcomes = log.appendAsLeader(List.of(batch(1, "a"),
                batch(2, "x".repeat(500)), // larger than max.message.bytes
                TestRecords.idempotent(9, 0, 5, "gap"), // a new producer must start at sequence 0
                batch(3, "b")), 0);

        assertThat(outcomes.get(0).result().firstOffset()).isZero();
        assertThat(outcomes.get(1).error().errorCode()).isEqualTo(ErrorCode.RECORD_TOO_LARGE);
        assertThat(outcomes.get(2).error()).isNotNull();
        assertThat(outcomes.get(3).result().firstOffset()).isEqualTo(1);
        assertThat(readAllValues(log)).containsExactly("a", "b");
        assertThat(log.isOffline()).isFalse();
    }

    @Test
    void entriesOfOneProducerAppendedTogetherFollowEachOtherAndARepeatIsAnsweredWithItsOffsets() throws IOException {
        PartitionLog log = open(LogConfig.defaults());

        List<LeaderAppendOutcome> outcomes = log.appendAsLeader(List.of(TestRecords.idempotent(9, 0, 0, "a"),
                TestRecords.idempotent(9, 0, 1, "b", "c"), TestRecords.idempotent(9, 0, 1, "b", "c")), 0);

        assertThat(outcomes).extracting(LeaderAppendOutcome::error).containsOnlyNulls();
        assertThat(outcomes.get(1).result().firstOffset()).isEqualTo(1);
        assertThat(outcomes.get(2).result().duplicate()).isTrue();
        assertThat(outcomes.get(2).result().firstOffset()).isEqualTo(1);
        assertThat(readAllValues(log)).containsExactly("a", "b", "c");
    }

    @Test
    void aFollowerWokenByEntriesAppendedTogetherFindsThemAllWritten() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        List<Long> endWhenWoken = new CopyOnWriteArrayList<>();
        log.awaitLogEndOffset(1).thenRun(() -> endWhenWoken.add(log.logEndOffset()));
        log.logEndWatch().awaitAny(Map.of(log, 1L)).thenRun(() -> endWhenWoken.add(log.logEndOffset()));

        log.appendAsLeader(List.of(batch(1, "a"), batch(2, "b"), batch(3, "c")), 0);

        // Woken once, after the last entry: a wake-up per entry would have had them read one entry's worth.
        assertThat(endWhenWoken).containsExactly(3L, 3L);
    }

    @Test
    void entriesAppendedToAClosedLogAreEachAnsweredStorageError() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.close();

        List<LeaderAppendOutcome> outcomes = log.appendAsLeader(List.of(batch(1, "a"), batch(2, "b")), 0);

        assertThat(outcomes).extracting(o -> o.error().errorCode())
                .containsExactly(ErrorCode.STORAGE_ERROR, ErrorCode.STORAGE_ERROR);
    }

    @Test
    void appendUnderLogAppendTimeStampsBatchesWithClock() throws IOException {
        PartitionLog log = open(LogConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));

        AppendResult result = log.appendAsLeader(batch(5, "a", "b"), 0);

        assertThat(result.logAppendTime()).isEqualTo(clock.millis());
        RecordBatch stored = batchesOf(log.readForFollower(0, 10_000).records()).getFirst();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.records()).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(clock.millis()));
    }

    @Test
    void appendWithCorruptBatchWritesNothing() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer bad = batch(1, "bad");
        bad.put(bad.limit() - 1, (byte) 0x7f);

        assertThatThrownBy(() -> log.appendAsLeader(concat(batch(1, "good"), bad), 0))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CORRUPT_RECORD));
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.sizeInBytes()).isZero();
    }

    @Test
    void appendOfBatchOverMaxMessageBytesIsRecordTooLarge() throws IOException {
        PartitionLog log = open(LogConfig.defaults().withMaxMessageBytes(200));

        assertThatThrownBy(() -> log.appendAsLeader(concat(batch(1, "ok"), batchOfSize(1, 3, 100)), 0))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_TOO_LARGE));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void appendWithTrailingPartialBatchIsCorrupt() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer whole = concat(batch(1, "a"), batch(1, "b"));
        ByteBuffer torn = whole.slice(0, whole.remaining() - 5);

        assertThatThrownBy(() -> log.appendAsLeader(torn, 0)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.CORRUPT_RECORD));
        assertThatThrownBy(() -> log.appendAsLeader(ByteBuffer.allocate(0), 0))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_RECORD));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void appendInOlderEpochThanLatestIsFenced() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1, "a"), 5);

        assertThatThrownBy(() -> log.appendAsLeader(batch(1, "b"), 4)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FENCED_LEADER_EPOCH));
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void appendAsFollowerKeepsOffsetsAndLearnsEpochs() throws IOException {
        PartitionLog log = open(LogConfig.defaults());

        log.appendAsFollower(concat(batchAt(0, 1, 10, "a", "b"), batchAt(2, 3, 11, "c")));
        log.appendAsFollower(batchAt(3, 3, 12, "d"));

        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 2));
        assertThat(readAllValues(log)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void followerAppendThatOverlapsTheLogIsRefused() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(batchAt(0, 1, 10, "a", "b"));

        assertThatThrownBy(() -> log.appendAsFollower(batchAt(1, 1, 10, "overlap")))
                .isInstanceOfSatisfying(UnexpectedAppendOffsetException.class, e -> {
                    assertThat(e.expectedOffset()).isEqualTo(2);
                    assertThat(e.actualOffset()).isEqualTo(1);
                });
        assertThatThrownBy(() -> log.appendAsFollower(concat(batchAt(2, 1, 10, "c"), batchAt(2, 1, 10, "again"))))
                .isInstanceOf(UnexpectedAppendOffsetException.class);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void followerAppendMaySkipOffsetsACompactedLeaderNoLongerHas() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsFollower(batchAt(0, 1, 10, "a"));

        log.appendAsFollower(concat(batchAt(5, 1, 10, "f"), batchAt(8, 1, 10, "i")));

        assertThat(log.logEndOffset()).isEqualTo(9);
        assertThat(readAllValues(log)).containsExactly("a", "f", "i");
    }

    @Test
    void appendWhenSegmentFullRollsToNewSegment() throws IOException {
        int batchSize = batch(1, "value-00").remaining();
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(batchSize * 3));

        for (int i = 0; i < 7; i++) {
            log.appendAsLeader(batch(1, "value-0" + i), 0);
        }

        assertThat(log.segmentCount()).isEqualTo(3);
        assertThat(logFileCount()).isEqualTo(3);
        assertThat(Files.exists(dir.resolve("orders-0/00000000000000000003.log"))).isTrue();
        assertThat(Files.exists(dir.resolve("orders-0/00000000000000000006.log"))).isTrue();
        assertThat(readAllValues(log)).hasSize(7);
    }

    @Test
    void rolledSegmentHasTrimmedIndexes() throws IOException {
        int batchSize = batch(1, "value-00").remaining();
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(batchSize * 3).withIndexIntervalBytes(1));

        for (int i = 0; i < 4; i++) {
            log.appendAsLeader(batch(100 + i, "value-0" + i), 0);
        }

        Path sealed = dir.resolve("orders-0/00000000000000000000.index");
        assertThat(Files.size(sealed)).isEqualTo(2L * OffsetIndex.ENTRY_SIZE);
        assertThat(Files.size(dir.resolve("orders-0/00000000000000000000.timeindex")))
                .isEqualTo(2L * TimeIndex.ENTRY_SIZE); // the sealing entry adds nothing: 102 is already there
        assertThat(Files.size(dir.resolve("orders-0/00000000000000000003.index")))
                .as("the active segment's index starts small and grows as it fills")
                .isEqualTo(MappedIndex.INITIAL_BYTES);
    }

    @Test
    void appendAfterSegmentMsRollsByAge() throws IOException {
        PartitionLog log = open(LogConfig.defaults().withSegmentMs(60_000));
        log.appendAsLeader(batch(clock.millis(), "a"), 0);

        clock.advance(60_000);
        log.appendAsLeader(batch(clock.millis(), "b"), 0);
        assertThat(log.segmentCount()).isEqualTo(1);

        clock.advance(1);
        log.appendAsLeader(batch(clock.millis(), "c"), 0);
        assertThat(log.segmentCount()).isEqualTo(2);
    }

    @Test
    void appendWhenIndexFullRolls() throws IOException {
        PartitionLog log = open(LogConfig.defaults().withIndexIntervalBytes(1)
                .withSegmentIndexBytes(3 * TimeIndex.ENTRY_SIZE));

        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(batch(i, "v" + i), 0);
        }

        assertThat(log.segmentCount()).isGreaterThan(1);
        assertThat(readAllValues(log)).containsExactly("v0", "v1", "v2", "v3", "v4", "v5");
    }

    @Test
    void readsCrossSegmentBoundaries() throws IOException {
        int batchSize = batch(1, "v00").remaining();
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(batchSize * 2));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(1, "v0" + i), 0);
        }
        assertThat(log.segmentCount()).isEqualTo(5);

        for (long offset = 0; offset < 10; offset++) {
            LogReadResult result = log.readForFollower(offset, 10_000);
            assertThat(offsetsOf(result.records()).getFirst()).isEqualTo(offset);
            assertThat(result.nextFetchOffset()).isEqualTo(offsetsOf(result.records()).getLast() + 1);
        }
        LogReadResult atEnd = log.readForFollower(10, 10_000);
        assertThat(atEnd.records().isEmpty()).isTrue();
        assertThat(atEnd.offsets()).isEqualTo(new LogOffsets(0, 0, 10));
    }

    @Test
    void readFromOffsetInsideBatchReturnsThatBatch() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1, "a", "b", "c", "d"), 0);
        log.appendAsLeader(batch(1, "e"), 0);

        LogReadResult result = log.readForFollower(2, 10_000);

        assertThat(offsetsOf(result.records())).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(result.fetchOffset()).isEqualTo(2);
    }

    @Test
    void readReturnsWholeFirstBatchEvenWhenLargerThanMaxBytes() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batchOfSize(1, 10, 100), 0);
        log.appendAsLeader(batch(1, "small"), 0);

        LogReadResult result = log.readForFollower(0, 10);

        assertThat(batchesOf(result.records())).hasSize(1);
        assertThat(recordsOf(result.records())).hasSize(10);
        assertThat(log.read(0, 10, FetchIsolation.LOG_END, false).records().isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 4})
    void readOutsideLogIsOffsetOutOfRange(long offset) throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1, "a", "b", "c"), 0);

        assertThatThrownBy(() -> log.readForFollower(offset, 100)).isInstanceOfSatisfying(SluiceException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
            assertThat(e.getMessage()).contains("0 to 3");
        });
    }

    @Test
    void consumerReadsStopAtHighWatermark() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1, "a", "b"), 0);
        log.appendAsLeader(batch(1, "c"), 0);
        log.appendAsLeader(batch(1, "d"), 0);

        assertThat(log.readForConsumer(0, 10_000).records().isEmpty()).isTrue();
        log.maybeIncrementHighWatermark(3);

        LogReadResult result = log.readForConsumer(0, 10_000);
        assertThat(valuesOf(result.records())).containsExactly("a", "b", "c");
        assertThat(result.offsets()).isEqualTo(new LogOffsets(0, 3, 4));
        assertThat(log.readForConsumer(3, 10_000).records().isEmpty()).isTrue();
        assertThat(valuesOf(log.readForFollower(3, 10_000).records())).containsExactly("d");
    }

    @Test
    void highWatermarkInsideBatchHidesThatBatchFromConsumers() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1, "a"), 0);
        log.appendAsLeader(batch(1, "b", "c"), 0);

        log.maybeIncrementHighWatermark(2);

        assertThat(valuesOf(log.readForConsumer(0, 10_000).records())).containsExactly("a");
    }

    @Test
    void highWatermarkNeverPassesLogEnd() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(batch(1, "a"), 0);

        assertThat(log.maybeIncrementHighWatermark(10)).isTrue();
        assertThat(log.highWatermark()).isEqualTo(1);
        assertThat(log.maybeIncrementHighWatermark(0)).isFalse();
        assertThat(log.updateHighWatermark(0)).isZero();
    }

    @Test
    void offsetForTimestampUsesTimeIndexAcrossSegments() throws IOException {
        int batchSize = batch(1, "v00").remaining();
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(batchSize * 4).withIndexIntervalBytes(1));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(1000 + i * 10, "v" + (i < 10 ? "0" : "") + i), 0);
        }
        log.maybeIncrementHighWatermark(15);

        assertThat(log.offsetForTimestamp(0, FetchIsolation.LOG_END)).contains(new TimestampOffset(1000, 0));
        assertThat(log.offsetForTimestamp(1055, FetchIsolation.LOG_END)).contains(new TimestampOffset(1060, 6));
        assertThat(log.offsetForTimestamp(1130, FetchIsolation.LOG_END)).contains(new TimestampOffset(1130, 13));
        assertThat(log.offsetForTimestamp(1170, FetchIsolation.LOG_END)).contains(new TimestampOffset(1170, 17));
        assertThat(log.offsetForTimestamp(1170, FetchIsolation.HIGH_WATERMARK)).isEmpty();
        assertThat(log.offsetForTimestamp(5000, FetchIsolation.LOG_END)).isEmpty();
    }

    @Test
    void maxTimestampOffsetIsTheFirstRecordWithTheLargestTimestampBelowTheBound() throws IOException {
        int batchSize = batch(1, "v00").remaining();
        PartitionLog log = open(LogConfig.defaults().withSegmentBytes(batchSize * 3).withIndexIntervalBytes(1));
        long[] timestamps = {1000, 1500, 1200, 1900, 1100, 1900, 1300, 2500, 1000};
        for (long timestamp : timestamps) {
            log.appendAsLeader(batch(timestamp, "v" + timestamp), 0);
        }
        log.maybeIncrementHighWatermark(7);

        assertThat(log.maxTimestampOffset(FetchIsolation.HIGH_WATERMARK)).contains(new TimestampOffset(1900, 3));
        assertThat(log.maxTimestampOffset(FetchIsolation.LOG_END)).contains(new TimestampOffset(2500, 7));
        log.deleteRecordsBefore(5);
        assertThat(log.maxTimestampOffset(FetchIsolation.HIGH_WATERMARK)).contains(new TimestampOffset(1900, 5));
        log.deleteRecordsBefore(6);
        assertThat(log.maxTimestampOffset(FetchIsolation.HIGH_WATERMARK)).contains(new TimestampOffset(1300, 6));
        log.deleteRecordsBefore(7);
        assertThat(log.maxTimestampOffset(FetchIsolation.HIGH_WATERMARK)).isEmpty();
    }

    @Test
    void maxTimestampOffsetLooksOnlyAtRecordsFromTheLogStartInsideABatch() throws IOException {
        PartitionLog log = open(LogConfig.defaults());
        log.appendAsLeader(TestRecords.batchWithTimestamps(900, 3000, 1200, 1100), 0);
        log.maybeIncrementHighWatermark(4);

        assertThat(log.maxTimestampOffset(FetchIsolation.HIGH_WATERMARK)).contains(new TimestampOffset(3000, 1));
        log.deleteRecordsBefore(2);
        assertThat(log.maxTimestampOffset(FetchIsolation.HIGH_WATERMARK)).contains(new TimestampOffset(1200, 2));
    }

    @Test
    void reopenAfterCloseYieldsIdenticalOffsetsAndContent() throws IOException {
        int batchSize = batch(1, "v00").remaining();
        LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize * 3).withIndexIntervalBytes(1);
        PartitionLog log = open(config);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(100 + i, "v0" + i), i / 4);
        }
        log.maybeIncrementHighWatermark(8);
        log.deleteRecordsBefore(1);
        List<String> before = readAllValues(log);
        LogOffsets offsets = log.offsets();
        List<EpochEntry> epochs = log.epochEntries();
        logs.close(log);

        PartitionLog reopened = open(config);

        assertThat(reopened.offsets()).isEqualTo(offsets);
        assertThat(reopened.recoveryPoint()).isEqualTo(10);
        assertThat(readAllValues(reopened)).isEqualTo(before);
        assertThat(reopened.epochEntries()).isEqualTo(epochs);
        assertThat(reopened.segmentCount()).isEqualTo(4);
        assertThat(reopened.offsetForTimestamp(105, FetchIsolation.LOG_END)).contains(new TimestampOffset(105, 5));
        reopened.appendAsLeader(batch(200, "v10"), 3);
        assertThat(reopened.logEndOffset()).isEqualTo(11);
    }
}
