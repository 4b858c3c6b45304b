package io.sluice.log;

import java.util.function.LongSupplier;

/**
 * Keeps the log cleaner's disk I/O under a rate: after each chunk it is told of, it sleeps as long as the bytes so
 * far ahead of {@code bytesPerSecond} take. Time comes from the injected nano clock and sleeper, so tests run it
 * without waiting. One thread.
 */
public final class Throttler {

    /** Sleeps the given nanoseconds (interruptibly). */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final double bytesPerSecond;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private long periodStart;
    private long bytesInPeriod;

    public Throttler(double bytesPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
        if (!(bytesPerSecond > 0)) {
            throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.periodStart = nanoClock.getAsLong();
    }

    /** No limit. */
    public static Throttler unlimited() {
        return new Throttler(Double.POSITIVE_INFINITY, () -> 0, nanos -> { });
    }

    /** Accounts {@code bytes} of I/O and sleeps if they put the rate over the limit. */
    public void maybeThrottle(long bytes) throws InterruptedException {
        if (Double.isInfinite(bytesPerSecond)) {
            return;
        }
        bytesInPeriod += bytes;
        long elapsed = nanoClock.getAsLong() - periodStart;
        long due = (long) (bytesInPeriod / bytesPerSecond * 1e9);
        if (due > elapsed) {
            sleeper.sleepNanos(due - elapsed);
        }
        if (elapsed > 1_000_000_000L) {
            // Start a new period now and then, so a long idle spell does not become credit for a burst.
            periodStart = nanoClock.getAsLong();
            bytesInPeriod = 0;
        }
    }
}
