package io.sluice.bench.load;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram recorded in microseconds, given in milliseconds. HdrHistogram keeps 3 significant
 * digits, so every figure is within 0.1% of the true value (rounded up to its bucket's highest equivalent value).
 */
public record LatencySummary(long count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double p999Ms,
                             double maxMs) {

    static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    /** A histogram for latencies in microseconds: 3 significant digits, growing as needed. */
    static Histogram microsHistogram() {
        return new Histogram(3);
    }

    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(micros.getTotalCount(), micros.getMean() / 1000.0,
                ms(micros, 50), ms(micros, 95), ms(micros, 99), ms(micros, 99.9), micros.getMaxValue() / 1000.0);
    }

    private static double ms(Histogram micros, double percentile) {
        return micros.getValueAtPercentile(percentile) / 1000.0;
    }

    /** "mean 1.234  p50 1.100  p95 …  max …" in ms. */
    String human() {
        if (count == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "mean %s  p50 %s  p95 %s  p99 %s  p99.9 %s  max %s (ms, n=%d)",
                fixed(meanMs), fixed(p50Ms), fixed(p95Ms), fixed(p99Ms), fixed(p999Ms), fixed(maxMs), count);
    }

    /** Adds {@code prefix_p50_ms=…} and the other percentiles to a result line. */
    void addTo(ResultLine line, String prefix) {
        line.add(prefix + "_n", count)
                .add(prefix + "_avg_ms", meanMs, 3)
                .add(prefix + "_p50_ms", p50Ms, 3)
                .add(prefix + "_p95_ms", p95Ms, 3)
                .add(prefix + "_p99_ms", p99Ms, 3)
                .add(prefix + "_p999_ms", p999Ms, 3)
                .add(prefix + "_max_ms", maxMs, 3);
    }

    static String fixed(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
