package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.readAllValues;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Crash recovery on open: torn writes, garbage, lost or damaged indexes and checkpoints. */
class LogRecoveryTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);

    private Path logDir() {
        return dir.resolve("events-3");
    }

    private PartitionLog open(LogConfig config) throws IOException {
        return logs.open(logDir(), config);
    }

    /** Simulates a process crash: files stay as written, nothing is sealed or checkpointed as clean. */
    private void crash(PartitionLog log) throws IOException {
        logs.crash(log);
    }

    private Path segmentFile(long baseOffset, String suffix) {
        return logDir().resolve(LogFileUtils.filenamePrefixFromOffset(baseOffset) + suffix);
    }

    private static void appendBytes(Path file, ByteBuffer bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    @Test
    void recoveryAfterTornWriteAtEveryBytePositionOfLastBatchKeepsEarlierBatches() throws IOException {
        LogConfig config = LogConfig.defaults().withSegmentIndexBytes(4096).withIndexIntervalBytes(1);
        PartitionLog log = open(config);
        for (int i = 0; i < 3; i++) {
            log.appendAsLeader(batch(100 + i, "v" + i), 0);
        }
        logs.close(log);
        Path segment = segmentFile(0, ".log");
        byte[] intact = Files.readAllBytes(segment);
        ByteBuffer last = batch(200, "last-1", "last-2");
        last.putLong(0, 3);
        last.putInt(12, 0);

        for (int cut = 0; cut < last.remaining(); cut++) {
            Files.write(segment, intact);
            appendBytes(segment, last.slice(0, cut));
            PartitionLog reopened = open(config);
            crash(reopened); // the next open must recover: the checkpoint says unclean

            PartitionLog recovered = open(config);
            assertThat(recovered.logEndOffset()).as("cut at %d", cut).isEqualTo(3);
            assertThat(readAllValues(recovered)).containsExactly("v0", "v1", "v2");
            assertThat(Files.size(segment)).isEqualTo(intact.length);
            recovered.appendAsLeader(batch(300, "after"), 0);
            assertThat(readAllValues(recovered)).containsExactly("v0", "v1", "v2", "after");
            logs.close(recovered);
            Files.write(segment, intact);
        }
    }

    @Test
    void recoveryCutsTornWriteLeftByCrash() throws IOException {
        LogConfig config = LogConfig.defaults();
        PartitionLog log = open(config);
        log.appendAsLeader(batch(1, "a"), 0);
        log.appendAsLeader(batch(1, "b"), 0);
        long sizeBefore = Files.size(segmentFile(0, ".log"));
        crash(log);
        ByteBuffer torn = batch(1, "torn");
        appendBytes(segmentFile(0, ".log"), torn.slice(0, torn.remaining() / 2));

        PartitionLog recovered = open(config);

        assertThat(readAllValues(recovered)).containsExactly("a", "b");
        assertThat(Files.size(segmentFile(0, ".log"))).isEqualTo(sizeBefore);
    }

    @Test
    void recoveryCutsTrailingGarbage() throws IOException {
        LogConfig config = LogConfig.defaults();
        PartitionLog log = open(config);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }
        crash(log);
        Random random = new Random(42);
        for (int attempt = 0; attempt < 20; attempt++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            appendBytes(segmentFile(0, ".log"), ByteBuffer.wrap(garbage));

            PartitionLog recovered = open(config);
            assertThat(readAllValues(recovered)).containsExactly("v0", "v1", "v2", "v3", "v4");
            crash(recovered);
        }
    }

    @Test
    void recoveryCutsZeroFilledTail() throws IOException {
        LogConfig config = LogConfig.defaults();
        PartitionLog log = open(config);
        log.appendAsLeader(batch(1, "a"), 0);
        crash(log);
        appendBytes(segmentFile(0, ".log"), ByteBuffer.allocate(4096));

        assertThat(readAllValues(open(config))).containsExactly("a");
    }

    @Test
    void recoveryDeletesSegmentsAfterTheCut() throws IOException {
        int batchSize = batch(1, "v0").remaining();
        LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize * 2);
        PartitionLog log = open(config);
        for (int i = 0; i < 6; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }
        assertThat(log.segmentCount()).isEqualTo(3);
        crash(log);
        // Corrupt the middle segment's second batch: everything from there on is suspect.
        Path middle = segmentFile(2, ".log");
        byte[] bytes = Files.readAllBytes(middle);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(middle, bytes);

        PartitionLog recovered = open(config);

        assertThat(readAllValues(recovered)).containsExactly("v0", "v1", "v2");
        assertThat(recovered.segmentCount()).isEqualTo(2);
        assertThat(segmentFile(4, ".log")).doesNotExist();
        recovered.appendAsLeader(batch(1, "new"), 0);
        assertThat(recovered.logEndOffset()).isEqualTo(4);
    }

    @Test
    void recoveryDropsSegmentLeftEmptyByTheCut() throws IOException {
        int batchSize = batch(1, "v0").remaining();
        LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize * 2);
        PartitionLog log = open(config);
        for (int i = 0; i < 3; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }
        crash(log);
        Files.write(segmentFile(2, ".log"), new byte[] {1, 2, 3});

        PartitionLog recovered = open(config);

        assertThat(recovered.logEndOffset()).isEqualTo(2);
        assertThat(recovered.segmentCount()).isEqualTo(1);
        recovered.appendAsLeader(batch(1, "v2-again"), 0);
        assertThat(readAllValues(recovered)).containsExactly("v0", "v1", "v2-again");
    }

    @Test
    void deletedIndexFilesAreRebuiltAfterCleanShutdown() throws IOException {
        int batchSize = batch(1, "v0").remaining();
        LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize * 4).withIndexIntervalBytes(1);
        PartitionLog log = open(config);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(100 + i, "v" + i), 0);
        }
        logs.close(log);
        long indexSize = Files.size(segmentFile(0, ".index"));
        Files.delete(segmentFile(0, ".index"));
        Files.delete(segmentFile(4, ".timeindex"));

        PartitionLog reopened = open(config);

        assertThat(Files.size(segmentFile(0, ".index"))).isEqualTo(indexSize);
        assertThat(readAllValues(reopened)).hasSize(10);
        assertThat(reopened.offsetForTimestamp(106, FetchIsolation.LOG_END)).contains(new TimestampOffset(106, 6));
    }

    @Test
    void corruptIndexFilesAreRebuiltAfterCleanShutdown() throws IOException {
        int batchSize = batch(1, "v0").remaining();
        LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize * 4).withIndexIntervalBytes(1);
        PartitionLog log = open(config);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(100 + i, "v" + i), 0);
        }
        logs.close(log);
        Files.write(segmentFile(0, ".index"), new byte[] {9, 9, 9});                // not whole entries
        Files.write(segmentFile(4, ".index"), new byte[OffsetIndex.ENTRY_SIZE * 3]); // zero-filled
        byte[] time = Files.readAllBytes(segmentFile(8, ".timeindex"));
        Files.write(segmentFile(8, ".timeindex"), ByteBuffer.allocate(time.length + 24).put(time).array());

        PartitionLog reopened = open(config);

        for (long offset = 0; offset < 10; offset++) {
            assertThat(TestRecords.offsetsOf(reopened.readForFollower(offset, 1).records()))
                    .containsExactly(offset);
        }
        assertThat(Files.size(segmentFile(4, ".index"))).isEqualTo(3L * OffsetIndex.ENTRY_SIZE);
        assertThat(reopened.offsetForTimestamp(109, FetchIsolation.LOG_END)).contains(new TimestampOffset(109, 9));
    }

    @Test
    void cleanShutdownSkipsRecoveryAndUncleanRecoversFromRecoveryPoint() throws IOException {
        int batchSize = batch(1, "v0").remaining();
        LogConfig config = LogConfig.defaults().withSegmentBytes(batchSize * 2);
        PartitionLog log = open(config);
        for (int i = 0; i < 4; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }
        log.flush();
        log.checkpoint();
        assertThat(log.recoveryPoint()).isEqualTo(4);
        log.appendAsLeader(batch(1, "v4"), 0);
        crash(log);
        // Damage below the recovery point goes unnoticed by design: those bytes were fsynced and are trusted.
        Path first = segmentFile(0, ".log");
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(first, bytes);

        PartitionLog recovered = open(config);

        assertThat(recovered.logEndOffset()).isEqualTo(5);
        assertThat(recovered.recoveryPoint()).isEqualTo(4);
    }

    @Test
    void corruptStateCheckpointRecoversWholeLog() throws IOException {
        LogConfig config = LogConfig.defaults();
        PartitionLog log = open(config);
        log.appendAsLeader(batch(1, "a"), 0);
        log.appendAsLeader(batch(1, "b"), 0);
        logs.close(log);
        Files.writeString(logDir().resolve(LogStateCheckpoint.FILE_NAME), "garbage\n");
        ByteBuffer torn = batch(1, "torn");
        appendBytes(segmentFile(0, ".log"), torn.slice(0, 20));

        PartitionLog reopened = open(config);

        assertThat(readAllValues(reopened)).containsExactly("a", "b");
        assertThat(reopened.highWatermark()).isZero();
    }

    @Test
    void corruptEpochCacheIsRebuiltFromBatches() throws IOException {
        LogConfig config = LogConfig.defaults();
        PartitionLog log = open(config);
        log.appendAsLeader(batch(1, "a"), 2);
        log.appendAsLeader(batch(1, "b"), 5);
        logs.close(log);
        Files.writeString(logDir().resolve(LeaderEpochCache.FILE_NAME), "0\n7\n");

        PartitionLog reopened = open(config);

        assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(5, 1));
    }

    @Test
    void leftoverDeletedAndTempFilesAreRemovedOnOpen() throws IOException {
        LogConfig config = LogConfig.defaults();
        PartitionLog log = open(config);
        log.appendAsLeader(batch(1, "a"), 0);
        logs.close(log);
        Files.write(logDir().resolve("00000000000000000099.log.deleted"), new byte[10]);
        Files.write(logDir().resolve("log-state-checkpoint.tmp"), new byte[10]);
        Files.write(logDir().resolve("00000000000000000077.index"), new byte[8]);

        open(config);

        assertThat(logDir().resolve("00000000000000000099.log.deleted")).doesNotExist();
        assertThat(logDir().resolve("log-state-checkpoint.tmp")).doesNotExist();
        assertThat(logDir().resolve("00000000000000000077.index")).doesNotExist();
    }
}
