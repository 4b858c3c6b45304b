package io.sluice.partition.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.log.LogConfig;
import io.sluice.log.PartitionLog;
import io.sluice.log.VerifiedAppends;
import io.sluice.partition.simulation.ReadCommittedChecker.Txn;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read_committed judge catches each anomaly it names when a real log (or a leader's answer) shows it one, and
 * reports nothing for a clean history: so a simulation run that reports nothing found nothing, rather than looked at
 * nothing.
 */
class ReadCommittedCheckerTest {

    private static final int PARTITION = 0;
    private static final int EPOCH = 1;
    private static final long PRODUCER = 1_000;
    private static final long OTHER_PRODUCER = 1_001;

    @TempDir
    Path dir;
    private final List<PartitionLog> opened = new ArrayList<>();
    private final List<String> anomalies = new ArrayList<>();
    private final ReadCommittedChecker checker = new ReadCommittedChecker(anomalies);

    @AfterEach
    void close() throws IOException {
        for (PartitionLog log : opened) {
            log.close();
        }
    }

    @Test
    void aCommittedAndAnAbortedTransactionReadCommittedHaveNoAnomaly() throws IOException {
        Txn kept = written(PRODUCER, "k-0", 0);
        Txn dropped = written(OTHER_PRODUCER, "d-0", 1);
        PartitionLog log = log();
        transactional(log, PRODUCER, "k-0");
        transactional(log, OTHER_PRODUCER, "d-0");
        marker(log, PRODUCER, true);
        marker(log, OTHER_PRODUCER, false);
        commitAll(log);
        end(kept, true);
        end(dropped, false);

        checker.observeReplica("node 1", PARTITION, log);
        checker.checkFinal("node 1", PARTITION, log);
        checker.checkAllCompleted();

        assertThat(anomalies).isEmpty();
        assertThat(checker.recordsSeen()).isEqualTo(2); // k-0 once while running, once at the end
    }

    @Test
    void aRecordOfAnAbortedTransactionThatAReadReturnsIsCaught() throws IOException {
        Txn txn = written(PRODUCER, "a-0", 0);
        PartitionLog log = log();
        transactional(log, PRODUCER, "a-0");
        marker(log, PRODUCER, true); // the log commits what the producer aborted
        commitAll(log);
        end(txn, false);

        checker.observeReplica("node 1", PARTITION, log);

        assertThat(anomalies).singleElement().asString()
                .contains("a-0 at offset 0 of aborted transaction t.1000", "is visible");
    }

    @Test
    void aRecordOfATransactionStillOpenThatAReadReturnsIsCaught() throws IOException {
        written(PRODUCER, "o-0", 0);
        PartitionLog log = log();
        transactional(log, PRODUCER, "o-0");
        marker(log, PRODUCER, true); // a marker the coordinator never wrote
        commitAll(log);

        checker.observeReplica("node 1", PARTITION, log);

        assertThat(anomalies).singleElement().asString()
                .contains("o-0 at offset 0 of transaction t.1000", "OPEN", "visible before its producer ended it");
    }

    @Test
    void aCommittedRecordMissingAtTheEndIsLost() throws IOException {
        Txn txn = written(PRODUCER, "c-0", 0);
        end(txn, true);
        PartitionLog log = log();
        transactional(log, OTHER_PRODUCER, "x-0");
        marker(log, OTHER_PRODUCER, false);
        commitAll(log);

        checker.checkFinal("node 2", PARTITION, log);

        assertThat(anomalies).singleElement().asString()
                .contains("on node 2: committed record c-0", "acknowledged at offset 0, is visible read_committed at []");
    }

    @Test
    void aCommittedRecordHiddenBehindATransactionThatNeverEndsIsLost() throws IOException {
        Txn txn = written(PRODUCER, "c-0", 1);
        end(txn, true);
        PartitionLog log = log();
        transactional(log, OTHER_PRODUCER, "hanging");
        transactional(log, PRODUCER, "c-0");
        marker(log, PRODUCER, true);
        commitAll(log);

        checker.checkFinal("node 3", PARTITION, log);

        assertThat(anomalies).singleElement().asString()
                .contains("committed record c-0", "visible read_committed at [] (last stable offset 0");
    }

    @Test
    void aTransactionWhoseMarkersWereNeverAllWrittenIsCaughtAtTheEnd() {
        Txn txn = written(PRODUCER, "p-0", 0);
        checker.decided(txn, true);

        checker.checkAllCompleted();

        assertThat(anomalies).singleElement().asString().contains("t.1000", "COMMITTING", "did not complete");
    }

    @Test
    void aLeaderAnswerWithItsLastStableOffsetAboveItsHighWatermarkIsCaught() {
        checker.checkFetch("consumer", 0, fetched(5, 6, 0, "plain"));

        assertThat(anomalies).singleElement().asString()
                .contains("reports last stable offset 6 above high watermark 5");
    }

    @Test
    void aRecordAtOrAboveTheLastStableOffsetAReadReportsIsCaught() {
        checker.checkFetch("consumer", 0, fetched(5, 3, 3, "late"));

        assertThat(anomalies).singleElement().asString()
                .contains("late at offset 3 is at or above the last stable offset 3");
    }

    @Test
    void anOffsetTwoReadsSeeWithDifferentValuesIsCaught() {
        checker.checkFetch("consumer", 0, fetched(5, 5, 0, "one"));

        checker.checkFetch("consumer again", 0, fetched(5, 5, 0, "two"));

        assertThat(anomalies).singleElement().asString()
                .contains("offset 0 holds two, where an earlier read_committed read saw one");
    }

    /** A transaction of {@code producerId} on {@link #PARTITION} whose one value was acknowledged at {@code offset}. */
    private Txn written(long producerId, String value, long offset) {
        Txn txn = checker.begin("t." + producerId, producerId, (short) 0, new TreeSet<>(List.of(PARTITION)));
        checker.sending(txn, PARTITION, List.of(value));
        checker.acked(txn, PARTITION, List.of(value), offset);
        return txn;
    }

    private void end(Txn txn, boolean commit) {
        checker.decided(txn, commit);
        checker.completed(txn);
    }

    private PartitionLog log() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("log-" + opened.size()), LogConfig.defaults(),
                Clock.systemUTC());
        opened.add(log);
        return log;
    }

    private static void transactional(PartitionLog log, long producerId, String value) {
        VerifiedAppends.appendAsLeader(log, RecordBatchBuilder.of(CompressionType.NONE)
                .producer(producerId, (short) 0, 0).transactional(true)
                .append(1_000L, null, value.getBytes(StandardCharsets.UTF_8)).build(), EPOCH);
    }

    private static void marker(PartitionLog log, long producerId, boolean commit) {
        log.appendMarker(producerId, (short) 0, new EndTxnMarker(commit, 0), EPOCH);
    }

    private static void commitAll(PartitionLog log) {
        log.maybeIncrementHighWatermark(log.logEndOffset());
    }

    /** A leader's answer: one plain record {@code value} at {@code offset}, with the offsets given. */
    private static FetchedPartition fetched(long highWatermark, long lastStable, long offset, String value) {
        ByteBuffer records = RecordBatchBuilder.of(CompressionType.NONE).baseOffset(offset)
                .append(1_000L, null, value.getBytes(StandardCharsets.UTF_8)).build();
        return new FetchedPartition(new TopicPartition(SimulatedCluster.TOPIC, PARTITION), null, highWatermark,
                lastStable, 0, highWatermark, List.of(), records);
    }
}
