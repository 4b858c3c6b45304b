package io.sluice.partition.node;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's periodic housekeeping (flushes, checkpoints, retention, producer expiry, ISR checks): {@code round} on a
 * thread of its own, again and again with {@code pause} between rounds, until {@link #stop}.
 *
 * <p>It is stopped by a flag and a wake-up, never by an interrupt, and {@link #stop} waits for the round under way:
 * a round may be inside {@code FileChannel.force} or a write, and an interrupt there closes the channel
 * ({@code ClosedByInterruptException}), which would leave the log that owns it unusable — and the logs are closed
 * right after housekeeping stops. A round that throws is logged; the next one runs as usual.
 */
final class Housekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final Runnable round;
    private final Duration pause;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread thread;

    Housekeeping(Runnable round, Duration pause) {
        this.round = round;
        this.pause = pause;
    }

    void start() {
        thread = Thread.ofVirtual().name("node-housekeeping").start(this::run);
    }

    private void run() {
        while (stopped.getCount() > 0) {
            try {
                round.run();
            } catch (RuntimeException e) {
                LOG.warn("Housekeeping round failed: {}", e.toString());
            }
            try {
                stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Nobody here interrupts; if someone does, end as a stop would.
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Ends the rounds: no new one starts, a pause ends at once, and the round under way finishes — this waits for it,
     * up to {@code timeout}. True if the thread ended within it.
     */
    boolean stop(Duration timeout) {
        stopped.countDown();
        Thread running = thread;
        if (running == null) {
            return true;
        }
        try {
            return running.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
