package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.batchesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.RecordBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lock-free readers during appends, and waiters woken by the writer. */
class ConcurrentAccessTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);

    @Test
    void concurrentReadersNeverSeeTornBatches() throws Exception {
        PartitionLog log = readWhileAppending(LogConfig.defaults().withSegmentBytes(16 * 1024)
                .withIndexIntervalBytes(512).withSegmentIndexBytes(4096));

        assertThat(log.segmentCount()).isGreaterThan(5);
        log.close();
    }

    @Test
    void concurrentReadersLookUpWhileTheIndexesGrow() throws Exception {
        // one segment, every batch indexed: both index files start at 4 KiB and are remapped larger twice or more
        PartitionLog log = readWhileAppending(LogConfig.defaults().withSegmentBytes(64 * 1024 * 1024)
                .withIndexIntervalBytes(1));

        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(Files.size(dir.resolve("c-0/00000000000000000000.index")))
                .isGreaterThan(2L * MappedIndex.INITIAL_BYTES);
        log.close();
    }

    /** Appends 1,500 batches while two readers read at random offsets below the log end or high watermark. */
    private PartitionLog readWhileAppending(LogConfig config) throws Exception {
        PartitionLog log = PartitionLog.open(dir.resolve("c-0"), config, clock);
        int appends = 1500;
        AtomicBoolean writing = new AtomicBoolean(true);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        Runnable reader = () -> {
            Random random = new Random(Thread.currentThread().threadId());
            try {
                while (writing.get()) {
                    long end = log.logEndOffset();
                    long hw = log.highWatermark();
                    boolean consumer = random.nextBoolean();
                    long bound = consumer ? hw : end;
                    long from = bound == 0 ? 0 : random.nextLong(bound + 1);
                    LogReadResult result = log.read(from, 1 + random.nextInt(4096),
                            consumer ? FetchIsolation.HIGH_WATERMARK : FetchIsolation.LOG_END, true);
                    List<RecordBatch> batches = batchesOf(result.records()); // CRC and full decode
                    long expected = -1;
                    for (RecordBatch b : batches) {
                        assertThat(expected == -1 || b.baseOffset() == expected).as("contiguous").isTrue();
                        expected = b.nextOffset();
                    }
                    assertThat(result.nextFetchOffset()).isEqualTo(batches.isEmpty() ? from : expected);
                    if (from < bound) {
                        assertThat(batches).isNotEmpty();
                        assertThat(batches.getFirst().baseOffset()).isLessThanOrEqualTo(from);
                        assertThat(batches.getFirst().lastOffset()).isGreaterThanOrEqualTo(from);
                        // Nothing past the bound the reader saw: no half-published append.
                        assertThat(expected).isLessThanOrEqualTo(consumer ? result.offsets().highWatermark()
                                : result.offsets().logEndOffset());
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        };
        Thread[] readers = {Thread.ofPlatform().start(reader), Thread.ofPlatform().start(reader)};

        Random random = new Random(7);
        long[] pastEnds = new long[appends];
        for (int i = 0; i < appends; i++) {
            String[] values = new String[1 + random.nextInt(8)];
            for (int v = 0; v < values.length; v++) {
                values[v] = "value-" + i + "-" + "x".repeat(random.nextInt(200));
            }
            log.appendAsLeader(batch(i, values), 0);
            pastEnds[i] = log.logEndOffset();
            if (i % 3 == 0) {
                // As replication does: the high watermark trails the log end, on a batch boundary.
                log.maybeIncrementHighWatermark(pastEnds[Math.max(0, i - random.nextInt(5))]);
            }
        }
        writing.set(false);
        for (Thread t : readers) {
            t.join();
        }

        assertThat(failures).isEmpty();
        return log;
    }

    @Test
    void highWatermarkWaiterWakesWhenHighWatermarkPassesOffset() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("c-1"), LogConfig.defaults(), clock);
        log.appendAsLeader(batch(1, "a", "b", "c", "d", "e"), 0);
        CompletableFuture<Long> waiter = log.awaitHighWatermark(4);

        log.maybeIncrementHighWatermark(3);
        assertThat(waiter).isNotDone();
        log.maybeIncrementHighWatermark(5);

        assertThat(waiter).isCompletedWithValue(5L);
        log.close();
    }

    @Test
    void logEndWaiterWakesOnAppendFromAnotherThread() throws Exception {
        PartitionLog log = PartitionLog.open(dir.resolve("c-2"), LogConfig.defaults(), clock);
        CompletableFuture<Long> waiter = log.awaitLogEndOffset(1);

        Thread.ofVirtual().start(() -> log.appendAsLeader(batch(1, "a", "b"), 0)).join();

        assertThat(waiter.get(60, TimeUnit.SECONDS)).isEqualTo(2L);
        log.close();
    }

    @Test
    void waitersFailWhenLogCloses() throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve("c-3"), LogConfig.defaults(), clock);
        CompletableFuture<Long> waiter = log.awaitHighWatermark(1);

        log.close();

        assertThat(waiter).isCompletedExceptionally();
        assertThatThrownBy(waiter::join).cause().isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORAGE_ERROR));
        assertThat(log.awaitLogEndOffset(5)).isCompletedExceptionally();
    }
}
