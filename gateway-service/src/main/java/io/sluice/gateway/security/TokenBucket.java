package io.sluice.gateway.security;

import java.time.Duration;

/**
 * A token bucket of {@code rate} tokens per second holding at most one second's worth, that may go into debt: a
 * request larger than what is in the bucket is let through once (a large produce is not refused forever), and the
 * principal then waits until the debt is paid back — Kafka's quota behaviour, where the throttle follows the overuse.
 *
 * <p>Thread-safe. Times are nanoseconds from one monotonic source, given by the caller.
 */
final class TokenBucket {

    private final double rate;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    TokenBucket(double ratePerSecond, long nowNanos) {
        this.rate = ratePerSecond;
        this.capacity = ratePerSecond;
        this.tokens = ratePerSecond;
        this.refilledAt = nowNanos;
    }

    /** How long until the bucket has {@code needed} tokens (more than zero when a request would have to wait). */
    synchronized Duration waitFor(double needed, long nowNanos) {
        refill(nowNanos);
        double missing = Math.min(needed, capacity) - tokens;
        return missing <= 0 ? Duration.ZERO : Duration.ofNanos((long) (missing / rate * 1e9));
    }

    /** Takes {@code amount} tokens, into debt if need be. */
    synchronized void take(double amount, long nowNanos) {
        refill(nowNanos);
        tokens -= amount;
    }

    /** A time before the last refill (read by another thread before it) adds nothing and moves nothing back. */
    private void refill(long nowNanos) {
        if (nowNanos > refilledAt) {
            tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) / 1e9 * rate);
            refilledAt = nowNanos;
        }
    }
}
