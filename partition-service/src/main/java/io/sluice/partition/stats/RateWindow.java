package io.sluice.partition.stats;

/**
 * A rate over a sliding window of samples of an ever-growing total: each {@link #sample} records the total at a
 * time, and the rate is the growth between the oldest sample still in the window and the newest, per second. Not
 * thread-safe; its owner samples and reads under one lock.
 */
final class RateWindow {

    private final long[] totals;
    private final long[] timesNanos;
    private int next;
    private int count;

    /** Keeps the last {@code samples} samples (at least two, for one interval). */
    RateWindow(int samples) {
        if (samples < 2) {
            throw new IllegalArgumentException("a rate needs at least two samples, not " + samples);
        }
        totals = new long[samples];
        timesNanos = new long[samples];
    }

    void sample(long total, long nanoTime) {
        totals[next] = total;
        timesNanos[next] = nanoTime;
        next = (next + 1) % totals.length;
        count = Math.min(count + 1, totals.length);
    }

    /** Per second, between the oldest and newest samples kept; 0 until two samples exist. */
    double perSecond() {
        if (count < 2) {
            return 0;
        }
        int newest = (next - 1 + totals.length) % totals.length;
        int oldest = (next - count + totals.length) % totals.length;
        long nanos = timesNanos[newest] - timesNanos[oldest];
        if (nanos <= 0) {
            return 0;
        }
        return (totals[newest] - totals[oldest]) * 1e9 / nanos;
    }
}
