package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions in one partition log: the last stable offset, read_committed reads with their aborted transactions,
 * markers and their fences, and all of it through a clean reopen, a crash, a truncation, retention and the cleaner.
 */
class TransactionLogTest {

    private static final EndTxnMarker COMMIT = new EndTxnMarker(true, 0);
    private static final EndTxnMarker ABORT = new EndTxnMarker(false, 0);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);
    private final LogConfig config = LogConfig.defaults().withFileDeleteDelayMs(0);

    private PartitionLog open() throws IOException {
        return logs.open(dir.resolve("t-0"), config);
    }

    /** A transactional producer's batch of {@code values}. */
    static ByteBuffer txn(long producerId, int epoch, int baseSequence, String... values) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE)
                .producer(producerId, (short) epoch, baseSequence).transactional(true);
        for (String value : values) {
            builder.append(1_000, value.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static ErrorCode refusal(Runnable append) {
        try {
            append.run();
        } catch (SluiceException e) {
            return e.errorCode();
        }
        throw new AssertionError("accepted");
    }

    private static void replicate(PartitionLog log) {
        log.maybeIncrementHighWatermark(log.logEndOffset());
    }

    /** The base offsets of the batches a read returned, control batches marked with a "c". */
    private static List<String> batches(LogReadResult read) {
        List<String> found = new ArrayList<>();
        for (RecordBatch batch : TestRecords.batchesOf(read.records())) {
            found.add(batch.baseOffset() + (batch.isControlBatch() ? "c" : ""));
        }
        return found;
    }

    @Test
    void anOpenTransactionHoldsTheLastStableOffsetAtItsFirstRecordUntilItsMarkerIsReplicated() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(TestRecords.batch(1, "plain"), 0);              // 0
        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a", "b"), 0);                     // 1, 2
        log.appendAsLeader(TestRecords.batch(1, "after"), 0);              // 3
        replicate(log);
        assertThat(log.highWatermark()).isEqualTo(4);
        assertThat(log.lastStableOffset()).isEqualTo(1);

        AppendResult marker = log.appendMarker(7, (short) 0, COMMIT, 0);    // 4
        assertThat(marker.firstOffset()).isEqualTo(4);
        assertThat(log.lastStableOffset()).as("the marker is not replicated yet").isEqualTo(1);
        replicate(log);
        assertThat(log.lastStableOffset()).isEqualTo(5).isEqualTo(log.highWatermark());
    }

    @Test
    void aCommittedReadEndsAtTheLastStableOffsetAndNamesTheAbortedTransactionsInIt() throws IOException {
        PartitionLog log = open();
        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a"), 0);                          // 0, aborted
        VerifiedAppends.appendAsLeader(log, txn(8, 0, 0, "x"), 0);                          // 1, committed
        log.appendAsLeader(TestRecords.batch(1, "plain"), 0);              // 2
        log.appendMarker(7, (short) 0, ABORT, 0);                          // 3
        log.appendMarker(8, (short) 0, COMMIT, 0);                         // 4
        VerifiedAppends.appendAsLeader(log, txn(9, 0, 0, "open"), 0);                       // 5, still open
        replicate(log);

        LogReadResult committed = log.read(0, 1 << 20, FetchIsolation.TXN_COMMITTED, true);
        assertThat(committed.lastStableOffset()).isEqualTo(5);
        assertThat(committed.nextFetchOffset()).isEqualTo(5);
        assertThat(batches(committed)).containsExactly("0", "1", "2", "3c", "4c");
        assertThat(committed.abortedTxns()).containsExactly(new AbortedTxn(7, 0, 3, 1));

        LogReadResult uncommitted = log.read(0, 1 << 20, FetchIsolation.HIGH_WATERMARK, true);
        assertThat(batches(uncommitted)).containsExactly("0", "1", "2", "3c", "4c", "5");
        assertThat(uncommitted.abortedTxns()).isEmpty();
        assertThat(uncommitted.lastStableOffset()).isEqualTo(5);

        LogReadResult fromAfterTheAbort = log.read(4, 1 << 20, FetchIsolation.TXN_COMMITTED, true);
        assertThat(fromAfterTheAbort.abortedTxns()).isEmpty();
    }

    @Test
    void aBatchThatWouldOpenATransactionUnverifiedIsRefusedAndNothingIsWritten() throws IOException {
        PartitionLog log = open();
        log.appendAsLeader(TestRecords.batch(1, "plain"), 0);

        assertThat(refusal(() -> log.appendAsLeader(txn(7, 0, 0, "a"), 0))).isEqualTo(ErrorCode.INVALID_TXN_STATE);

        List<ByteBuffer> entries = List.of(txn(7, 0, 0, "a"));
        List<TxnStart> starts = log.transactionStarts(entries);
        TxnVerifications fenced = TxnVerifications.of(starts, Map.of(starts.getFirst(),
                ErrorCode.INVALID_PRODUCER_EPOCH.exception("epoch 0 is fenced")));
        assertThat(log.appendAsLeader(entries, 0, fenced).getFirst().error().errorCode())
                .as("the coordinator's reason").isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(log.logEndOffset()).isEqualTo(1);
        replicate(log);
        assertThat(log.lastStableOffset()).as("no transaction opened").isEqualTo(1);
    }

    @Test
    void onlyABatchThatOpensATransactionNeedsVerifyingAndNotARepeatOfOneWritten() throws IOException {
        PartitionLog log = open();
        assertThat(log.transactionStarts(List.of(TestRecords.batch(1, "plain"), TestRecords.idempotent(8, 0, 0, "i"))))
                .as("no transactional batch").isEmpty();
        assertThat(log.transactionStarts(List.of(txn(7, 0, 0, "a"), txn(7, 0, 1, "b"))))
                .as("one start per producer and epoch").singleElement()
                .satisfies(start -> assertThat(start.producerId()).isEqualTo(7));

        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a"), 0);
        assertThat(log.transactionStarts(List.of(txn(7, 0, 1, "b")))).as("its transaction is open here").isEmpty();
        log.appendAsLeader(txn(7, 0, 1, "b"), 0);
        log.appendMarker(7, (short) 0, COMMIT, 0);
        assertThat(log.transactionStarts(List.of(txn(7, 0, 1, "b")))).as("a repeat of a batch written").isEmpty();
        assertThat(log.appendAsLeader(txn(7, 0, 1, "b"), 0).firstOffset()).isEqualTo(1);
        assertThat(log.transactionStarts(List.of(txn(7, 0, 2, "c")))).as("the next transaction").hasSize(1);
    }

    @Test
    void aMarkerOfTheProducerWrittenWhileItsBatchWasVerifiedRefusesTheBatch() throws IOException {
        PartitionLog log = open();
        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a"), 0);
        log.appendMarker(7, (short) 0, COMMIT, 0);
        List<ByteBuffer> late = List.of(txn(7, 0, 1, "late"));
        List<TxnStart> starts = log.transactionStarts(late);
        // While the coordinator is asked, it ends a transaction of the producer here: the batch may belong to it.
        log.appendMarker(7, (short) 0, ABORT, 0);

        assertThat(log.appendAsLeader(late, 0, TxnVerifications.of(starts, Map.of())).getFirst().error().errorCode())
                .isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(log.logEndOffset()).isEqualTo(3);
        replicate(log);
        assertThat(log.lastStableOffset()).isEqualTo(3);
        assertThat(VerifiedAppends.appendAsLeader(log, txn(7, 0, 1, "next"), 0).firstOffset())
                .as("verified again after the marker").isEqualTo(3);
    }

    @Test
    void aProducerCannotWriteOutsideItsOpenTransactionAndNothingIsWritten() throws IOException {
        PartitionLog log = open();
        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a"), 0);
        assertThat(refusal(() -> log.appendAsLeader(TestRecords.idempotent(7, 0, 1, "plain"), 0)))
                .isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(log.logEndOffset()).isEqualTo(1);

        log.appendMarker(7, (short) 0, COMMIT, 0);
        assertThat(log.appendAsLeader(TestRecords.idempotent(7, 0, 1, "plain"), 0).firstOffset())
                .as("after the marker the producer may write without a transaction").isEqualTo(2);
    }

    @Test
    void aProduceCarryingAControlBatchIsRefused() throws IOException {
        PartitionLog log = open();
        ByteBuffer forged = ABORT.toBatch(7, (short) 0, 1_000);
        assertThat(refusal(() -> log.appendAsLeader(forged, 0))).isEqualTo(ErrorCode.INVALID_RECORD);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void aMarkerOfAnOlderProducerEpochOrAnOlderCoordinatorIsRefusedAndNothingIsWritten() throws IOException {
        PartitionLog log = open();
        VerifiedAppends.appendAsLeader(log, txn(7, 2, 0, "a"), 0);
        assertThat(refusal(() -> log.appendMarker(7, (short) 1, COMMIT, 0)))
                .isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        log.appendMarker(7, (short) 2, new EndTxnMarker(false, 5), 0);
        VerifiedAppends.appendAsLeader(log, txn(7, 2, 1, "b"), 0);
        assertThat(refusal(() -> log.appendMarker(7, (short) 2, new EndTxnMarker(true, 4), 0)))
                .isEqualTo(ErrorCode.TRANSACTION_COORDINATOR_FENCED);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(refusal(() -> log.appendMarker(7, (short) 2, COMMIT, -1)))
                .as("a deposed leader's marker").isEqualTo(ErrorCode.FENCED_LEADER_EPOCH);
    }

    @Test
    void aMarkerWithANewerProducerEpochStartsTheProducerOverAtSequenceZero() throws IOException {
        PartitionLog log = open();
        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a", "b"), 0);
        log.appendMarker(7, (short) 1, ABORT, 0); // the coordinator aborted on a timeout and bumped the epoch
        assertThat(refusal(() -> VerifiedAppends.appendAsLeader(log, txn(7, 0, 2, "c"), 0)))
                .as("the fenced epoch").isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
        assertThat(VerifiedAppends.appendAsLeader(log, txn(7, 1, 0, "c"), 0).firstOffset()).isEqualTo(3);
    }

    @Test
    void transactionsSurviveACleanReopenAndACrash() throws IOException {
        PartitionLog log = open();
        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a"), 0);                          // 0, aborted
        log.appendMarker(7, (short) 0, ABORT, 0);                          // 1
        VerifiedAppends.appendAsLeader(log, txn(8, 0, 0, "open"), 0);                       // 2
        replicate(log);
        logs.close(log);

        PartitionLog reopened = open();
        assertThat(reopened.lastStableOffset()).isEqualTo(2);
        assertThat(reopened.abortedTxns()).containsExactly(new AbortedTxn(7, 0, 1, 2));
        VerifiedAppends.appendAsLeader(reopened, txn(7, 0, 1, "b"), 0);                     // 3, aborted
        reopened.appendMarker(7, (short) 0, ABORT, 0);                     // 4
        replicate(reopened);
        logs.crash(reopened);

        PartitionLog recovered = open();
        assertThat(recovered.abortedTxns()).containsExactly(new AbortedTxn(7, 0, 1, 2), new AbortedTxn(7, 3, 4, 2));
        recovered.maybeIncrementHighWatermark(recovered.logEndOffset());
        assertThat(recovered.lastStableOffset()).as("producer 8's transaction is still open").isEqualTo(2);
        assertThat(refusal(() -> recovered.appendAsLeader(TestRecords.idempotent(8, 0, 1, "x"), 0)))
                .isEqualTo(ErrorCode.INVALID_TXN_STATE);
    }

    @Test
    void aTruncationBelowAMarkerReopensItsTransaction() throws IOException {
        PartitionLog log = open();
        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a"), 0);                          // 0
        log.appendMarker(7, (short) 0, ABORT, 0);                          // 1
        assertThat(log.abortedTxns()).hasSize(1);

        log.truncateTo(1);

        assertThat(log.abortedTxns()).isEmpty();
        log.maybeIncrementHighWatermark(1);
        assertThat(log.lastStableOffset()).isZero();
        log.appendMarker(7, (short) 0, COMMIT, 0);
        log.maybeIncrementHighWatermark(2);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.abortedTxns()).isEmpty();
    }

    @Test
    void aProducerWithAnOpenTransactionDoesNotExpire() throws IOException {
        PartitionLog log = open();
        VerifiedAppends.appendAsLeader(log, txn(7, 0, 0, "a"), 0);
        log.appendAsLeader(TestRecords.idempotent(8, 0, 0, "b"), 0);
        clock.advance(10_000);
        assertThat(log.removeExpiredProducers(1_000)).isEqualTo(1);
        assertThat(log.producerStates()).containsOnlyKeys(7L);
    }

    @Test
    void aBatchWithoutTheTransactionalFlagIsNeverInAnAbortedRange() {
        var aborted = LogCleaner.abortedIn(List.of(new AbortedTxn(7, 10, 20, 21)));
        assertThat(aborted.test(RecordBatch.readFrom(batchAt(txn(7, 0, 0, "a"), 15)))).isTrue();
        assertThat(aborted.test(RecordBatch.readFrom(batchAt(TestRecords.idempotent(7, 0, 0, "a"), 15)))).isFalse();
        assertThat(aborted.test(RecordBatch.readFrom(batchAt(txn(8, 0, 0, "a"), 15)))).isFalse();
        assertThat(aborted.test(RecordBatch.readFrom(batchAt(txn(7, 0, 0, "a"), 21)))).isFalse();
    }

    private static ByteBuffer batchAt(ByteBuffer batch, long offset) {
        RecordBatch.readFrom(batch.duplicate()).setBaseOffset(offset);
        return batch;
    }

    @Test
    void theLastStableOffsetNeverPassesTheHighWatermarkNorAnUnstableTransaction() {
        UnstableTxns txns = new UnstableTxns(List.of(new UnstableTxns.Span(5, 9), new UnstableTxns.Span(7,
                Long.MAX_VALUE)));
        assertThat(txns.lastStableOffset(3)).isEqualTo(3);
        assertThat(txns.lastStableOffset(9)).isEqualTo(5);
        assertThat(txns.lastStableOffset(10)).as("the first is stable once its marker is below").isEqualTo(7);
        assertThat(UnstableTxns.NONE.lastStableOffset(12)).isEqualTo(12);
        assertThatThrownBy(() -> txns.spans().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }
}
