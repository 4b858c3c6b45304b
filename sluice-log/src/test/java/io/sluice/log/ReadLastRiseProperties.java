package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.EndTxnMarker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * high watermark, against {@link PartitionLog#read}: after any history of plain and transactional appends, commits,
 * aborts, leader rises and follower-style sets of the high watermark, truncations and deleted records, for every
 * offset, isolation and byte limit, whatever it answers is exactly what the read answers, down to the file region;
 * and it does answer the read a rise within one segment made possible.
 */
class ReadLastRiseProperties {

    private static final int[] BYTE_LIMITS = {1, 90, 250, 1 << 20};

    sealed interface Step permits Plain, TxnRecord, EndTxn, Rise, SetHighWatermark, Truncate, DeleteRecords {
    }

    record Plain(int records) implements Step {
    }

    record TxnRecord(int producer) implements Step {
    }

    record EndTxn(int producer, boolean commit) implements Step {
    }

    /** A leader raises the high watermark {@code share} of the way to the log end. */
    record Rise(double share) implements Step {
    }

    /** The high watermark is set, as a follower copies its leader's, to {@code share} of the way from the log start. */
    record SetHighWatermark(double share) implements Step {
    }

    /** The log is cut back to {@code share} of the way from its high watermark to its end. */
    record Truncate(double share) implements Step {
    }

    /** Records below {@code share} of the high watermark are deleted. */
    record DeleteRecords(double share) implements Step {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> plain = Arbitraries.integers().between(1, 3).map(Plain::new);
        Arbitrary<Step> txn = Arbitraries.integers().between(1, 3).map(TxnRecord::new);
        Arbitrary<Step> end = Arbitraries.integers().between(1, 3)
                .flatMap(p -> Arbitraries.of(true, false).map(commit -> new EndTxn(p, commit)));
        Arbitrary<Step> fullRise = Arbitraries.just(new Rise(1));
        Arbitrary<Step> partRise = Arbitraries.doubles().between(0, 1).map(Rise::new);
        Arbitrary<Step> set = Arbitraries.doubles().between(0, 1).map(SetHighWatermark::new);
        Arbitrary<Step> truncate = Arbitraries.doubles().between(0, 1).map(Truncate::new);
        Arbitrary<Step> delete = Arbitraries.doubles().between(0, 1).map(DeleteRecords::new);
        return Arbitraries.frequencyOf(Tuple.of(5, plain), Tuple.of(3, txn), Tuple.of(2, end), Tuple.of(4, fullRise),
                        Tuple.of(2, partRise), Tuple.of(1, set), Tuple.of(1, truncate), Tuple.of(1, delete))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 100)
    void readLastRiseAnswersOnlyAsTheReadDoes(@ForAll("histories") List<Step> history,
                                              @ForAll @IntRange(min = 150, max = 600) int segmentBytes)
            throws Exception {
        Path dataDir = Files.createTempDirectory("read-last-rise");
        LogConfig config = LogConfig.defaults().withSegmentBytes(segmentBytes).withFileDeleteDelayMs(0);
        try (PartitionLog log = PartitionLog.open(dataDir.resolve("t-0"), config, new MutableClock(1_000_000))) {
            Producers producers = new Producers();
            for (Step step : history) {
                apply(log, step, producers);
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
     * The transactional producers' ids, sequences and open transactions; a truncation may cut their batches away, so
     * after one the history goes on with new producers (the old ones' transactions may stay open, holding the last
     * stable offset back, as a cut-off producer's would).
     */
    private static final class Producers {
        long firstId = 1;
        int[] sequences = new int[4];
        boolean[] open = new boolean[4];

        void replace() {
            firstId += sequences.length;
            sequences = new int[4];
            open = new boolean[4];
        }
    }

    private static void apply(PartitionLog log, Step step, Producers producers) {
        switch (step) {
            case Plain plain -> {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < plain.records(); i++) {
                    values.add("v" + i);
                }
                log.appendAsLeader(TestRecords.batch(1_000, values.toArray(String[]::new)), 0);
            }
            case TxnRecord txn -> {
                VerifiedAppends.appendAsLeader(log, TransactionLogTest.txn(producers.firstId + txn.producer(), 0,
                        producers.sequences[txn.producer()]++, "t"), 0);
                producers.open[txn.producer()] = true;
            }
            case EndTxn end -> {
                if (producers.open[end.producer()]) {
                    log.appendMarker(producers.firstId + end.producer(), (short) 0, new EndTxnMarker(end.commit(), 0),
                            0);
                    producers.open[end.producer()] = false;
                }
            }
            case Rise rise -> {
                long from = log.highWatermark();
                log.maybeIncrementHighWatermark(from + Math.round((log.logEndOffset() - from) * rise.share()));
                checkTheRiseIsAnswered(log, from);
            }
            case SetHighWatermark set -> {
                long start = log.logStartOffset();
                log.updateHighWatermark(start + Math.round((log.logEndOffset() - start) * set.share()));
            }
            case Truncate truncate -> {
                long hw = log.highWatermark();
                long to = hw + Math.round((log.logEndOffset() - hw) * truncate.share());
                if (to > log.logStartOffset() && log.truncateTo(to)) {
                    producers.replace();
                }
            }
            case DeleteRecords delete -> {
                long start = log.logStartOffset();
                log.deleteRecordsBefore(start + (long) Math.floor((log.highWatermark() - start) * delete.share()));
            }
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
