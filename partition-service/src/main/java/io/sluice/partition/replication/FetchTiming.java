package io.sluice.partition.replication;

import java.util.function.LongSupplier;

/**
 * Where fetch sessions read the time (partition back-offs) and how much they randomize the wait after a failed
 * round. The system's clock and Reactor's usual jitter in production; a simulation passes its own clock and no
 * jitter, so that a seed replays the same run.
 *
 * @param nanoTime    a monotonic clock in nanoseconds
 * @param retryJitter the jitter factor of the back-off between failed rounds, 0 to 1
 */
public record FetchTiming(LongSupplier nanoTime, double retryJitter) {

    public static final FetchTiming SYSTEM = new FetchTiming(System::nanoTime, 0.5);
}
