package io.sluice.partition.fetch;

import java.util.function.LongSupplier;

/**
 * The byte rate at which this node, as a leader, serves the replicas that moves are adding while they are out of the
 * ISR (Kafka's leader replication quota: {@code leader.replication.throttled.rate}, which likewise spares in-sync
 * replicas), shared by every partition it leads: a token bucket holding at most one second of the rate. A throttled
 * read reads at most what the bucket holds and goes only when the bucket holds all it read, then takes it; a read
 * of one batch larger than the whole bucket goes when the bucket is full, and leaves it owing. So over any time
 * {@code t} the replicas are sent at most one second of the rate plus {@code t} of it, beside batches larger than a
 * second of the rate.
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

    /** How many bytes a throttled read may read now; 0 while the bucket owes. */
    synchronized int allowance() {
        refill();
        return tokens <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.floor(tokens));
    }

    /**
     * Takes {@code bytes} a throttled read read, if the bucket holds them (or, for more than a whole bucket, if it is
     * full); false, taking nothing, when the read must wait.
     */
    synchronized boolean take(long bytes) {
        refill();
        if (tokens < Math.min(bytes, bytesPerSecond)) {
            return false;
        }
        tokens -= bytes;
        return true;
    }

    /** How long until a read of {@code bytes} may go (at least one byte); 0 when it may now. */
    synchronized long nanosUntil(long bytes) {
        refill();
        double missing = Math.min(Math.max(1, bytes), bytesPerSecond) - tokens;
        return missing <= 0 ? 0 : (long) Math.ceil(missing * NANOS_PER_SECOND / bytesPerSecond);
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(bytesPerSecond, tokens + (double) (now - refilledAt) * bytesPerSecond / NANOS_PER_SECOND);
        refilledAt = now;
    }
}
