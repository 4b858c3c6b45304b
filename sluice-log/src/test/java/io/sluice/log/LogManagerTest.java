package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.readAllValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_000_000);
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Function<TopicPartition, LogConfig> configs = tp -> LogConfig.defaults();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private LogManager open() throws IOException {
        return LogManager.open(dataDir, configs, clock, executor);
    }

    @Test
    void secondManagerOnSameDirectoryIsRefused() throws IOException {
        try (LogManager first = open()) {
            assertThatThrownBy(this::open).isInstanceOf(LogDirectoryLockedException.class);
        }
        open().close(); // released on close
    }

    @Test
    void reopenOpensEveryPartitionInParallelOnTheGivenExecutor() throws IOException {
        List<TopicPartition> partitions = List.of();
        try (LogManager manager = open()) {
            for (int p = 0; p < 12; p++) {
                PartitionLog log = manager.getOrCreateLog(new TopicPartition(p % 2 == 0 ? "orders" : "pay-ments", p),
                        LogConfig.defaults());
                for (int i = 0; i <= p; i++) {
                    log.appendAsLeader(batch(1, "p" + p + "-" + i), 0);
                }
            }
            partitions = List.copyOf(manager.logs().keySet());
        }
        Set<String> openingThreads = ConcurrentHashMap.newKeySet();
        Function<TopicPartition, LogConfig> recordingConfigs = tp -> {
            openingThreads.add(Thread.currentThread().getName());
            return LogConfig.defaults();
        };

        try (LogManager reopened = LogManager.open(dataDir, recordingConfigs, clock, executor)) {
            assertThat(reopened.logs().keySet()).containsExactlyInAnyOrderElementsOf(partitions);
            assertThat(openingThreads).allMatch(name -> name.startsWith("pool-"));
            for (LogSize size : reopened.sizes()) {
                int p = size.topicPartition().partition();
                assertThat(size.logEndOffset()).isEqualTo(p + 1);
                assertThat(size.segmentCount()).isEqualTo(1);
                assertThat(size.sizeInBytes()).isPositive();
            }
            PartitionLog payments = reopened.log(new TopicPartition("pay-ments", 3)).orElseThrow();
            assertThat(readAllValues(payments)).containsExactly("p3-0", "p3-1", "p3-2", "p3-3");
        }
    }

    @Test
    void getOrCreateLogReturnsExistingLog() throws IOException {
        try (LogManager manager = open()) {
            TopicPartition tp = new TopicPartition("t", 0);
            PartitionLog created = manager.getOrCreateLog(tp, LogConfig.defaults());

            assertThat(manager.getOrCreateLog(tp, LogConfig.defaults())).isSameAs(created);
            assertThat(dataDir.resolve("t-0")).isDirectory();
        }
    }

    @Test
    void deleteLogRemovesItsDirectory() throws IOException {
        try (LogManager manager = open()) {
            TopicPartition tp = new TopicPartition("gone", 1);
            manager.getOrCreateLog(tp, LogConfig.defaults()).appendAsLeader(batch(1, "x"), 0);

            assertThat(manager.deleteLog(tp)).isTrue();

            assertThat(manager.log(tp)).isEmpty();
            assertThat(dataDir.resolve("gone-1")).doesNotExist();
            assertThat(manager.deleteLog(tp)).isFalse();
        }
        try (LogManager reopened = open()) {
            assertThat(reopened.logs()).isEmpty();
        }
    }

    @Test
    void openIgnoresForeignDirectoriesAndFinishesInterruptedDeletes() throws IOException {
        Files.createDirectories(dataDir.resolve("lost+found"));
        Path halfDeleted = Files.createDirectories(dataDir.resolve("old-0.abc123-delete"));
        Files.write(halfDeleted.resolve("00000000000000000000.log"), new byte[10]);

        try (LogManager manager = open()) {
            assertThat(manager.logs()).isEmpty();
        }
        assertThat(dataDir.resolve("lost+found")).isDirectory();
        assertThat(halfDeleted).doesNotExist();
    }

    @Test
    void failedPartitionOpenReleasesTheDirectory() throws IOException {
        try (LogManager manager = open()) {
            manager.getOrCreateLog(new TopicPartition("ok", 0), LogConfig.defaults());
            manager.getOrCreateLog(new TopicPartition("bad", 0), LogConfig.defaults());
        }
        Function<TopicPartition, LogConfig> failing = tp -> {
            if (tp.topic().equals("bad")) {
                throw new IllegalStateException("no config for " + tp);
            }
            return LogConfig.defaults();
        };

        assertThatThrownBy(() -> LogManager.open(dataDir, failing, clock, executor))
                .isInstanceOf(IOException.class).hasMessageContaining("bad-0");
        open().close();
    }

    @Test
    void periodicDutiesRunOverEveryLog() throws IOException {
        try (LogManager manager = open()) {
            for (int p = 0; p < 3; p++) {
                PartitionLog log = manager.getOrCreateLog(new TopicPartition("d", p),
                        LogConfig.defaults().withFlushMs(10));
                log.appendAsLeader(batch(1, "x"), 0);
            }
            clock.advance(10);

            manager.maybeFlush();
            manager.checkpoint();
            assertThat(manager.deleteOldSegments()).isZero();

            assertThat(manager.logs().values()).allSatisfy(log -> assertThat(log.recoveryPoint()).isEqualTo(1));
            assertThat(manager.offlinePartitions()).isEmpty();
        }
    }

    /** The periodic checkpoint is one file for the directory; after a crash each log starts from its line there. */
    @Test
    void thePeriodicCheckpointIsOneFileForTheDirectoryAndACrashRestartsFromIt() throws IOException {
        TopicPartition a = new TopicPartition("d", 0);
        TopicPartition b = new TopicPartition("d", 1);
        try (LogManager manager = open()) {
            for (TopicPartition tp : List.of(a, b)) {
                PartitionLog log = manager.getOrCreateLog(tp, LogConfig.defaults());
                log.appendAsLeader(batch(1, "x", "y", "z"), 0);
                log.maybeIncrementHighWatermark(2);
                log.flush();
            }
            Path own = dataDir.resolve("d-0").resolve(LogStateCheckpoint.FILE_NAME);
            byte[] ownBefore = Files.readAllBytes(own);

            manager.checkpoint();

            assertThat(Files.readAllBytes(own)).as("the log's own file is not rewritten").isEqualTo(ownBefore);
            assertThat(new DirectoryStateCheckpoint(dataDir).read()).containsOnlyKeys("d-0", "d-1")
                    .allSatisfy((name, state) -> {
                        assertThat(state.highWatermark()).isEqualTo(2);
                        assertThat(state.recoveryPoint()).isEqualTo(3);
                    });
            crash(manager);
        }
        try (LogManager reopened = open()) {
            assertThat(reopened.logs().values()).allSatisfy(log -> {
                assertThat(log.highWatermark()).isEqualTo(2);
                assertThat(log.recoveryPoint()).isEqualTo(3);
            });
        }
    }

    /**
     * A cut after the periodic checkpoint rewrites the log's own file, and the directory's line, older, must then be
     * ignored: its recovery point (3) lies past records appended after the cut and never fsynced, which recovery
     * would otherwise trust without checking.
     */
    @Test
    void aCutAfterThePeriodicCheckpointOutranksIt() throws IOException {
        TopicPartition tp = new TopicPartition("d", 0);
        try (LogManager manager = open()) {
            PartitionLog log = threeRecordsCheckpointed(manager, tp);

            log.truncateTo(1);
            log.appendAsFollower(TestRecords.batchAt(1, 1, 1, "later"));
            crash(manager);
        }
        try (LogManager reopened = open()) {
            PartitionLog log = reopened.log(tp).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(2);
            assertThat(log.recoveryPoint()).isEqualTo(1);
            assertThat(log.highWatermark()).isEqualTo(1);
        }
    }

    /** A partition deleted and created again under the same directory name does not inherit the old one's line. */
    @Test
    void aRecreatedPartitionDoesNotInheritTheDeletedOnesLine() throws IOException {
        TopicPartition tp = new TopicPartition("d", 0);
        try (LogManager manager = open()) {
            threeRecordsCheckpointed(manager, tp);

            manager.deleteLog(tp);
            manager.getOrCreateLog(tp, LogConfig.defaults()).appendAsLeader(batch(1, "new"), 0);
            crash(manager);
        }
        try (LogManager reopened = open()) {
            PartitionLog log = reopened.log(tp).orElseThrow();
            assertThat(log.logEndOffset()).isEqualTo(1);
            assertThat(log.recoveryPoint()).isZero();
            assertThat(log.highWatermark()).isZero();
        }
    }

    @Test
    void anUnchangedDirectoryIsNotCheckpointedAgainAndACorruptCheckpointIsIgnored() throws IOException {
        try (LogManager manager = open()) {
            manager.getOrCreateLog(new TopicPartition("d", 0), LogConfig.defaults()).appendAsLeader(batch(1, "x"), 0);
            manager.checkpoint();
            Path file = dataDir.resolve(DirectoryStateCheckpoint.FILE_NAME);
            Files.delete(file);
            manager.checkpoint();
            assertThat(file).as("nothing changed: nothing written").doesNotExist();
            Files.writeString(file, "0\n1\nd-0 not-a-number 1 1 0\n");
            crash(manager);
        }
        try (LogManager reopened = open()) {
            assertThat(reopened.log(new TopicPartition("d", 0)).orElseThrow().logEndOffset()).isEqualTo(1);
        }
    }

    /** A new log of three one-record batches, committed, flushed, and in the directory's periodic checkpoint. */
    private static PartitionLog threeRecordsCheckpointed(LogManager manager, TopicPartition tp) throws IOException {
        PartitionLog log = manager.getOrCreateLog(tp, LogConfig.defaults());
        for (String value : List.of("x", "y", "z")) {
            log.appendAsLeader(batch(1, value), 0);
        }
        log.maybeIncrementHighWatermark(3);
        log.flush();
        manager.checkpoint();
        return log;
    }

    /** Drops every log as a crash would (nothing flushed, sealed or checkpointed), then releases the directory. */
    private static void crash(LogManager manager) throws IOException {
        for (PartitionLog log : manager.logs().values()) {
            log.abandon();
        }
        manager.close();
    }
}
