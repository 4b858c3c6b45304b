package io.sluice.bench.load;

import java.util.concurrent.locks.LockSupport;

/**
 * The schedule of an open-loop load: record {@code i} (0-based) is due {@code i / rate} seconds after the start, so
 * a generator that falls behind does not lower the offered rate, and latency measured from a record's due time
 * includes the time it waited to be sent (no coordinated omission). An unlimited pacer has every record due at the
 * start. Thread-safe: it holds no mutable state.
 */
final class Pacer {

    private final long startNanos;
    private final double recordsPerSecond;

    /** {@code recordsPerSecond} <= 0: unlimited. */
    Pacer(long startNanos, double recordsPerSecond) {
        this.startNanos = startNanos;
        this.recordsPerSecond = recordsPerSecond;
    }

    boolean limited() {
        return recordsPerSecond > 0;
    }

    long startNanos() {
        return startNanos;
    }

    /** When record {@code index} is due ({@link System#nanoTime()} scale). */
    long dueNanos(long index) {
        return limited() ? startNanos + (long) (index * 1e9 / recordsPerSecond) : startNanos;
    }

    /** Parks until record {@code index} is due. */
    void awaitDue(long index) {
        long due = dueNanos(index);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
