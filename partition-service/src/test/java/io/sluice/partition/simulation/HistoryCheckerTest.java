package io.sluice.partition.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.LogConfig;
import io.sluice.log.PartitionLog;
import io.sluice.log.VerifiedAppends;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation's judge catches each anomaly it names when handed a history that has it, and reports nothing for a
 * clean one: so a simulation run that reports nothing found nothing, rather than looked at nothing.
 */
class HistoryCheckerTest {

    private static final int EPOCH = 1;
    private static final long PRODUCER = 1_000;

    @TempDir
    Path dir;
    private final List<PartitionLog> opened = new ArrayList<>();
    private final HistoryChecker checker = new HistoryChecker();

    @AfterEach
    void close() throws IOException {
        for (PartitionLog log : opened) {
            log.close();
        }
    }

    @Test
    void aCleanHistoryHasNoAnomaly() throws IOException {
        PartitionLog leader = log("a", "b");
        checker.acked(0, "a", 0, EPOCH, 1);
        checker.acked(0, "b", 1, EPOCH, 1);
        checker.observeLeader("node-1", 0, EPOCH, leader);

        checker.checkFinal(0, leader, Map.of(2, log("a", "b")));

        assertThat(checker.anomalies()).isEmpty();
    }

    @Test
    void anAcknowledgedRecordMissingFromTheFinalLeaderIsLost() throws IOException {
        checker.acked(0, "c", 2, EPOCH, 1);

        checker.checkFinal(0, log("a", "b"), Map.of());

        assertThat(checker.anomalies()).singleElement().asString().contains("acknowledged c at offset 2 is lost");
    }

    @Test
    void aCommittedOffsetALaterLeaderExposesWithAnotherValueIsCaught() throws IOException {
        checker.observeLeader("node-1", 0, EPOCH, log("a", "b"));

        checker.observeLeader("node-2", 0, EPOCH + 1, log("a", "x"));

        assertThat(checker.anomalies()).singleElement().asString()
                .contains("offset 1 was committed as b", "exposes x there");
    }

    @Test
    void oneValueCommittedAtTwoOffsetsIsCaught() throws IOException {
        checker.observeLeader("node-1", 0, EPOCH, log("a", "a"));

        assertThat(checker.anomalies()).singleElement().asString().contains("a is committed at offsets 0 and 1");
    }

    @Test
    void twoNodesAcknowledgingInOneLeaderEpochAreCaught() {
        checker.acked(0, "a", 0, EPOCH, 1);
        checker.acked(0, "b", 1, EPOCH, 2);

        assertThat(checker.anomalies()).singleElement().asString()
                .contains("nodes 1 and 2 both acknowledged writes in leader epoch 1");
    }

    @Test
    void anAcknowledgementAtAnOffsetCommittedWithAnotherValueIsCaught() throws IOException {
        checker.observeLeader("node-1", 0, EPOCH, log("a"));

        checker.acked(0, "z", 0, EPOCH + 1, 2);

        assertThat(checker.anomalies()).singleElement().asString()
                .contains("z acknowledged at offset 0, where a was committed");
    }

    @Test
    void aFinalLeaderWhoseHighWatermarkIsBelowItsLogEndIsCaught() throws IOException {
        PartitionLog halfCommitted = PartitionLog.open(dir.resolve("half-0"), LogConfig.defaults(), Clock.systemUTC());
        opened.add(halfCommitted);
        append(halfCommitted, "a");
        append(halfCommitted, "b");
        halfCommitted.maybeIncrementHighWatermark(1);

        checker.checkFinal(0, halfCommitted, Map.of());

        assertThat(checker.anomalies()).singleElement().asString()
                .contains("high watermark 1 is below its log end 2");
    }

    @Test
    void anInSyncFollowerHoldingOtherRecordsThanTheLeaderIsCaught() throws IOException {
        checker.checkFinal(0, log("a", "b"), Map.of(2, log("a", "x")));

        assertThat(checker.anomalies()).singleElement().asString()
                .contains("in-sync replica 2", "first difference: leader 1=b, replica 1=x");
    }

    @Test
    void transactionMarkersRepeatWithoutBeingOneValueAtTwoOffsets() throws IOException {
        PartitionLog log = log();
        for (int sequence = 0; sequence < 2; sequence++) {
            VerifiedAppends.appendAsLeader(log, RecordBatchBuilder.of(CompressionType.NONE)
                    .producer(PRODUCER, (short) 0, sequence).transactional(true)
                    .append(1_000L, null, ("t" + sequence).getBytes(StandardCharsets.UTF_8)).build(), EPOCH);
            log.appendMarker(PRODUCER, (short) 0, new EndTxnMarker(true, 0), EPOCH);
        }
        log.maybeIncrementHighWatermark(log.logEndOffset());

        checker.observeLeader("node-1", 0, EPOCH, log);

        assertThat(checker.anomalies()).isEmpty();
        assertThat(HistoryChecker.records(log, 0, 4)).extracting(HistoryChecker.Entry::toString)
                .containsExactly("0=t0", "1=commit marker of producer 1000", "2=t1", "3=commit marker of producer 1000");
    }

    /** A log holding {@code values} from offset 0, one batch each, all committed. */
    private PartitionLog log(String... values) throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("log-" + opened.size()), LogConfig.defaults(),
                Clock.systemUTC());
        opened.add(log);
        for (String value : values) {
            append(log, value);
        }
        log.maybeIncrementHighWatermark(log.logEndOffset());
        return log;
    }

    private static void append(PartitionLog log, String value) {
        log.appendAsLeader(RecordBatchBuilder.of(CompressionType.NONE)
                .append(1_000L, null, value.getBytes(StandardCharsets.UTF_8)).build(), EPOCH);
    }
}
