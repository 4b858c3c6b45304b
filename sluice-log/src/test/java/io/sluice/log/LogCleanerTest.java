package io.sluice.log;

import static io.sluice.log.CompactedLogs.TP;
import static io.sluice.log.CompactedLogs.commit;
import static io.sluice.log.CompactedLogs.config;
import static io.sluice.log.CompactedLogs.keyed;
import static io.sluice.log.CompactedLogs.put;
import static io.sluice.log.CompactedLogs.readAll;
import static io.sluice.log.CompactedLogs.text;
import static io.sluice.log.CompactedLogs.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The log cleaner on real files: what it keeps, what it never touches, and the policy rules that pick a log. */
class LogCleanerTest {

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_000_000);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);

    private PartitionLog open(LogConfig config) throws IOException {
        return logs.open(dataDir.resolve(TP.toString()), config);
    }

    private LogCleaner cleaner(PartitionLog log) throws IOException {
        return CompactedLogs.cleaner(log, dataDir, clock, SwapSteps.NONE);
    }

    private static List<String> keyValues(PartitionLog log) {
        return readAll(log).stream().map(r -> text(r.key()) + "=" + text(r.value())).toList();
    }

    @Test
    void cleaningKeepsTheLatestValuePerKeyAtItsOriginalOffset() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1"), put("b", "1")), 0); // 0, 1
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);                // 2
        log.appendAsLeader(keyed(clock.millis(), put("c", "1"), put("b", "2")), 0); // 3, 4
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);           // 5, the active segment
        commit(log);

        CleanResult result = cleaner(log).clean(TP, log);

        assertThat(readAll(log)).extracting(Record::offset).containsExactly(2L, 3L, 4L, 5L);
        assertThat(keyValues(log)).containsExactly("a=2", "c=1", "b=2", "z=active");
        assertThat(result.recordsRemoved()).isEqualTo(2);
        assertThat(result.cleanedUpTo()).isEqualTo(5);
        assertThat(log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void anEmptiedLastBatchOfAProducerKeepsItsHeaderSoAReplicaRebuildsTheProducer() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE));
        log.appendAsLeader(idempotent(7, 0, 0, put("a", "1")), 0);              // 0: superseded, not the last
        log.appendAsLeader(idempotent(7, 0, 1, put("a", "2"), put("b", "1")), 0); // 1, 2: superseded, the last
        log.appendAsLeader(keyed(clock.millis(), put("a", "3"), put("b", "2")), 0); // 3, 4
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);           // 5
        commit(log);

        cleaner(log).clean(TP, log);

        assertThat(keyValues(log)).containsExactly("a=3", "b=2", "z=active");
        List<RecordBatch> batches = TestRecords.batchesOf(log.read(0, 1 << 20, FetchIsolation.LOG_END, true)
                .records());
        RecordBatch header = batches.getFirst();
        assertThat(header.recordCount()).isZero();
        assertThat(header.baseOffset()).isEqualTo(1);
        assertThat(header.lastOffset()).isEqualTo(2);
        assertThat(header.baseSequence()).isEqualTo(1);
        // A new replica copying this log learns producer 7 from the header and answers its retry as a duplicate.
        PartitionLog replica = logs.open(dataDir.resolve("replica-0"), config(Long.MAX_VALUE));
        for (long offset = 0; offset < log.logEndOffset(); ) {
            LogReadResult read = log.readForFollower(offset, 1 << 20);
            replica.appendAsFollower(read.records().load());
            offset = read.nextFetchOffset();
        }
        AppendResult retry = replica.appendAsLeader(idempotent(7, 0, 1, put("a", "2"), put("b", "1")), 1);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(1);
    }

    private ByteBuffer idempotent(long producerId, int epoch, int sequence, CompactedLogs.Write... writes) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE).producer(producerId, (short) epoch,
                sequence);
        for (CompactedLogs.Write write : writes) {
            builder.append(clock.millis(), write.key().getBytes(StandardCharsets.UTF_8),
                    write.value().getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    @Test
    void theActiveSegmentIsNeverCleaned() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE).withSegmentBytes(1 << 20));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        commit(log);

        CleanResult result = cleaner(log).clean(TP, log);

        assertThat(keyValues(log)).containsExactly("a=1", "a=2");
        assertThat(result.segmentsBefore()).isZero();
    }

    @Test
    void nothingAtOrAboveTheHighWatermarkIsCleaned() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "3")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        log.flush();
        log.maybeIncrementHighWatermark(1); // only offset 0 is committed

        cleaner(log).clean(TP, log);

        assertThat(keyValues(log)).containsExactly("a=1", "a=2", "a=3", "z=active");
    }

    @Test
    void recordsYoungerThanMinCompactionLagAreNotCleaned() throws Exception {
        LogConfig config = config(Long.MAX_VALUE);
        PartitionLog log = open(config.withCompaction(config.compaction().withMinCompactionLagMs(60_000)));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);

        cleaner(log).clean(TP, log);
        assertThat(keyValues(log)).containsExactly("a=1", "a=2", "z=active");

        clock.advance(60_000);
        cleaner(log).clean(TP, log);
        assertThat(keyValues(log)).containsExactly("a=2", "z=active");
    }

    @Test
    void aTombstoneStaysForDeleteRetentionAfterTheFirstCleaningThenGoes() throws Exception {
        PartitionLog log = open(config(10_000));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1"), put("b", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), tombstone("a")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);
        LogCleaner cleaner = cleaner(log);

        cleaner.clean(TP, log);
        assertThat(keyValues(log)).containsExactly("b=1", "a=null", "z=active");
        RecordBatch stamped = TestRecords.batchesOf(log.read(2, 4096, FetchIsolation.LOG_END, true).records())
                .getFirst();
        assertThat(stamped.deleteHorizonMs()).isEqualTo(clock.millis() + 10_000);

        clock.advance(9_999);
        cleaner.clean(TP, log);
        assertThat(keyValues(log)).containsExactly("b=1", "a=null", "z=active");

        clock.advance(1);
        cleaner.clean(TP, log);
        assertThat(keyValues(log)).containsExactly("b=1", "z=active");
    }

    @Test
    void smallNeighbouringSegmentsAreMergedUpToSegmentBytes() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(keyed(clock.millis(), put("k" + i, "v")), 0);
        }
        int before = log.segmentCount();
        log.updateConfig(log.config().withSegmentBytes(1 << 20));
        commit(log);

        CleanResult result = cleaner(log).clean(TP, log);

        assertThat(before).isEqualTo(10);
        assertThat(result.segmentsBefore()).isEqualTo(9);
        assertThat(result.segmentsAfter()).isEqualTo(1);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(readAll(log)).hasSize(10);
    }

    @Test
    void aBatchWithSomeRecordsRemovedKeepsItsOffsetSpanAndCompressionAndPassesItsCrc() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE));
        log.appendAsLeader(keyed(CompressionType.GZIP, clock.millis(), put("a", "1"), put("b", "1"), put("c", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("b", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);

        cleaner(log).clean(TP, log);

        RecordBatch rewritten = TestRecords.batchesOf(log.read(0, 4096, FetchIsolation.LOG_END, true).records())
                .getFirst();
        assertThat(rewritten.baseOffset()).isZero();
        assertThat(rewritten.lastOffset()).isEqualTo(2);
        assertThat(rewritten.compressionType()).isEqualTo(CompressionType.GZIP);
        assertThat(rewritten.isValid()).isTrue();
        assertThat(rewritten.records()).extracting(Record::offset).containsExactly(0L, 2L);
    }

    @Test
    void aFetchAtAnOffsetCleanedAwayReturnsTheNextRecords() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("b", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "3")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);
        cleaner(log).clean(TP, log);

        LogReadResult read = log.readForConsumer(0, 4096);

        assertThat(TestRecords.offsetsOf(read.records())).containsExactly(2L);
        assertThat(read.nextFetchOffset()).isEqualTo(3);
    }

    @Test
    void aReadInAGapThatRunsUpToTheHighWatermarkContinuesAtTheHighWatermark() throws Exception {
        PartitionLog log = open(config(0));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), tombstone("a")), 0);
        commit(log);
        log.appendAsLeader(keyed(clock.millis(), put("z", "not yet committed")), 0);
        LogCleaner cleaner = cleaner(log);
        cleaner.clean(TP, log); // a=1 goes, the tombstone gets its delete horizon (now)
        cleaner.clean(TP, log); // the tombstone goes: [0, 2) is empty

        LogReadResult read = log.readForConsumer(0, 4096);

        assertThat(read.records().isEmpty()).isTrue();
        assertThat(read.nextFetchOffset()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void aCleanedLogReopensWithTheSameRecordsAndItsCheckpointSaysWhereItIsClean() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);
        cleaner(log).clean(TP, log);
        List<String> cleaned = keyValues(log);
        logs.close(log);

        PartitionLog reopened = open(config(Long.MAX_VALUE));

        assertThat(keyValues(reopened)).isEqualTo(cleaned).containsExactly("a=2", "z=active");
        assertThat(cleaner(reopened).cleanOffset(TP)).contains(2L);
        try (Stream<Path> files = Files.list(reopened.directory())) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(".cleaned") || name.endsWith(".swap"));
        }
    }

    @Test
    void aCompactedTopicRefusesRecordsWithoutAKey() throws Exception {
        PartitionLog log = open(config(Long.MAX_VALUE));

        assertThatThrownBy(() -> log.appendAsLeader(TestRecords.batch(clock.millis(), "no key"), 0))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_RECORD));
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void compactOnlyLogsAreNotShrunkByTimeOrSizeRetentionButCompactDeleteLogsAre() throws Exception {
        LogConfig compact = config(Long.MAX_VALUE).withRetentionMs(1).withRetentionBytes(1);
        PartitionLog log = open(compact);
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("b", "1")), 0);
        commit(log);
        clock.advance(10);

        assertThat(log.deleteOldSegments()).isZero();

        log.updateConfig(compact.withCompaction(compact.compaction().withPolicy(CleanupPolicy.COMPACT_DELETE)));
        assertThat(log.deleteOldSegments()).isEqualTo(1);
    }

    // ------------------------------------------------------------- policy rules

    @Test
    void aLogBelowMinCleanableDirtyRatioIsNotPickedAndAboveItIs() throws Exception {
        LogConfig config = config(Long.MAX_VALUE);
        PartitionLog log = open(config.withCompaction(config.compaction().withMinCleanableDirtyRatio(0.5)));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("b", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);
        LogCleaner cleaner = cleaner(log);
        assertThat(cleaner.cleanFilthiestLog()).isPresent(); // never cleaned: all dirty, ratio 1
        assertThat(cleaner.cleanFilthiestLog()).isEmpty();   // all clean, ratio 0

        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        commit(log);
        // clean: a=1, b=1 (2 segments); dirty: z (1 segment): 1/3 < 0.5
        assertThat(cleaner.dirtiness()).singleElement().satisfies(d -> assertThat(d.dirtyRatio())
                .isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(0.05)));
        assertThat(cleaner.cleanFilthiestLog()).isEmpty();

        log.appendAsLeader(keyed(clock.millis(), put("b", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("c", "1")), 0);
        commit(log);
        assertThat(cleaner.cleanFilthiestLog()).get().satisfies(r -> assertThat(r.dirtyRatio()).isGreaterThan(0.5));
        assertThat(keyValues(log)).containsExactly("z=active", "a=2", "b=2", "c=1");
    }

    @Test
    void aDirtySegmentPastMaxCompactionLagIsCleanedWhateverTheRatio() throws Exception {
        LogConfig config = config(Long.MAX_VALUE);
        PartitionLog log = open(config.withCompaction(config.compaction().withMinCleanableDirtyRatio(1)
                .withMaxCompactionLagMs(5_000)));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);
        LogCleaner cleaner = cleaner(log);
        cleaner.clean(TP, log);
        log.appendAsLeader(keyed(clock.millis(), put("a", "3")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("x", "1")), 0);
        commit(log);
        assertThat(cleaner.cleanFilthiestLog()).isEmpty(); // dirty: z, a=3 of four segments, below ratio 1

        clock.advance(5_001);
        assertThat(cleaner.cleanFilthiestLog()).isPresent();
        assertThat(keyValues(log)).containsExactly("z=active", "a=3", "x=1");
    }

    @Test
    void anIdleCompactedLogRollsItsActiveSegmentAfterMaxCompactionLagSoItsLastRecordsAreCleaned() throws Exception {
        LogConfig config = config(Long.MAX_VALUE).withSegmentBytes(1 << 20);
        PartitionLog log = open(config.withCompaction(config.compaction().withMaxCompactionLagMs(5_000)));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        commit(log);
        LogCleaner cleaner = cleaner(log);
        assertThat(cleaner.cleanFilthiestLog()).isEmpty();
        assertThat(log.segmentCount()).isEqualTo(1);

        clock.advance(5_001);
        log.maybeRollForCompaction();
        commit(log);
        assertThat(log.segmentCount()).isEqualTo(2);
        assertThat(cleaner.cleanFilthiestLog()).isPresent();

        assertThat(keyValues(log)).containsExactly("a=2");
        assertThat(log.logEndOffset()).isEqualTo(2);
        log.appendAsLeader(keyed(clock.millis(), put("b", "1")), 0);
        assertThat(keyValues(log)).containsExactly("a=2", "b=1");
    }

    @Test
    void deleteOnlyLogsAreNeverCleaned() throws Exception {
        LogConfig config = config(Long.MAX_VALUE);
        PartitionLog log = open(config.withCompaction(config.compaction().withPolicy(CleanupPolicy.DELETE)));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);

        assertThat(cleaner(log).cleanFilthiestLog()).isEmpty();
        assertThat(keyValues(log)).containsExactly("a=1", "a=2", "z=active");
    }
}
