package io.sluice.partition.fetch;

import java.util.function.LongSupplier;

/**
 * The byte rate at which this node, as a leader, serves the replicas that moves are adding while they are out of the
 * ISR (Kafka's leader replication quota: {@code leader.replication.throttled.rate}, which likewise spares in-sync
 * replicas), shared by every partition it leads: a token bucket holding at most one second of the rate. A throttled
 * read may go while the bucket holds any bytes, reads at most what it holds (at least one batch), and takes what it
 * read, which can leave the bucket owing; while it owes, throttled reads wait.
 */
final class MoveThrottle {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoTime;
    private long bytesPerSecond;
    private double tokens;
    private long refilledAt;

    MoveThrottle(long bytesPerSecond, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Changes the rate (the node's record, or its configured default, may change at any time). */
    synchronized void rate(long newBytesPerSecond) {
        if (newBytesPerSecond != bytesPerSecond) {
            refill();
            bytesPerSecond = newBytesPerSecond;
            tokens = Math.min(tokens, bytesPerSecond);
        }
    }

    synchronized long rate() {
        return bytesPerSecond;
    }

    /** How many bytes a throttled read may take now; 0 while the bucket owes. */
    synchronized int allowance() {
        refill();
        return tokens <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.ceil(tokens));
    }

    /** Takes {@code bytes} a throttled read sent. */
    synchronized void took(long bytes) {
        refill();
        tokens -= bytes;
    }

    /** How long until a throttled read may go again; 0 when it may now. */
    synchronized long nanosUntilAllowed() {
        refill();
        return tokens > 0 ? 0 : (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / bytesPerSecond);
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(bytesPerSecond, tokens + (double) (now - refilledAt) * bytesPerSecond / NANOS_PER_SECOND);
        refilledAt = now;
    }
}
