package io.sluice.gateway.history;

import java.util.Arrays;

/**
 * One series' points, oldest first, in a ring of fixed capacity: adding to a full ring overwrites its oldest point, so
 * a series never holds more than {@code capacity} points (16 bytes each). Points are added in time order; one not
 * later than the newest is dropped. Thread-safe: every method holds the ring's lock (a sampler adds while API calls
 * read).
 */
final class SeriesRing {

    private final long[] times;
    private final double[] values;
    private int next;
    private int size;

    SeriesRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.times = new long[capacity];
        this.values = new double[capacity];
    }

    /** Adds a point taken at {@code atMs}; ignored unless later than the newest. */
    synchronized void add(long atMs, double value) {
        if (size > 0 && atMs <= newestTime()) {
            return;
        }
        times[next] = atMs;
        values[next] = value;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    /** The points taken after {@code afterMs}, oldest first. */
    synchronized Points after(long afterMs) {
        int oldest = (next - size + times.length) % times.length;
        int skip = 0;
        while (skip < size && times[(oldest + skip) % times.length] <= afterMs) {
            skip++;
        }
        long[] t = new long[size - skip];
        double[] v = new double[size - skip];
        for (int i = 0; i < t.length; i++) {
            int at = (oldest + skip + i) % times.length;
            t[i] = times[at];
            v[i] = values[at];
        }
        return new Points(t, v);
    }

    /** When the newest point was taken; {@link Long#MIN_VALUE} while there is none. */
    synchronized long newestTime() {
        return size == 0 ? Long.MIN_VALUE : times[(next - 1 + times.length) % times.length];
    }

    /** Points as columns, the way a chart takes them: {@code times[i]} (epoch ms) and {@code values[i]}. */
    record Points(long[] times, double[] values) {

        int size() {
            return times.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Points p && Arrays.equals(times, p.times) && Arrays.equals(values, p.values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(times) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Points" + Arrays.toString(times) + Arrays.toString(values);
        }
    }
}
