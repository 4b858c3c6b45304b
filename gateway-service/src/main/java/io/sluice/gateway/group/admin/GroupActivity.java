package io.sluice.gateway.group.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Which groups this gateway serves now: a group whose member called through it (joined, heartbeat, polled) within
 * the last {@code window}. The lag metrics are measured for these only, so a gateway exports the groups its clients
 * use, and a group served by several gateways is exported by each of them with the same values. Also counts the
 * rebalances this gateway's members took part in ({@code sluice.gateway.group.rebalances}). Thread-safe; a cache,
 * never needed for a member's correctness.
 */
@Component
public class GroupActivity {

    private final ConcurrentMap<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Clock clock;

    GroupActivity(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /** A member of {@code group} called through this gateway. */
    public void served(String group) {
        lastSeen.put(group, clock.millis());
    }

    /** A member of {@code group} on this gateway had partitions added or taken away. */
    public void rebalanced(String group) {
        Counter.builder("sluice.gateway.group.rebalances").tag("group", group)
                .description("Assignment changes of group members served by this gateway").register(meters).increment();
    }

    /** The groups served within {@code window}; older ones are forgotten. */
    Set<String> servedWithin(Duration window) {
        long since = clock.millis() - window.toMillis();
        lastSeen.values().removeIf(seen -> seen < since);
        return lastSeen.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }
}
