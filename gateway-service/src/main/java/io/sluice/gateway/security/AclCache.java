package io.sluice.gateway.security;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The gateway's copy of the cluster's ACLs, read in full from the coordinator every refresh interval and at once
 * after a change made through this gateway. Staleness is bounded by the interval (plus one call timeout) while the
 * coordinator answers; when it does not, the last set read stays in force and {@code sluice_gateway_acls_age_seconds}
 * grows. Before the first read there is no set ({@link #current} is null), and only super users are served.
 *
 * <p>Thread-safe: readers see one whole snapshot.
 */
final class AclCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AclCache.class);

    private final AclApi coordinator;
    private final Duration refreshInterval;
    private final Clock clock;
    private final AtomicReference<AclSnapshot> current = new AtomicReference<>();
    private volatile Instant readAt;
    private volatile Disposable refreshing;

    AclCache(AclApi coordinator, Duration refreshInterval, Clock clock) {
        this.coordinator = coordinator;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    AclCache withMetrics(MeterRegistry meters) {
        Gauge.builder("sluice.gateway.acls.age", this,
                        cache -> cache.readAt == null ? Double.NaN
                                : Duration.between(cache.readAt, cache.clock.instant()).toMillis() / 1000.0)
                .baseUnit("seconds").description("Time since the gateway last read the ACLs from the coordinator")
                .register(meters);
        Gauge.builder("sluice.gateway.acls", this, cache -> cache.current.get() == null ? Double.NaN
                        : cache.current.get().acls().size())
                .description("ACLs in the gateway's copy").register(meters);
        return this;
    }

    void start() {
        refreshing = Flux.interval(Duration.ZERO, refreshInterval)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    LOG.warn("Cannot read the ACLs from the coordinator ({}); the last ones read stay in force",
                            e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** Reads the ACLs now; completes when the new set is in force. */
    Mono<AclSnapshot> refresh() {
        return coordinator.acls().doOnNext(snapshot -> {
            current.accumulateAndGet(snapshot, (old, read) -> old == null || read.version() >= old.version() ? read : old);
            readAt = clock.instant();
        });
    }

    /** The set in force; null until the first read. */
    AclSnapshot current() {
        return current.get();
    }

    @Override
    public void close() {
        Disposable d = refreshing;
        if (d != null) {
            d.dispose();
        }
    }
}
