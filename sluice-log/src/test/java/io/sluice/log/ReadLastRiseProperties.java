package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.LogHistory.Step;
import io.sluice.protocol.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link PartitionLog#readLastRise}, which a long poll calls on the event loop where a follower's fetch raised the
 * high watermark, against {@link PartitionLog#read}: after any history ({@link LogHistory}) of plain and
 * transactional appends, commits, aborts, leader rises and follower-style sets of the high watermark, truncations and
 * deleted records, for every offset, isolation and byte limit, whatever it answers is exactly what the read answers,
 * down to the file region; and it does answer the read a rise within one segment made possible.
 */
class ReadLastRiseProperties {

    private static final int[] BYTE_LIMITS = {1, 90, 250, 1 << 20};

    @Provide
    Arbitrary<List<Step>> histories() {
        return Arbitraries.frequencyOf(Tuple.of(5, LogHistory.plain()), Tuple.of(3, LogHistory.txnRecord()),
                        Tuple.of(2, LogHistory.endTxn()), Tuple.of(4, Arbitraries.just(new LogHistory.Rise(1))),
                        Tuple.of(2, LogHistory.rise()), Tuple.of(1, LogHistory.setHighWatermark()),
                        Tuple.of(1, LogHistory.truncate()), Tuple.of(1, LogHistory.deleteRecords()))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 100)
    void readLastRiseAnswersOnlyAsTheReadDoes(@ForAll("histories") List<Step> history,
                                              @ForAll @IntRange(min = 150, max = 600) int segmentBytes)
            throws Exception {
        Path dataDir = Files.createTempDirectory("read-last-rise");
        LogConfig config = LogConfig.defaults().withSegmentBytes(segmentBytes).withFileDeleteDelayMs(0);
        try (PartitionLog log = PartitionLog.open(dataDir.resolve("t-0"), config, new MutableClock(1_000_000))) {
            LogHistory applied = new LogHistory();
            for (Step step : history) {
                long from = log.highWatermark();
                applied.apply(log, step);
                if (step instanceof LogHistory.Rise) {
                    checkTheRiseIsAnswered(log, from);
                }
                checkEveryOffset(log);
            }
        } finally {
            LogManager.deleteRecursively(dataDir);
        }
    }

    @Example
    void aRiseWithinOneSegmentIsAnsweredAndOnlyUntilTheHighWatermarkMovesAgain() throws Exception {
        Path dataDir = Files.createTempDirectory("read-last-rise");
        try (PartitionLog log = PartitionLog.open(dataDir.resolve("t-0"), LogConfig.defaults(),
                new MutableClock(1_000_000))) {
            log.appendAsLeader(TestRecords.batch(1_000, "a"), 0);
            log.maybeIncrementHighWatermark(1);
            log.appendAsLeader(TestRecords.batch(1_000, "b", "c"), 0);
            log.appendAsLeader(TestRecords.batch(1_000, "d"), 0);
            log.maybeIncrementHighWatermark(4);

            for (FetchIsolation isolation : List.of(FetchIsolation.HIGH_WATERMARK, FetchIsolation.TXN_COMMITTED)) {
                LogReadResult rise = log.readLastRise(1, 1 << 20, isolation);
                assertThat(rise).as("%s at where the rise began", isolation).isNotNull();
                assertThat(rise).isEqualTo(log.read(1, 1 << 20, isolation, true));
                assertThat(rise.nextFetchOffset()).isEqualTo(4);
            }
            assertThat(log.readLastRise(0, 1 << 20, FetchIsolation.HIGH_WATERMARK)).as("below the rise").isNull();
            assertThat(log.readLastRise(1, 1 << 20, FetchIsolation.LOG_END)).as("a follower's read").isNull();

            log.appendAsLeader(TestRecords.batch(1_000, "e"), 0);
            assertThat(log.readLastRise(1, 1 << 20, FetchIsolation.HIGH_WATERMARK))
                    .as("an append alone leaves the high watermark, so the rise, as it was").isNotNull();
            log.updateHighWatermark(5);
            assertThat(log.readLastRise(1, 1 << 20, FetchIsolation.HIGH_WATERMARK))
                    .as("a high watermark set, not risen").isNull();
        } finally {
            LogManager.deleteRecursively(dataDir);
        }
    }

    /**
     * After a leader's rise from {@code from} to the log end: when the read there takes all it made readable from the
     * segment the log ends in, it could have been answered without a file, and is.
     */
    private static void checkTheRiseIsAnswered(PartitionLog log, long from) {
        long hw = log.highWatermark();
        if (hw == from || hw != log.logEndOffset() || from < log.logStartOffset()) {
            return;
        }
        LogReadResult read = log.read(from, 1 << 20, FetchIsolation.HIGH_WATERMARK, true);
        LogReadResult atTheEnd = log.read(hw - 1, 1 << 20, FetchIsolation.HIGH_WATERMARK, true);
        boolean oneSegment = read.records().channel() == atTheEnd.records().channel()
                && read.nextFetchOffset() == hw && !startsASegment(log, from) && !startsASegment(log, hw);
        if (oneSegment) {
            assertThat(log.readLastRise(from, 1 << 20, FetchIsolation.HIGH_WATERMARK))
                    .as("a rise from %d to %d within one segment", from, hw).isEqualTo(read);
        }
    }

    /**
     * Whether {@code offset} is where a segment starts: a rise from there may have begun at the end of the one before,
     * and a log that ends there ends in an empty segment (rolled, or left by a truncation).
     */
    private static boolean startsASegment(PartitionLog log, long offset) {
        return log.segmentsForCleaning().stream().anyMatch(segment -> segment.baseOffset() == offset);
    }

    private static void checkEveryOffset(PartitionLog log) {
        for (FetchIsolation isolation : FetchIsolation.values()) {
            for (long offset = log.logStartOffset() - 1; offset <= log.logEndOffset() + 1; offset++) {
                for (int maxBytes : BYTE_LIMITS) {
                    LogReadResult rise = log.readLastRise(offset, maxBytes, isolation);
                    if (rise == null) {
                        continue;
                    }
                    LogReadResult read;
                    try {
                        read = log.read(offset, maxBytes, isolation, true);
                    } catch (SluiceException e) {
                        throw new AssertionError(isolation + " at " + offset + ": answered where the read reports "
                                + e.errorCode(), e);
                    }
                    assertThat(rise).as("%s at %d within %d bytes", isolation, offset, maxBytes).isEqualTo(read);
                }
            }
        }
    }
}
