package io.sluice.gateway.history;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * Percentiles of one timer over each interval between two samples, from its percentile histogram (the buckets it
 * publishes to Prometheus): the buckets' counts are cumulative since the start, so the difference of two snapshots is
 * the interval's histogram, and a percentile is interpolated within its bucket as Prometheus'
 * {@code histogram_quantile} does. Not thread-safe: one sampler calls it.
 */
final class LatencyWindow {

    private final Timer timer;
    private double[] lastCounts;

    LatencyWindow(Timer timer) {
        this.timer = timer;
    }

    /**
     * The {@code quantiles}' latencies in seconds over the interval since the last call; null on the first call, when
     * nothing was timed meanwhile, or when the timer publishes no histogram.
     */
    double[] sample(double... quantiles) {
        HistogramSnapshot snapshot = timer.takeSnapshot();
        CountAtBucket[] buckets = snapshot.histogramCounts();
        double[] counts = new double[buckets.length];
        double[] bounds = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            counts[i] = buckets[i].count();
            bounds[i] = buckets[i].bucket(TimeUnit.SECONDS);
        }
        double[] last = lastCounts;
        lastCounts = counts;
        if (last == null || last.length != counts.length || counts.length == 0) {
            return null;
        }
        double[] interval = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            interval[i] = Math.max(0, counts[i] - last[i]);
        }
        return quantiles(bounds, interval, quantiles);
    }

    /**
     * The quantiles of a histogram given by cumulative counts per upper bound; null when it is empty. A rank beyond
     * the last bound is that bound (the histogram says no more).
     */
    static double[] quantiles(double[] bounds, double[] cumulativeCounts, double... quantiles) {
        double total = cumulativeCounts[cumulativeCounts.length - 1];
        if (total <= 0) {
            return null;
        }
        double[] answers = new double[quantiles.length];
        for (int q = 0; q < quantiles.length; q++) {
            double rank = quantiles[q] * total;
            int bucket = 0;
            while (bucket < cumulativeCounts.length - 1 && cumulativeCounts[bucket] < rank) {
                bucket++;
            }
            double lower = bucket == 0 ? 0 : bounds[bucket - 1];
            double below = bucket == 0 ? 0 : cumulativeCounts[bucket - 1];
            double inBucket = cumulativeCounts[bucket] - below;
            answers[q] = inBucket <= 0 ? bounds[bucket]
                    : lower + (bounds[bucket] - lower) * Math.min(1, (rank - below) / inBucket);
        }
        return answers;
    }
}
