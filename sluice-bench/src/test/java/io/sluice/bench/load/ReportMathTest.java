package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Percentiles, rates and result lines computed from known inputs. */
class ReportMathTest {

    @Test
    void percentilesOfOneToOneThousandMillisecondsAreWithinHdrPrecision() {
        Histogram micros = LatencySummary.microsHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            micros.recordValue(ms * 1000L);
        }

        LatencySummary summary = LatencySummary.of(micros);

        assertThat(summary.count()).isEqualTo(1000);
        assertThat(summary.meanMs()).isCloseTo(500.5, within(0.5));
        assertThat(summary.p50Ms()).isCloseTo(500, within(0.5));
        assertThat(summary.p95Ms()).isCloseTo(950, within(1.0));
        assertThat(summary.p99Ms()).isCloseTo(990, within(1.0));
        assertThat(summary.p999Ms()).isCloseTo(999, within(1.0));
        assertThat(summary.maxMs()).isCloseTo(1000, within(1.0));
    }

    @Test
    void aRareSlowRequestShowsOnlyAboveItsPercentile() {
        Histogram micros = LatencySummary.microsHistogram();
        micros.recordValueWithCount(2_000, 999);   // 999 requests of 2 ms
        micros.recordValue(250_000);               // one of 250 ms

        LatencySummary summary = LatencySummary.of(micros);

        assertThat(summary.p50Ms()).isCloseTo(2, within(0.01));
        assertThat(summary.p99Ms()).isCloseTo(2, within(0.01));
        assertThat(summary.p999Ms()).isCloseTo(2, within(0.01));
        assertThat(summary.maxMs()).isCloseTo(250, within(0.25));
        assertThat(summary.meanMs()).isCloseTo((999 * 2 + 250) / 1000.0, within(0.01));
    }

    @Test
    void anEmptyHistogramHasNoFigures() {
        LatencySummary summary = LatencySummary.of(LatencySummary.microsHistogram());

        assertThat(summary.count()).isZero();
        assertThat(summary.p99Ms()).isNaN();
        assertThat(summary.human()).isEqualTo("no samples");
    }

    @Test
    void throughputCountsMebibytesOfPayload() {
        Throughput t = new Throughput(2048, 2048L * 1024, 2_000_000_000L);

        assertThat(t.seconds()).isEqualTo(2.0);
        assertThat(t.recordsPerSecond()).isEqualTo(1024.0);
        assertThat(t.mibPerSecond()).isEqualTo(1.0);
    }

    @Test
    void nothingElapsedIsNoRateRatherThanInfinity() {
        assertThat(new Throughput(10, 10, 0).recordsPerSecond()).isZero();
    }

    @Test
    void resultLineIsSpaceSeparatedKeyValuesInInsertionOrder() {
        ResultLine line = new ResultLine("produce").add("records", 100).add("rps", 1234.5678, 1)
                .add("errors", "A:1 B:2").add("p99_ms", Double.NaN, 3).add("empty", "");

        assertThat(line).hasToString("RESULT mode=produce records=100 rps=1234.6 errors=A:1_B:2 p99_ms=nan empty=-");
    }

    @Test
    void latencySummaryAddsItsPercentilesUnderAPrefix() {
        Histogram micros = LatencySummary.microsHistogram();
        micros.recordValue(1500);
        ResultLine line = new ResultLine("e2e");

        LatencySummary.of(micros).addTo(line, "e2e");

        assertThat(line.toString()).isEqualTo("RESULT mode=e2e e2e_n=1 e2e_avg_ms=1.500 e2e_p50_ms=1.500 "
                + "e2e_p95_ms=1.500 e2e_p99_ms=1.500 e2e_p999_ms=1.500 e2e_max_ms=1.500");
    }

    @Test
    void pacerSpacesRecordsEvenlyFromTheStart() {
        Pacer pacer = new Pacer(1_000, 1000);

        assertThat(pacer.dueNanos(0)).isEqualTo(1_000);
        assertThat(pacer.dueNanos(500)).isEqualTo(1_000 + 500_000_000L);
        assertThat(new Pacer(1_000, -1).dueNanos(500)).isEqualTo(1_000);
    }

    @Test
    void errorCountsAreKeptPerCodeInNameOrder() {
        ErrorCounts errors = new ErrorCounts();
        errors.add("NOT_ENOUGH_REPLICAS", 3, "first");
        errors.add("IO_ERROR", 1, null);
        errors.add("NOT_ENOUGH_REPLICAS", 2, "second");

        assertThat(errors.total()).isEqualTo(6);
        assertThat(errors.compact()).isEqualTo("IO_ERROR:1,NOT_ENOUGH_REPLICAS:5");
        assertThat(errors.details()).contains("NOT_ENOUGH_REPLICAS: 5 records (first: first)");
    }

    @Test
    void fanoutCompletenessCountsMissingDuplicateAndUnackedDeliveriesPerSubscriber() {
        FanoutTally tally = new FanoutTally(3);
        for (int id = 0; id < 4; id++) {
            tally.deliver(0, id);           // subscriber 0: all of 0..3
        }
        tally.deliver(1, 0);                // subscriber 1: 0 and 3, 3 twice
        tally.deliver(1, 3);
        boolean again = tally.deliver(1, 3);
        tally.deliver(2, 9);                // subscriber 2: only a record that was not acked
        BitSet acked = new BitSet();
        acked.set(0, 4);

        FanoutTally.Completeness c = tally.completeness(acked);

        assertThat(again).isFalse();
        assertThat(c).isEqualTo(new FanoutTally.Completeness(3, 1, 2 + 4, 1, 1));
    }
}
