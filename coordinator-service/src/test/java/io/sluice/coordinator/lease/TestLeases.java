package io.sluice.coordinator.lease;

import io.sluice.coordinator.CoordinatorProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The lease, taken on a real Redis, for tests that build the parts under it without Spring. */
public final class TestLeases {

    private TestLeases() {
    }

    /** A lease that this caller holds on {@code redis} (no one else may hold it), for the lease's ttl. */
    public static CoordinatorLease taken(ReactiveStringRedisTemplate redis, CoordinatorProperties properties) {
        CoordinatorLease lease = new CoordinatorLease(redis, properties, Clock.systemUTC());
        CoordinatorLease.Transition taken = lease.tick().block(Duration.ofSeconds(30));
        if (taken != CoordinatorLease.Transition.ACTIVATED) {
            throw new IllegalStateException("The lease was not taken: " + taken);
        }
        return lease;
    }
}
