package io.sluice.security;

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
 * A process's copy of the cluster's ACLs (a gateway's, a partition service's), read in full from the coordinator
 * every refresh interval and at once after a change made through a gateway. Staleness is bounded by the interval
 * (plus one call timeout) while the coordinator answers; when it does not, the last set read stays in force and
 * {@code sluice_<service>_acls_age_seconds} grows. Before the first read there is no set ({@link #current} is null),
 * and only super users are served.
 *
 * <p>Thread-safe: readers see one whole snapshot.
 */
public final class AclCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AclCache.class);

    private final AclApi coordinator;
    private final Duration refreshInterval;
    private final Clock clock;
    private final AtomicReference<AclSnapshot> current = new AtomicReference<>();
    private volatile Instant readAt;
    private volatile Disposable refreshing;

    public AclCache(AclApi coordinator, Duration refreshInterval, Clock clock) {
        this.coordinator = coordinator;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    /** Its gauges, {@code sluice_<service>_acls_age_seconds} and {@code sluice_<service>_acls}. */
    public AclCache withMetrics(MeterRegistry meters, String service) {
        Gauge.builder("sluice." + service + ".acls.age", this,
                        cache -> cache.readAt == null ? Double.NaN
                                : Duration.between(cache.readAt, cache.clock.instant()).toMillis() / 1000.0)
                .baseUnit("seconds").description("Time since the ACLs were last read from the coordinator")
                .register(meters);
        Gauge.builder("sluice." + service + ".acls", this, cache -> cache.current.get() == null ? Double.NaN
                        : cache.current.get().acls().size())
                .description("ACLs in this process's copy").register(meters);
        return this;
    }

    public void start() {
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
    public Mono<AclSnapshot> refresh() {
        return coordinator.acls().doOnNext(snapshot -> {
            current.accumulateAndGet(snapshot, (old, read) -> old == null || read.version() >= old.version() ? read : old);
            readAt = clock.instant();
        });
    }

    /** The set in force; null until the first read. */
    public AclSnapshot current() {
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
