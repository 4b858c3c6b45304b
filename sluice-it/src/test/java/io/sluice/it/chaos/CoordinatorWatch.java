package io.sluice.it.chaos;

import io.sluice.launcher.LocalCluster;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which of a {@link ChaosCluster}'s two coordinators answer active, sampled every 100 ms on a thread of its own from
 * the warm-up before the faults to the end of the healing after them. In each sample the coordinator that was not active at the sample before is asked first: if
 * it answers active and the other answers active after it, both were active at one moment (the other order could
 * straddle an honest hand-over). Every such sample is a {@link HistoryChecker.Kind#TWO_ACTIVE_COORDINATORS} anomaly.
 */
final class CoordinatorWatch implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final ChaosCluster cluster;
    private final long runStart;
    private final List<String> twoActive = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long samples;
    /** The coordinator last seen active; the other is asked first. */
    private String lastActive = LocalCluster.COORDINATOR;

    private CoordinatorWatch(ChaosCluster cluster, long runStart) {
        this.cluster = cluster;
        this.runStart = runStart;
        this.thread = Thread.ofPlatform().name("coordinator-watch").daemon().start(this::watch);
    }

    /** @param runStart the run's start ({@link System#nanoTime}), for the times of what it finds */
    static CoordinatorWatch start(ChaosCluster cluster, long runStart) {
        return new CoordinatorWatch(cluster, runStart);
    }

    private void watch() {
        while (running) {
            String other = lastActive.equals(LocalCluster.COORDINATOR) ? ChaosCluster.COORDINATOR_B
                    : LocalCluster.COORDINATOR;
            boolean otherActive = cluster.isActive(other);
            boolean lastStillActive = cluster.isActive(lastActive);
            synchronized (this) {
                samples++;
                if (otherActive && lastStillActive) {
                    twoActive.add(String.format(Locale.ROOT, "t+%.2f s: %s and %s both answered active",
                            (System.nanoTime() - runStart) / 1e9, other, lastActive));
                }
            }
            if (otherActive && !lastStillActive) {
                lastActive = other;
            }
            Waits.sleep(INTERVAL);
        }
    }

    /** Adds every sample that found two active coordinators to {@code anomalies}. */
    synchronized void addTo(HistoryChecker.Anomalies anomalies) {
        twoActive.forEach(sample -> anomalies.add(HistoryChecker.Kind.TWO_ACTIVE_COORDINATORS, sample));
    }

    synchronized String summary() {
        return String.format(Locale.ROOT, "coordinators sampled %d times (every %d ms, from the warm-up to the healed cluster): %d samples "
                + "with both active", samples, INTERVAL.toMillis(), twoActive.size());
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
