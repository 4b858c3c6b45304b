package io.sluice.protocol.rate;

import java.time.Duration;

/**
 * A token bucket of {@code rate} tokens per second holding at most one second's worth, that may go into debt: a
 * request larger than what is in the bucket is let through once (a large produce is not refused forever), and the
 * principal then waits until the debt is paid back — Kafka's quota behaviour, where the throttle follows the overuse.
 * The gateway's client quotas and the partition services' move throttle are each a bucket of this kind.
 *
 * <p>Thread-safe. Times are nanoseconds from one monotonic source, given by the caller.
 */
public final class TokenBucket {

    private double rate;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double ratePerSecond, long nowNanos) {
        this.rate = ratePerSecond;
        this.tokens = ratePerSecond;
        this.refilledAt = nowNanos;
    }

    public synchronized double rate() {
        return rate;
    }

    /** A new rate from now on; the bucket keeps what it holds, at most one second of the new rate. */
    public synchronized void rate(double ratePerSecond, long nowNanos) {
        refill(nowNanos);
        rate = ratePerSecond;
        tokens = Math.min(tokens, rate);
    }

    /** What the bucket holds now: negative while it is in debt. */
    public synchronized double available(long nowNanos) {
        refill(nowNanos);
        return tokens;
    }

    /**
     * How long until the bucket has {@code needed} tokens (at most a full bucket's worth is waited for); zero when it
     * has them now.
     */
    public synchronized Duration waitFor(double needed, long nowNanos) {
        refill(nowNanos);
        double missing = Math.min(needed, rate) - tokens;
        return missing <= 0 ? Duration.ZERO : Duration.ofNanos((long) (missing / rate * 1e9));
    }

    /**
     * Whether the bucket is full now: it then holds what a new bucket of its rate holds, so that dropping it and
     * making a new one later changes nothing.
     */
    public synchronized boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= rate;
    }

    /** Takes {@code amount} tokens, into debt if need be. */
    public synchronized void take(double amount, long nowNanos) {
        refill(nowNanos);
        tokens -= amount;
    }

    /**
     * Takes {@code amount} tokens if the bucket holds them (or, for more than a whole bucket, if it is full, leaving it
     * in debt); takes nothing and answers false otherwise.
     */
    public synchronized boolean tryTake(double amount, long nowNanos) {
        refill(nowNanos);
        if (tokens < Math.min(amount, rate)) {
            return false;
        }
        tokens -= amount;
        return true;
    }

    /** A time before the last refill (read by another thread before it) adds nothing and moves nothing back. */
    private void refill(long nowNanos) {
        if (nowNanos > refilledAt) {
            tokens = Math.min(rate, tokens + (nowNanos - refilledAt) / 1e9 * rate);
            refilledAt = nowNanos;
        }
    }
}
