package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.LogHistory.Step;
import io.sluice.protocol.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * any history ({@link LogHistory}) of plain and transactional appends, commits, aborts, high watermark rises and
 * deleted records, for every offset and isolation, it answers only where the read finds nothing and reports no error,
 * and then answers exactly what the read does.
 */
class ReadIfNothingProperties {

    @Provide
    Arbitrary<List<Step>> histories() {
        return Arbitraries.frequencyOf(Tuple.of(4, LogHistory.plain()), Tuple.of(3, LogHistory.txnRecord()),
                        Tuple.of(2, LogHistory.endTxn()), Tuple.of(3, LogHistory.rise()),
                        Tuple.of(1, LogHistory.deleteRecords()))
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
            LogHistory applied = new LogHistory();
            for (Step step : history) {
                applied.apply(log, step);
                checkEveryOffset(log);
            }
        } finally {
            LogManager.deleteRecursively(dataDir);
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
