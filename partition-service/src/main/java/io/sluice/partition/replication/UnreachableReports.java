package io.sluice.partition.replication;

import io.sluice.internal.coordinator.CoordinatorApi;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the coordinator that a node could not be reached, at most once per {@code interval} per node: every fetch
 * retry after a crash fails the same way, and one report is enough for the coordinator to check.
 */
final class UnreachableReports {

    private static final Logger LOG = LoggerFactory.getLogger(UnreachableReports.class);

    private final CoordinatorApi coordinator;
    private final long intervalNanos;
    private final Map<Integer, Long> lastReport = new ConcurrentHashMap<>();

    UnreachableReports(CoordinatorApi coordinator, Duration interval) {
        this.coordinator = coordinator;
        this.intervalNanos = interval.toNanos();
    }

    void report(int nodeId) {
        long now = System.nanoTime();
        boolean[] due = {false};
        lastReport.compute(nodeId, (id, previous) -> {
            if (previous != null && now - previous < intervalNanos) {
                return previous;
            }
            due[0] = true;
            return now;
        });
        if (!due[0]) {
            return;
        }
        coordinator.reportUnreachable(nodeId).subscribe(ignored -> { },
                e -> LOG.debug("Could not report node {} unreachable: {}", nodeId, e.toString()));
    }
}
