package io.sluice.log;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Futures waiting for a monotonic log offset (high watermark, log end; a partition's low watermark) to reach a target: the long-poll of a
 * consumer or follower fetch without a polling loop.
 *
 * <p>Thread-safe and lock-free. No wake-up is lost: an updater publishes the new value before it scans the waiters,
 * and a waiter registers before it re-reads the value, so whichever runs second sees the other. A waiter leaves the
 * set as soon as its future completes by any means (value reached, cancelled, timed out by {@code orTimeout}), so
 * abandoned waits do not leak. After {@link #failAll} every waiter, present or future, fails with the given cause.
 */
public final class OffsetWaiters {

    private record Waiter(long target, long sequence, CompletableFuture<Long> future) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter other) {
            int byTarget = Long.compare(target, other.target);
            return byTarget != 0 ? byTarget : Long.compare(sequence, other.sequence);
        }
    }

    private final ConcurrentSkipListSet<Waiter> waiters = new ConcurrentSkipListSet<>();
    private final AtomicLong sequence = new AtomicLong();
    private final LongSupplier current;
    private volatile Supplier<? extends RuntimeException> failure;

    /** @param current reads the watched value; it must only grow while waiters exist (or be followed by wakeAll) */
    public OffsetWaiters(LongSupplier current) {
        this.current = current;
    }

    /** A future that completes with the watched value once it is at least {@code target}. */
    public CompletableFuture<Long> await(long target) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        Supplier<? extends RuntimeException> failed = failure;
        if (failed != null) {
            future.completeExceptionally(failed.get());
            return future;
        }
        long now = current.getAsLong();
        if (now >= target) {
            future.complete(now);
            return future;
        }
        Waiter waiter = new Waiter(target, sequence.incrementAndGet(), future);
        waiters.add(waiter);
        future.whenComplete((value, error) -> waiters.remove(waiter));
        // Re-check after registering: an update or failure may have scanned the set just before the add.
        failed = failure;
        if (failed != null) {
            future.completeExceptionally(failed.get());
        } else {
            long after = current.getAsLong();
            if (after >= target) {
                future.complete(after);
            }
        }
        return future;
    }

    /** Completes every waiter whose target the watched value has now reached; call after publishing a new value. */
    public void wake() {
        if (waiters.isEmpty()) {
            return; // the common case on the append path: nobody waits
        }
        long value = current.getAsLong();
        for (Waiter waiter : waiters) { // ascending by target
            if (waiter.target > value) {
                break;
            }
            if (waiters.remove(waiter)) {
                waiter.future.complete(value);
            }
        }
    }

    /** Fails every waiter, and every later {@link #await}, with the supplied exception. */
    void failAll(Supplier<? extends RuntimeException> cause) {
        failure = cause;
        for (Waiter waiter : waiters) {
            if (waiters.remove(waiter)) {
                waiter.future.completeExceptionally(cause.get());
            }
        }
    }

    int size() {
        return waiters.size();
    }
}
