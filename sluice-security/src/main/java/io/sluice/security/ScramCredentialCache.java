package io.sluice.security;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.scram.ScramApi;
import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.internal.scram.ScramSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A process's copy of the cluster's SCRAM credentials (a gateway's, a partition service's), read in full from the
 * coordinator every refresh interval and at once after a change made through a gateway, as {@link AclCache} keeps
 * the ACLs: a newer version replaces an older one, never the reverse. While the coordinator does not answer, the last
 * credentials read stay in force and {@code sluice_<service>_scram_credentials_age_seconds} grows. Before the first
 * read no SCRAM user can sign in.
 *
 * <p>Thread-safe: readers see one whole snapshot.
 */
public final class ScramCredentialCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScramCredentialCache.class);

    private final ScramApi coordinator;
    private final Duration refreshInterval;
    private final Clock clock;
    private final AtomicReference<ScramSnapshot> current = new AtomicReference<>();
    private volatile Instant readAt;
    private volatile Disposable refreshing;

    public ScramCredentialCache(ScramApi coordinator, Duration refreshInterval, Clock clock) {
        this.coordinator = coordinator;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    /** Its gauges, {@code sluice_<service>_scram_credentials_age_seconds} and {@code sluice_<service>_scram_credentials}. */
    public ScramCredentialCache withMetrics(MeterRegistry meters, String service) {
        Gauge.builder("sluice." + service + ".scram.credentials.age", this,
                        cache -> cache.readAt == null ? Double.NaN
                                : Duration.between(cache.readAt, cache.clock.instant()).toMillis() / 1000.0)
                .baseUnit("seconds").description("Time since the SCRAM credentials were last read from the coordinator")
                .register(meters);
        Gauge.builder("sluice." + service + ".scram.credentials", this, cache -> cache.current.get() == null
                        ? Double.NaN : cache.current.get().credentials().size())
                .description("SCRAM credentials in this process's copy").register(meters);
        return this;
    }

    public void start() {
        refreshing = Flux.interval(Duration.ZERO, refreshInterval)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    LOG.warn("Cannot read the SCRAM credentials from the coordinator ({}); the last ones read stay in "
                            + "force", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** Reads the credentials now; completes when they are in force. */
    public Mono<ScramSnapshot> refresh() {
        return coordinator.scramCredentials().doOnNext(this::offer);
    }

    /** Puts {@code snapshot} in force unless a newer one is (an answer to a change carries the credentials after it). */
    public void offer(ScramSnapshot snapshot) {
        current.accumulateAndGet(snapshot, (old, read) -> old == null || read.version() >= old.version() ? read : old);
        readAt = clock.instant();
    }

    /** The credentials in force; null until the first read. */
    public ScramSnapshot current() {
        return current.get();
    }

    /** {@code user}'s credential for {@code mechanism} in the copy in force. */
    public Optional<ScramCredential> find(String user, ScramMechanism mechanism) {
        ScramSnapshot snapshot = current.get();
        return snapshot == null ? Optional.empty() : snapshot.find(user, mechanism);
    }

    @Override
    public void close() {
        Disposable d = refreshing;
        if (d != null) {
            d.dispose();
        }
    }
}
