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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link PartitionLog#readIfNothing}, which a long poll calls on an event loop, against {@link PartitionLog#read}: after
 * any history of plain and transactional appends, commits, aborts, high watermark moves and deleted records, for every
 * offset and isolation, it answers only where the read finds nothing and reports no error, and then answers exactly
 * what the read does.
 */
class ReadIfNothingProperties {

    sealed interface Step permits Plain, TxnRecord, EndTxn, Replicate, DeleteRecords {
    }

    record Plain(int records) implements Step {
    }

    record TxnRecord(int producer) implements Step {
    }

    record EndTxn(int producer, boolean commit) implements Step {
    }

    /** The high watermark moves {@code share} of the way to the log end. */
    record Replicate(double share) implements Step {
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
        Arbitrary<Step> replicate = Arbitraries.doubles().between(0, 1).map(Replicate::new);
        Arbitrary<Step> delete = Arbitraries.doubles().between(0, 1).map(DeleteRecords::new);
        return Arbitraries.frequencyOf(Tuple.of(4, plain), Tuple.of(3, txn), Tuple.of(2, end), Tuple.of(3, replicate),
                        Tuple.of(1, delete))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 100)
    void readIfNothingAnswersOnlyWhereTheReadFindsNothingAndThenAsItDoes(
            @ForAll("histories") List<Step> history,
            @ForAll @IntRange(min = 150, max = 600) int segmentBytes) throws Exception {
        Path dataDir = Files.createTempDirectory("read-if-nothing");
        MutableClock clock = new MutableClock(1_000_000);
        LogConfig config = LogConfig.defaults().withSegmentBytes(segmentBytes).withFileDeleteDelayMs(0);
        try (PartitionLog log = PartitionLog.open(dataDir.resolve("t-0"), config, clock)) {
            int[] sequences = new int[4];
            boolean[] open = new boolean[4];
            for (Step step : history) {
                apply(log, step, sequences, open);
                checkEveryOffset(log);
            }
        } finally {
            LogManager.deleteRecursively(dataDir);
        }
    }

    private static void apply(PartitionLog log, Step step, int[] sequences, boolean[] open) {
        switch (step) {
            case Plain plain -> {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < plain.records(); i++) {
                    values.add("v" + i);
                }
                log.appendAsLeader(TestRecords.batch(1_000, values.toArray(String[]::new)), 0);
            }
            case TxnRecord txn -> {
                VerifiedAppends.appendAsLeader(log, TransactionLogTest.txn(txn.producer(), 0,
                        sequences[txn.producer()]++, "t"), 0);
                open[txn.producer()] = true;
            }
            case EndTxn end -> {
                if (open[end.producer()]) {
                    log.appendMarker(end.producer(), (short) 0, new EndTxnMarker(end.commit(), 0), 0);
                    open[end.producer()] = false;
                }
            }
            case Replicate replicate -> {
                long hw = log.highWatermark();
                log.maybeIncrementHighWatermark(hw + Math.round((log.logEndOffset() - hw) * replicate.share()));
            }
            case DeleteRecords delete -> {
                long start = log.logStartOffset();
                log.deleteRecordsBefore(start + (long) Math.floor((log.highWatermark() - start) * delete.share()));
            }
        }
    }

    private static void checkEveryOffset(PartitionLog log) {
        for (FetchIsolation isolation : FetchIsolation.values()) {
            long bound = switch (isolation) {
                case LOG_END -> log.logEndOffset();
                case HIGH_WATERMARK -> log.highWatermark();
                case TXN_COMMITTED -> log.lastStableOffset();
            };
            if (bound >= log.logStartOffset()) {
                assertThat(log.readIfNothing(bound, isolation)).as("%s at its bound %d", isolation, bound).isNotNull();
            }
            for (long offset = log.logStartOffset() - 1; offset <= log.logEndOffset() + 1; offset++) {
                LogReadResult nothing = log.readIfNothing(offset, isolation);
                LogReadResult read;
                try {
                    read = log.read(offset, 1 << 20, isolation, true);
                } catch (SluiceException e) {
                    assertThat(nothing).as("%s at %d: the read reports %s", isolation, offset, e.errorCode()).isNull();
                    continue;
                }
                if (!read.records().isEmpty()) {
                    assertThat(nothing).as("%s at %d: the read finds records", isolation, offset).isNull();
                } else if (nothing != null) {
                    assertThat(nothing.fetchOffset()).isEqualTo(read.fetchOffset());
                    assertThat(nothing.nextFetchOffset()).isEqualTo(read.nextFetchOffset());
                    assertThat(nothing.offsets()).isEqualTo(read.offsets());
                    assertThat(nothing.lastStableOffset()).isEqualTo(read.lastStableOffset());
                    assertThat(nothing.abortedTxns()).isEqualTo(read.abortedTxns());
                    assertThat(nothing.records().isEmpty()).isTrue();
                }
            }
        }
    }
}
