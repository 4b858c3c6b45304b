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
 * durability. A coordinator that becomes active starts every node's session afresh, before its metadata is loaded: a
 * node it has not heard from yet counts as heard from at that moment, so a failover never declares a healthy node dead
 * for having heartbeated to the previous coordinator, however long loading takes. While not active, no session
 * expires. Thread-safe.
 */
@Component
class NodeLiveness {

    private final Clock clock;
    private final Map<Integer, Instant> lastHeartbeat = new ConcurrentHashMap<>();
    /** When this coordinator's sessions began (its activation), or null while it is not active. */
    private volatile Instant sessionsStarted;

    NodeLiveness(Clock clock) {
        this.clock = clock;
    }

    void heartbeat(int node) {
        lastHeartbeat.put(node, clock.instant());
    }

    /** Every session begins now: called as this coordinator starts to become active. */
    void restartSessions() {
        lastHeartbeat.clear();
        sessionsStarted = clock.instant();
    }

    /** No session expires until the sessions restart: called when this coordinator stops being active. */
    void stopSessions() {
        sessionsStarted = null;
    }

    /** Of {@code nodes}, those silent for longer than {@code sessionTimeout} since the sessions began. */
    List<Integer> expired(Collection<Integer> nodes, Duration sessionTimeout) {
        Instant started = sessionsStarted;
        if (started == null) {
            return List.of();
        }
        Instant cutoff = clock.instant().minus(sessionTimeout);
        return nodes.stream()
                .filter(node -> lastHeartbeat.getOrDefault(node, started).isBefore(cutoff))
                .toList();
    }
}
