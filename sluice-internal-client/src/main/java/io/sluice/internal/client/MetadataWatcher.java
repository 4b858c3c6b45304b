package io.sluice.internal.client;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataDelta;
import io.sluice.internal.metadata.MetadataUpdate;
import io.sluice.internal.metadata.MetadataView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Follows the coordinator's metadata by long-polling {@link CoordinatorApi#metadataSince} and keeps the latest
 * {@link MetadataView}. Listeners see every version in order, one view per version (or one snapshot when the watcher
 * fell further behind than the coordinator's history), on the watcher's own thread, where they may block (a
 * partition service opens logs there). While the coordinator is unreachable the last view stays in force, so the
 * data path keeps serving, and polling backs off up to two seconds.
 *
 * <p>Versions only move forward. A snapshot older than the view in force (a stale coordinator, or a Redis that lost
 * writes or came back empty) is refused: the view stays, nothing is published, the refusal is logged as an error and
 * counted ({@link #refusedRegressions()}, metric {@code sluice.metadata.regressions}), and polling slows down until
 * the coordinator is at least as far as this watcher again.
 *
 * <p>Thread-safe. {@link #current()} is lock-free.
 */
public final class MetadataWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataWatcher.class);

    private final CoordinatorApi coordinator;
    private final Duration pollWait;
    private final List<Consumer<MetadataView>> listeners = new CopyOnWriteArrayList<>();
    private final Sinks.Many<MetadataView> versions = Sinks.many().replay().latest();
    private final Scheduler thread = Schedulers.newSingle("metadata-watcher", true);
    private final AtomicLong regressions = new AtomicLong();
    private final Duration refusedPause;
    private volatile MetadataView current = MetadataView.empty();
    private Disposable polling;

    public MetadataWatcher(CoordinatorApi coordinator, Duration pollWait) {
        this(coordinator, pollWait, Duration.ofSeconds(1));
    }

    /** {@code refusedPause}: how long to wait before polling again after refusing an older snapshot. */
    public MetadataWatcher(CoordinatorApi coordinator, Duration pollWait, Duration refusedPause) {
        this.coordinator = coordinator;
        this.pollWait = pollWait;
        this.refusedPause = refusedPause;
    }

    /** Exports the regression count as {@code sluice.metadata.regressions}. */
    public MetadataWatcher withMetrics(MeterRegistry meters) {
        FunctionCounter.builder("sluice.metadata.regressions", regressions, AtomicLong::get)
                .description("Metadata snapshots refused because they were older than the view in force")
                .register(meters);
        return this;
    }

    /** How many snapshots were refused because they would have taken the view back to an older version. */
    public long refusedRegressions() {
        return regressions.get();
    }

    public MetadataView current() {
        return current;
    }

    /** {@code listener} sees every version published from now on, in order, on the watcher's thread. */
    public void addListener(Consumer<MetadataView> listener) {
        listeners.add(listener);
    }

    public synchronized void start() {
        if (polling != null) {
            return;
        }
        polling = Mono.defer(() -> coordinator.metadataSince(current.version(), pollWait))
                .publishOn(thread)
                // A value per answered poll: the back-off counts failures in a row, and only a value resets that
                // count (without one every failure in the watcher's life would add to it, up to its longest wait).
                .flatMap(update -> apply(update) ? Mono.just(Boolean.TRUE)
                        : Mono.delay(refusedPause, thread).thenReturn(Boolean.TRUE))
                .repeat()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2))
                        .transientErrors(true)
                        .doBeforeRetry(signal -> LOG.debug("Metadata poll failed; keeping version {}: {}",
                                current.version(), signal.failure().toString())))
                .subscribe();
    }

    /**
     * The first view at {@code version} or later; the current one if none arrives within {@code timeout}. Signalled on
     * a Reactor parallel thread, never on the watcher's own: what a caller does next (a rerouted fetch, rendering its
     * answer) cannot hold up the metadata.
     */
    public Mono<MetadataView> awaitVersion(long version, Duration timeout) {
        return versions.asFlux()
                .filter(view -> view.version() >= version)
                .next()
                .timeout(timeout, Mono.fromSupplier(this::current))
                .publishOn(Schedulers.parallel());
    }

    /** The first view newer than {@code version}, as {@link #awaitVersion} signals it. */
    public Mono<MetadataView> awaitNewerThan(long version, Duration timeout) {
        return awaitVersion(version + 1, timeout);
    }

    /**
     * One poll's answer, published a version at a time: a poll that returns several deltas yields one view per delta,
     * so listeners see every version (a snapshot, for a watcher too far behind, is one view). Returns false when the
     * answer was refused because it would take the view back to an older version.
     */
    private boolean apply(MetadataUpdate update) {
        ClusterMetadata metadata = current.metadata();
        if (update.snapshot() != null && update.snapshot().version() < metadata.version()) {
            long refused = regressions.incrementAndGet();
            LOG.error("Refused metadata snapshot at version {}: this process already holds version {}. The coordinator "
                    + "is stale or its Redis lost acknowledged writes; keeping version {} ({} refusals so far)",
                    update.snapshot().version(), metadata.version(), metadata.version(), refused);
            return false;
        }
        if (update.snapshot() != null) {
            metadata = update.snapshot();
            publish(new MetadataView(metadata));
        }
        for (MetadataDelta delta : update.deltas()) {
            if (delta.version() > metadata.version()) {
                metadata = metadata.apply(delta);
                publish(new MetadataView(metadata));
            }
        }
        return true;
    }

    private void publish(MetadataView view) {
        current = view;
        LOG.debug("Metadata version {} in force", view.version());
        for (Consumer<MetadataView> listener : listeners) {
            try {
                listener.accept(view);
            } catch (RuntimeException e) {
                LOG.warn("Metadata listener failed at version {}", view.version(), e);
            }
        }
        versions.tryEmitNext(view);
    }

    @Override
    public synchronized void close() {
        if (polling != null) {
            polling.dispose();
        }
        thread.dispose();
    }
}
