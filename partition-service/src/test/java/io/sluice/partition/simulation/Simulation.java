package io.sluice.partition.simulation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Random;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Time and order for a simulated cluster: one thread, a millisecond clock that moves only when the simulation says
 * so, and a queue of events. Reactor's timers (timeouts, delays, retries) run on a virtual-time scheduler advanced
 * in step with the clock, and every other source of choice is {@link #random}, so a seed replays a run exactly (in
 * the manner of Kafka's {@code RaftEventSimulationTest}). {@link #fingerprint()} sums up the order of events, so a
 * test can show that it does.
 */
final class Simulation implements AutoCloseable {

    private static final long START_MS = 1_800_000_000_000L;

    final Random random;
    private final MillisClock clock = new MillisClock();
    private final VirtualTimeScheduler reactorTime = VirtualTimeScheduler.create();
    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            Comparator.comparingLong(Event::atMs).thenComparingLong(Event::sequence));
    private long nowMs = START_MS;
    private long sequence;
    private long fingerprint = 17;

    Simulation(long seed) {
        this.random = new Random(seed);
        VirtualTimeScheduler.getOrSet(reactorTime);
    }

    Clock clock() {
        return clock;
    }

    long nowMs() {
        return nowMs;
    }

    /** Milliseconds since the simulation began. */
    long elapsedMs() {
        return nowMs - START_MS;
    }

    long nanoTime() {
        return (nowMs - START_MS) * 1_000_000L;
    }

    /** A whole number of milliseconds in [{@code min}, {@code max}]. */
    long between(long min, long max) {
        return min + (long) (random.nextDouble() * (max - min + 1));
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** Runs {@code action} {@code delayMs} from now (0: later in this millisecond, after what is already due). */
    void schedule(long delayMs, String what, Runnable action) {
        queue.add(new Event(nowMs + delayMs, sequence++, what, action));
    }

    /** Moves time forward by {@code duration}, one millisecond at a time: Reactor's timers first, then events. */
    void run(Duration duration) {
        long end = nowMs + duration.toMillis();
        while (nowMs < end) {
            nowMs++;
            reactorTime.advanceTimeBy(Duration.ofMillis(1));
            while (!queue.isEmpty() && queue.peek().atMs() <= nowMs) {
                Event event = queue.poll();
                fingerprint = 31 * fingerprint + event.what().hashCode() + nowMs;
                event.action().run();
            }
        }
    }

    /** A digest of which events ran when: equal for two runs of one seed. */
    long fingerprint() {
        return fingerprint;
    }

    @Override
    public void close() {
        queue.clear();
        VirtualTimeScheduler.reset();
    }

    private record Event(long atMs, long sequence, String what, Runnable action) {
    }

    private final class MillisClock extends Clock {

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the simulation runs in UTC");
        }

        @Override
        public long millis() {
            return nowMs;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMs);
        }
    }
}
