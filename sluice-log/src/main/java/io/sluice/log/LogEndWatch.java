package io.sluice.log;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Long polls that wait for any one of many logs to grow: a follower's fetch names every partition it follows from a
 * leader, hundreds of them, and registering it here once, rather than once per log with
 * {@link PartitionLog#awaitLogEndOffset}, keeps what a fetch round that finds nothing costs independent of how many
 * partitions it names. Every log reports each move of its end, and its going offline or closing, to its watch
 * ({@link PartitionLog#logEndWatch()}); the logs of one {@link LogManager} share one.
 *
 * <p>Thread-safe and lock-free. No wake-up is lost: a log publishes its new end (or its failure) before it scans the
 * waiters, and a waiter registers before it reads the logs, so whichever runs second sees the other.
 */
public final class LogEndWatch {

    /** Compared by identity: two polls over the same offsets are still two waiters. */
    private static final class Waiter {
        private final Map<PartitionLog, Long> targets;
        private final CompletableFuture<Void> woken = new CompletableFuture<>();

        private Waiter(Map<PartitionLog, Long> targets) {
            this.targets = targets;
        }
    }

    /**
     * In the order they registered, so that one change wakes its polls in a repeatable order (the replication
     * simulation replays a seed exactly); few at a time, one per follower fetch waiting here.
     */
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    /**
     * A future that completes once any of the logs' end reaches its target offset, or any of them goes offline or
     * closes (a read then reports why). Complete or cancel it to stop waiting; it then leaves the watch.
     *
     * @param targets each log and the log end offset to wait for; read, never changed, while the future is pending
     */
    public CompletableFuture<Void> awaitAny(Map<PartitionLog, Long> targets) {
        Waiter waiter = new Waiter(targets);
        waiters.add(waiter);
        waiter.woken.whenComplete((value, error) -> waiters.remove(waiter));
        // Read after registering: a log that moved just before the add has scanned the set without seeing it.
        for (Map.Entry<PartitionLog, Long> target : targets.entrySet()) {
            if (reached(target.getKey(), target.getValue())) {
                waiter.woken.complete(null);
                break;
            }
        }
        return waiter.woken;
    }

    /** Wakes the polls waiting on {@code log} that it now satisfies; called after its end moved or it failed. */
    void changed(PartitionLog log) {
        if (waiters.isEmpty()) {
            return; // the common case on the append path: no follower waits
        }
        for (Waiter waiter : waiters) {
            Long target = waiter.targets.get(log);
            if (target != null && reached(log, target)) {
                waiter.woken.complete(null);
            }
        }
    }

    /** The polls waiting now. */
    public int waiting() {
        return waiters.size();
    }

    private static boolean reached(PartitionLog log, long target) {
        return !log.isUsable() || log.logEndOffset() >= target;
    }
}
