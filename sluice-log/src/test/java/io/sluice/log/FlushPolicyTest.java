package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flush.messages, flush.ms and explicit flushes move the recovery point; off by default. */
class FlushPolicyTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void defaultConfigNeverFlushesOnAppend() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("f-0"), LogConfig.defaults(), clock);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }
        clock.advance(1_000_000_000L);

        assertThat(log.maybeFlush()).isFalse();
        assertThat(log.recoveryPoint()).isZero();
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(10);
        log.close();
    }

    @Test
    void flushMessagesFlushesOnceEnoughRecordsAreUnflushed() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("f-1"), LogConfig.defaults().withFlushMessages(3), clock);

        log.appendAsLeader(batch(1, "a", "b"), 0);
        assertThat(log.recoveryPoint()).isZero();
        log.appendAsLeader(batch(1, "c"), 0);
        assertThat(log.recoveryPoint()).isEqualTo(3);
        log.close();
    }

    @Test
    void flushMsFlushesWhenOwnerCallsMaybeFlushLateEnough() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("f-2"), LogConfig.defaults().withFlushMs(1000), clock);
        log.appendAsLeader(batch(1, "a"), 0);

        clock.advance(999);
        assertThat(log.maybeFlush()).isFalse();
        clock.advance(1);
        assertThat(log.maybeFlush()).isTrue();

        assertThat(log.recoveryPoint()).isEqualTo(1);
        log.close();
    }

    @Test
    void maybeFlushFlushesRolledSegments() throws IOException {
        int batchSize = batch(1, "v0").remaining();
        PartitionLog log = PartitionLog.open(dir.resolve("f-3"), LogConfig.defaults().withSegmentBytes(batchSize * 2),
                clock);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }

        assertThat(log.maybeFlush()).isTrue();

        assertThat(log.recoveryPoint()).isEqualTo(4);
        assertThat(log.maybeFlush()).isFalse();
        log.close();
    }

    @Test
    void appendsAndHighWatermarkMovesGoOnWhileAFlushIsSyncing() throws Exception {
        BlockingForce disk = new BlockingForce();
        PartitionLog log = PartitionLog.open(dir.resolve("f-4"), LogConfig.defaults(), clock, disk);
        log.appendAsLeader(batch(1, "a", "b"), 0);
        disk.blockNextForce();
        CompletableFuture<Void> flushing = CompletableFuture.runAsync(log::flush, threads);
        disk.awaitForceStarted();

        // Neither waits for the fsync in progress (each would hang here if the flush held the writer lock).
        CompletableFuture.runAsync(() -> log.appendAsLeader(batch(1, "c"), 0), threads).get(30, TimeUnit.SECONDS);
        assertThat(CompletableFuture.supplyAsync(() -> log.maybeIncrementHighWatermark(3), threads).get(30, TimeUnit.SECONDS))
                .isTrue();
        assertThat(log.recoveryPoint()).as("not durable until the fsync returns").isZero();

        disk.release();
        flushing.get(30, TimeUnit.SECONDS);
        assertThat(log.recoveryPoint()).as("what was planned: the end when the flush began").isEqualTo(2);
        log.close();
    }

    @Test
    void aCutDuringAFlushKeepsTheRecoveryPointAtOrBelowTheCut() throws Exception {
        BlockingForce disk = new BlockingForce();
        PartitionLog log = PartitionLog.open(dir.resolve("f-5"), LogConfig.defaults(), clock, disk);
        for (int i = 0; i < 4; i++) {
            log.appendAsLeader(batch(1, "v" + i), 0);
        }
        disk.blockNextForce();
        CompletableFuture<Void> flushing = CompletableFuture.runAsync(log::flush, threads);
        disk.awaitForceStarted();

        CompletableFuture.runAsync(() -> log.truncateTo(1), threads).get(30, TimeUnit.SECONDS);
        log.appendAsLeader(batch(1, "x", "y"), 0);
        disk.release();
        flushing.get(30, TimeUnit.SECONDS);

        // Offsets 1..2 now hold other records that nothing fsynced: recovery must still look at them after a crash.
        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(1);
        log.close();
    }

    @Test
    void anUnchangedStateIsNotCheckpointedAgain() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("f-6"), LogConfig.defaults(), clock);
        log.appendAsLeader(batch(1, "a"), 0);
        log.maybeIncrementHighWatermark(1);
        log.checkpoint();
        Path file = dir.resolve("f-6").resolve(LogStateCheckpoint.FILE_NAME);
        FileTime longAgo = FileTime.fromMillis(0);
        Files.setLastModifiedTime(file, longAgo);

        log.checkpoint();
        assertThat(Files.getLastModifiedTime(file)).as("idle: nothing written").isEqualTo(longAgo);

        log.appendAsLeader(batch(1, "b"), 0);
        log.maybeIncrementHighWatermark(2);
        log.checkpoint();
        assertThat(Files.getLastModifiedTime(file)).isNotEqualTo(longAgo);
        assertThat(new LogStateCheckpoint(dir.resolve("f-6")).read()).get()
                .extracting(LogStateCheckpoint.State::highWatermark).isEqualTo(2L);
        log.close();
    }

    /** Segment channels whose next force blocks until released. */
    private static final class BlockingForce implements LogChannelFactory {

        private volatile CountDownLatch started = new CountDownLatch(0);
        private volatile CountDownLatch released = new CountDownLatch(0);
        private volatile boolean blockNext;

        void blockNextForce() {
            started = new CountDownLatch(1);
            released = new CountDownLatch(1);
            blockNext = true;
        }

        void awaitForceStarted() throws InterruptedException {
            assertThat(started.await(30, TimeUnit.SECONDS)).as("a force began").isTrue();
        }

        void release() {
            released.countDown();
        }

        @Override
        public FileChannel open(Path file) throws IOException {
            return new ForwardingFileChannel(LogChannelFactory.DEFAULT.open(file)) {
                @Override
                public void force(boolean metaData) throws IOException {
                    if (blockNext) {
                        blockNext = false;
                        started.countDown();
                        try {
                            released.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                    }
                    delegate.force(metaData);
                }
            };
        }
    }
}
