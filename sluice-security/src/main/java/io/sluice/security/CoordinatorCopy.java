package io.sluice.security;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A process's copy of a small, versioned part of the cluster's metadata (its ACLs, its client quotas), read in full
 * from the coordinator every refresh interval and at once after a change made through this process. Staleness is
 * bounded by the interval (plus one call timeout) while the coordinator answers; when it does not, the last copy read
 * stays in force and {@code sluice_<service>_<name>_age_seconds} grows. A read older than the copy (answered late) is
 * ignored. Before the first read there is no copy ({@link #current} is null).
 *
 * <p>Thread-safe: readers see one whole snapshot.
 *
 * @param <S> the snapshot read
 */
public abstract class CoordinatorCopy<S> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorCopy.class);

    private final String what;
    private final Supplier<Mono<S>> read;
    private final ToLongFunction<S> version;
    private final Duration refreshInterval;
    private final Clock clock;
    private final AtomicReference<S> current = new AtomicReference<>();
    private volatile Instant readAt;
    private volatile Disposable refreshing;

    /**
     * @param what    what the snapshot holds, for logs ("ACLs")
     * @param read    one read of the whole snapshot from the coordinator
     * @param version the snapshot's version, which every change bumps
     */
    protected CoordinatorCopy(String what, Supplier<Mono<S>> read, ToLongFunction<S> version,
                              Duration refreshInterval, Clock clock) {
        this.what = what;
        this.read = read;
        this.version = version;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
    }

    /** Its gauges, {@code sluice_<service>_<name>_age_seconds} and {@code sluice_<service>_<name>} ({@code size}). */
    protected void registerMetrics(MeterRegistry meters, String service, String name, ToIntFunction<S> size) {
        Gauge.builder("sluice." + service + "." + name + ".age", this,
                        copy -> copy.readAt == null ? Double.NaN
                                : Duration.between(copy.readAt, copy.clock.instant()).toMillis() / 1000.0)
                .baseUnit("seconds").description("Time since the " + what + " were last read from the coordinator")
                .register(meters);
        Gauge.builder("sluice." + service + "." + name, this,
                        copy -> copy.current.get() == null ? Double.NaN : size.applyAsInt(copy.current.get()))
                .description("Entries in this process's copy of the " + what).register(meters);
    }

    public void start() {
        refreshing = Flux.interval(Duration.ZERO, refreshInterval)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    LOG.warn("Cannot read the {} from the coordinator ({}); the last ones read stay in force", what,
                            e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    /** Reads the snapshot now; completes when it is in force (or a newer one is). */
    public Mono<S> refresh() {
        return read.get().doOnNext(this::offer);
    }

    /** Puts {@code snapshot} in force unless a newer one is (the answer to a change carries the snapshot after it). */
    public void offer(S snapshot) {
        current.accumulateAndGet(snapshot, (old, fresh) ->
                old == null || version.applyAsLong(fresh) >= version.applyAsLong(old) ? fresh : old);
        readAt = clock.instant();
    }

    /** The snapshot in force; null until the first read. */
    public S current() {
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
