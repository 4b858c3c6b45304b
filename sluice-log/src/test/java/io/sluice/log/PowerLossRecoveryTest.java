package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power loss, unlike a process crash, throws away what was written but not fsynced. A follower's truncation must
 * survive it, and whatever the segments hold after it, the leader-epoch cache must describe their batches — else the
 * replica answers "where did epoch E end" with offsets of records written in another epoch, and KIP-279 truncation
 * keeps records the leader does not have.
 */
class PowerLossRecoveryTest {

    @TempDir
    Path dir;
    private final List<PartitionLog> open = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (PartitionLog log : open) {
            log.close();
        }
    }

    /**
     * A replica led epoch 3 and wrote offsets 5–9 that nobody else got; as follower of epoch 4 it cut them and took
     * 5–7 from the new leader, unflushed. Power fails. The cut must still hold: the epoch-3 records must not return.
     */
    @Test
    void aFollowersTruncationSurvivesAPowerLoss() throws IOException {
        PowerLossDisk disk = new PowerLossDisk();
        Path logDir = dir.resolve("orders-0");
        PartitionLog log = PartitionLog.open(logDir, LogConfig.defaults(), Clock.systemUTC(), disk);
        lead(log, 1, 5);
        lead(log, 3, 5);
        log.flush();

        log.truncateTo(5);
        log.appendAsFollower(followed(5, 4, 3));
        log.abandon();
        disk.powerLoss();

        PartitionLog reopened = reopen(logDir);
        assertThat(reopened.logEndOffset()).as("the unflushed epoch-4 records are gone, the epoch-3 ones too").isEqualTo(5);
        assertThat(reopened.epochEntries()).extracting(EpochEntry::epoch).doesNotContain(3);
    }

    /**
     * The same history, but the disk gave back the segment as it was before the cut (the cut and the records after it
     * were lost) while the epoch cache's file, written later, says epoch 4 starts at offset 5. Recovery must learn the
     * epochs from the batches it finds: offsets 5–9 are epoch 3.
     */
    @Test
    void afterAPowerLossTheEpochCacheDescribesTheBatchesTheSegmentsHold() throws IOException {
        Path logDir = dir.resolve("orders-0");
        PartitionLog log = PartitionLog.open(logDir, LogConfig.defaults(), Clock.systemUTC());
        lead(log, 1, 5);
        lead(log, 3, 5);
        log.flush();
        Path segment = LogFileUtils.logFile(logDir, 0);
        byte[] beforeTheCut = Files.readAllBytes(segment);
        log.truncateTo(5);
        log.appendAsFollower(followed(5, 4, 3));
        log.flush();
        assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(4, 5));
        log.abandon();

        Files.write(segment, beforeTheCut);

        PartitionLog reopened = reopen(logDir);
        assertThat(reopened.logEndOffset()).isEqualTo(10);
        assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 5));
    }

    /**
     * The log rolled (offsets 0–4 in the first segment, 5–9 in the second) and nothing was flushed yet. Power fails:
     * both segment files survive, empty. The second segment's name still says offset 5, but offsets 0–4 are gone: a
     * log that ended at 5 would have a hole a follower never fetches again (it fetches from its log end), and as a
     * leader it would have lost records it acknowledged. Recovery must cut the log where the data ends: at 0.
     * (Found by ReplicationSimulationTest.)
     */
    @Test
    void aSegmentThatLostItsTailEndsTheLogEvenWhenLaterSegmentFilesSurvive() throws IOException {
        PowerLossDisk disk = new PowerLossDisk();
        Path logDir = dir.resolve("orders-0");
        MutableClock clock = new MutableClock(1_000_000);
        LogConfig config = LogConfig.defaults().withSegmentMs(1_000);
        PartitionLog log = PartitionLog.open(logDir, config, clock, disk);
        log.assignEpochStartOffset(1); // elected, as a leader always is before it appends
        lead(log, 1, 5);
        clock.advance(2_000);
        lead(log, 1, 5);
        assertThat(log.segmentCount()).isEqualTo(2);
        log.abandon();
        disk.powerLoss();

        PartitionLog reopened = PartitionLog.open(logDir, config, clock);
        open.add(reopened);
        assertThat(reopened.logEndOffset()).isZero();
        assertThat(reopened.segmentCount()).isEqualTo(1);
        assertThat(reopened.epochEntries()).as("an epoch starting at the log end is kept").containsExactly(new EpochEntry(1, 0));
    }

    /**
     * A follower learns epochs from the batches it appends without writing the epoch file (the append path never
     * fsyncs it). A flush then moves the recovery point into a later segment, and power fails: recovery rescans only
     * from that segment, so the epochs learned in the trusted segment before it must have reached the file with the
     * flush, or epoch 4 would be recorded as starting where the second segment does.
     */
    @Test
    void epochsLearnedWhileAppendingAreDurableBeforeTheRecoveryPointPassesThem() throws IOException {
        PowerLossDisk disk = new PowerLossDisk();
        Path logDir = dir.resolve("orders-0");
        MutableClock clock = new MutableClock(1_000_000);
        LogConfig config = LogConfig.defaults().withSegmentMs(1_000);
        PartitionLog log = PartitionLog.open(logDir, config, clock, disk);
        log.appendAsFollower(followed(0, 1, 5));
        log.appendAsFollower(followed(5, 4, 3));
        clock.advance(2_000);
        log.appendAsFollower(followed(8, 4, 3));
        assertThat(log.segmentCount()).isEqualTo(2);
        log.flush();
        log.checkpoint();
        log.abandon();
        disk.powerLoss();

        PartitionLog reopened = PartitionLog.open(logDir, config, clock);
        open.add(reopened);
        assertThat(reopened.logEndOffset()).isEqualTo(11);
        assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(4, 5));
    }

    /** A clean shutdown skips recovery on the next open, so it must write the epochs learned while appending. */
    @Test
    void aCleanCloseWritesTheEpochsLearnedWhileAppending() throws IOException {
        Path logDir = dir.resolve("orders-0");
        PartitionLog log = PartitionLog.open(logDir, LogConfig.defaults(), Clock.systemUTC());
        log.appendAsFollower(followed(0, 1, 5));
        log.appendAsFollower(followed(5, 4, 3));
        lead(log, 6, 2);
        log.close();

        assertThat(reopen(logDir).epochEntries())
                .containsExactly(new EpochEntry(1, 0), new EpochEntry(4, 5), new EpochEntry(6, 8));
    }

    /** A process crash before any flush: the file never heard of the epochs, and recovery learns them from batches. */
    @Test
    void aCrashBeforeTheEpochsReachTheFileRelearnsThemFromTheBatches() throws IOException {
        Path logDir = dir.resolve("orders-0");
        PartitionLog log = PartitionLog.open(logDir, LogConfig.defaults(), Clock.systemUTC());
        log.appendAsFollower(followed(0, 1, 5));
        log.appendAsFollower(followed(5, 4, 3));
        log.abandon();
        assertThat(logDir.resolve(LeaderEpochCache.FILE_NAME)).as("appends do not write the epoch file").doesNotExist();

        assertThat(reopen(logDir).epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(4, 5));
    }

    @Test
    void anEpochTheReplicaWasElectedInWithoutWritingIsKeptAtTheLogEnd() throws IOException {
        Path logDir = dir.resolve("orders-0");
        PartitionLog log = PartitionLog.open(logDir, LogConfig.defaults(), Clock.systemUTC());
        lead(log, 1, 5);
        log.assignEpochStartOffset(2);
        log.flush();
        log.abandon();

        assertThat(reopen(logDir).epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 5));
    }

    private PartitionLog reopen(Path logDir) throws IOException {
        PartitionLog reopened = PartitionLog.open(logDir, LogConfig.defaults(), Clock.systemUTC());
        open.add(reopened);
        return reopened;
    }

    private static void lead(PartitionLog log, int epoch, int records) {
        for (int i = 0; i < records; i++) {
            log.appendAsLeader(RecordBatchBuilder.of(CompressionType.NONE)
                    .append(1_000, null, ("e" + epoch + "-" + i).getBytes(StandardCharsets.UTF_8)).build(), epoch);
        }
    }

    /** Records as a leader of {@code epoch} wrote them, from {@code baseOffset}. */
    private static ByteBuffer followed(long baseOffset, int epoch, int records) {
        RecordBatchBuilder batch = RecordBatchBuilder.of(CompressionType.NONE).baseOffset(baseOffset)
                .partitionLeaderEpoch(epoch);
        for (int i = 0; i < records; i++) {
            batch.append(1_000, null, ("leader-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return batch.build();
    }
}
