package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.concat;
import static io.sluice.log.TestRecords.idempotent;
import static io.sluice.log.TestRecords.readAllValues;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent producers at one partition log: duplicates, sequence and epoch checks, recovery, truncation, expiry. */
class ProducerStateTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);
    private final LogConfig config = LogConfig.defaults().withFileDeleteDelayMs(0);

    private PartitionLog open(LogConfig cfg) throws IOException {
        return logs.open(dir.resolve("t-0"), cfg);
    }

    private PartitionLog open() throws IOException {
        return open(config);
    }

    private static ErrorCode refusal(PartitionLog log, ByteBuffer batch) {
        try {
            log.appendAsLeader(batch, 0);
        } catch (SluiceException e) {
            return e.errorCode();
        }
        throw new AssertionError("the append was accepted");
    }

    @Test
    void duplicateOfACachedBatchAnswersItsOriginalOffsetsAndAppendsNothing() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(batch(1, "other"), 0);
        AppendResult first = log.appendAsLeader(idempotent(7, 0, 0, "a", "b"), 0);
        log.appendAsLeader(batch(1, "later"), 0);

        AppendResult again = log.appendAsLeader(idempotent(7, 0, 0, "a", "b"), 0);

        assertThat(again.duplicate()).isTrue();
        assertThat(again.firstOffset()).isEqualTo(first.firstOffset()).isEqualTo(1);
        assertThat(again.lastOffset()).isEqualTo(first.lastOffset()).isEqualTo(2);
        assertThat(again.recordCount()).isZero();
        assertThat(log.logEndOffset()).isEqualTo(4);
        assertThat(readAllValues(log)).containsExactly("other", "a", "b", "later");
    }

    @Test
    void duplicateUnderLogAppendTimeAnswersTheOriginalAppendTime() throws IOException {
        PartitionLog log = open(config.withTimestampType(TimestampType.LOG_APPEND_TIME));
        AppendResult first = log.appendAsLeader(idempotent(7, 0, 0, "a"), 0);
        clock.advance(5_000);

        AppendResult again = log.appendAsLeader(idempotent(7, 0, 0, "a"), 0);

        assertThat(again.logAppendTime()).isEqualTo(first.logAppendTime()).isEqualTo(1_000_000);
    }

    @Test
    void batchesInSequenceAreWrittenAndAGapIsOutOfOrder() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7, 0, 0, "a", "b"), 0);
        log.appendAsLeader(idempotent(7, 0, 2, "c"), 0);

        assertThat(refusal(log, idempotent(7, 0, 4, "e"))).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(refusal(log, idempotent(7, 0, 1, "b"))).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.logEndOffset()).isEqualTo(3);
    }

    @Test
    void anUnknownProducerMustStartAtSequenceZero() throws IOException {
        PartitionLog log = open();

        assertThat(refusal(log, idempotent(7, 0, 3, "a"))).isEqualTo(ErrorCode.UNKNOWN_PRODUCER_ID);
        assertThat(log.appendAsLeader(idempotent(7, 0, 0, "a"), 0).duplicate()).isFalse();
    }

    @Test
    void anOlderEpochIsFencedAndANewerOneStartsAtZero() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7, 1, 0, "a"), 0);

        assertThat(refusal(log, idempotent(7, 0, 1, "b"))).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(refusal(log, idempotent(7, 2, 1, "b"))).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        log.appendAsLeader(idempotent(7, 2, 0, "b"), 0);
        // The old epoch's batch is no longer a duplicate: its epoch is fenced.
        assertThat(refusal(log, idempotent(7, 1, 0, "a"))).isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(log.producerStates().get(7L).producerEpoch()).isEqualTo((short) 2);
    }

    @Test
    void onlyTheLastFiveBatchesAreRecognised() throws IOException {
        PartitionLog log = open();
        for (int seq = 0; seq < 6; seq++) {
            log.appendAsLeader(idempotent(7, 0, seq, "v" + seq), 0);
        }

        assertThat(log.appendAsLeader(idempotent(7, 0, 1, "v1"), 0).firstOffset()).isEqualTo(1);
        assertThat(refusal(log, idempotent(7, 0, 0, "v0"))).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void sequencesWrapAfterIntegerMax() throws IOException {
        PartitionLog log = open();
        // An unknown producer starts at 0, so reach the top from a replicated batch, as a follower would have it.
        log.appendAsFollower(withOffset(idempotent(7, 0, Integer.MAX_VALUE - 1, "a", "b"), 0));

        assertThat(log.appendAsLeader(idempotent(7, 0, 0, "c"), 0).firstOffset()).isEqualTo(2);
    }

    @Test
    void anAppendMixingADuplicateAndANewBatchIsRefusedWhole() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7, 0, 0, "a"), 0);

        assertThat(refusal(log, concat(idempotent(7, 0, 0, "a"), idempotent(7, 0, 1, "b"))))
                .isEqualTo(ErrorCode.INVALID_RECORD);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void batchesOfOneProducerInOneAppendChain() throws IOException {
        PartitionLog log = open();

        AppendResult result = log.appendAsLeader(concat(idempotent(7, 0, 0, "a"), idempotent(7, 0, 1, "b"),
                idempotent(8, 0, 0, "x")), 0);

        assertThat(result.lastOffset()).isEqualTo(2);
        assertThat(log.producerStates().get(7L).lastSeq()).isEqualTo(1);
        assertThat(log.appendAsLeader(concat(idempotent(7, 0, 0, "a"), idempotent(7, 0, 1, "b")), 0))
                .extracting(AppendResult::firstOffset, AppendResult::lastOffset, AppendResult::duplicate)
                .containsExactly(0L, 1L, true);
    }

    @Test
    void aFollowerLearnsProducersFromReplicatedBatchesAndAnswersDuplicatesAsLeader() throws IOException {
        PartitionLog log = open();
        log.appendAsFollower(withOffset(idempotent(7, 0, 0, "a", "b"), 0));
        log.appendAsFollower(withOffset(idempotent(7, 0, 2, "c"), 5)); // a compacted leader's gap before it

        AppendResult again = log.appendAsLeader(idempotent(7, 0, 2, "c"), 1);

        assertThat(again.duplicate()).isTrue();
        assertThat(again.firstOffset()).isEqualTo(5);
        assertThat(log.appendAsLeader(idempotent(7, 0, 3, "d"), 1).firstOffset()).isEqualTo(6);
    }

    @Test
    void aCrashAfterAppendRecoversTheSameDuplicateAnswers() throws IOException {
        PartitionLog log = open();
        AppendResult first = log.appendAsLeader(idempotent(7, 0, 0, "a", "b"), 0);
        log.appendAsLeader(idempotent(7, 0, 2, "c"), 0);
        logs.crash(log);

        PartitionLog reopened = open();

        assertThat(reopened.appendAsLeader(idempotent(7, 0, 0, "a", "b"), 0))
                .extracting(AppendResult::firstOffset, AppendResult::lastOffset, AppendResult::duplicate)
                .containsExactly(first.firstOffset(), first.lastOffset(), true);
        assertThat(reopened.appendAsLeader(idempotent(7, 0, 3, "d"), 0).firstOffset()).isEqualTo(3);
    }

    @Test
    void rollingWritesASnapshotAtTheNewSegmentsBaseOffset() throws IOException {
        int size = idempotent(7, 0, 0, "v0").remaining();
        PartitionLog log = open(config.withSegmentBytes(size * 2));
        for (int seq = 0; seq < 5; seq++) {
            log.appendAsLeader(idempotent(7, 0, seq, "v" + seq), 0);
        }

        assertThat(snapshotOffsets()).containsExactly(2L, 4L);
        ProducerSnapshotFile snapshot = new ProducerSnapshotFile(dir.resolve("t-0"), 4);
        assertThat(snapshot.read().orElseThrow().producers().get(7L).lastSeq()).isEqualTo(3);
    }

    @Test
    void aCleanCloseSnapshotsTheLogEndAndReopeningLoadsIt() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7, 0, 0, "a"), 0);
        logs.close(log);

        assertThat(snapshotOffsets()).containsExactly(1L);
        PartitionLog reopened = open();
        assertThat(reopened.producerStates().get(7L).batches())
                .containsExactly(new BatchMetadata(0, 0, 0, 0, 1_000));
    }

    @Test
    void aCorruptSnapshotIsDeletedAndTheStateRebuiltFromTheLog() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7, 0, 0, "a"), 0);
        logs.close(log);
        Files.writeString(dir.resolve("t-0/00000000000000000001.snapshot"), "1\n5\ngarbage\n");

        PartitionLog reopened = open();

        assertThat(reopened.appendAsLeader(idempotent(7, 0, 0, "a"), 0).duplicate()).isTrue();
    }

    @Test
    void truncationForgetsTheBatchesItRemovesAndTheSnapshotsAboveIt() throws IOException {
        int size = idempotent(7, 0, 0, "v0").remaining();
        PartitionLog log = open(config.withSegmentBytes(size * 2));
        for (int seq = 0; seq < 5; seq++) {
            log.appendAsLeader(idempotent(7, 0, seq, "v" + seq), 0);
        }

        log.truncateTo(3);

        assertThat(snapshotOffsets()).containsExactly(2L);
        assertThat(log.producerStates().get(7L).lastSeq()).isEqualTo(2);
        // Sequence 3 was cut: it is new again, and is written at the new log end.
        assertThat(log.appendAsLeader(idempotent(7, 0, 3, "v3"), 1).duplicate()).isFalse();
    }

    @Test
    void aFullRestartForgetsEveryProducer() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7, 0, 0, "a"), 0);

        log.truncateFullyAndStartAt(10);

        assertThat(log.producerStates()).isEmpty();
        assertThat(snapshotOffsets()).isEmpty();
    }

    @Test
    void producersExpireAfterTheExpirationTimeWithoutABatch() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(idempotent(7, 0, 0, "a"), 0);
        clock.advance(500);
        log.appendAsLeader(idempotent(8, 0, 0, "b"), 0);
        clock.advance(600);

        assertThat(log.removeExpiredProducers(1_000)).isEqualTo(1);

        assertThat(log.producerStates()).containsOnlyKeys(8L);
        assertThat(refusal(log, idempotent(7, 0, 1, "c"))).isEqualTo(ErrorCode.UNKNOWN_PRODUCER_ID);
    }

    @Test
    void batchesWithoutProducerIdAreNeverChecked() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(batch(1, "a"), 0);
        log.appendAsLeader(batch(1, "a"), 0);

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.producerStates()).isEmpty();
    }

    private List<Long> snapshotOffsets() throws IOException {
        try (var files = Files.list(dir.resolve("t-0"))) {
            return files.filter(LogFileUtils::isProducerSnapshotFile)
                    .map(f -> LogFileUtils.offsetFromFileName(f).getAsLong()).sorted().toList();
        }
    }

    private static ByteBuffer withOffset(ByteBuffer batch, long baseOffset) {
        RecordBatch.readFrom(batch.duplicate()).setBaseOffset(baseOffset);
        return batch;
    }
}
