package io.sluice.coordinator.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * When each node last heartbeated, in this coordinator's memory only: heartbeats are frequent and need no
 * durability. A coordinator that becomes active starts every known node's session afresh, so a failover never
 * declares a healthy node dead for having heartbeated to the previous coordinator. Thread-safe.
 */
@Component
class NodeLiveness {

    private final Clock clock;
    private final Map<Integer, Instant> lastHeartbeat = new ConcurrentHashMap<>();

    NodeLiveness(Clock clock) {
        this.clock = clock;
    }

    void heartbeat(int node) {
        lastHeartbeat.put(node, clock.instant());
    }

    void restartSessions(Collection<Integer> nodes) {
        lastHeartbeat.clear();
        Instant now = clock.instant();
        nodes.forEach(node -> lastHeartbeat.put(node, now));
    }

    /** Of {@code nodes}, those silent for longer than {@code sessionTimeout}. */
    List<Integer> expired(Collection<Integer> nodes, Duration sessionTimeout) {
        Instant cutoff = clock.instant().minus(sessionTimeout);
        return nodes.stream()
                .filter(node -> lastHeartbeat.getOrDefault(node, Instant.MIN).isBefore(cutoff))
                .toList();
    }
}
