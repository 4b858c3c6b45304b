package io.sluice.coordinator.metadata;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.FencedCommands;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.coordinator.store.MetadataStore;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.CoordinatorInfo;
import io.sluice.internal.metadata.MetadataDelta;
import io.sluice.internal.metadata.MetadataUpdate;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The active coordinator's metadata: the in-memory view, the single sequence in which every change is decided and
 * written, and the feed followers read.
 *
 * <p>Commands ({@link #submit}) run one at a time, in submission order, on a sequence of their own that callers
 * cannot cancel: each reads the current view, decides a {@link Mutation}, and, when the change is stored in Redis
 * (fenced, see {@link MetadataStore}), the view moves to the new version and followers are told. Because only this
 * sequence writes, every decision is taken on the latest state. Readers use {@link #view()}, an immutable snapshot.
 *
 * <p>While this instance is not active, commands fail with NOT_ACTIVE_COORDINATOR. A write that comes back fenced
 * means another coordinator took over: this one steps down at once.
 *
 * <p>Followers (partition services, gateways) read the {@link MetadataFeed} through {@link #updateSince} (a long poll)
 * and {@link #updates} (a stream).
 */
@Component
public class MetadataManager {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataManager.class);

    private final MetadataStore store;
    private final CoordinatorLease lease;
    private final MetadataFeed feed;
    private final Duration maxWait;
    private final Counter elections;
    private final Counter followersAhead;
    private final java.util.concurrent.atomic.AtomicLong highestVersionAhead = new java.util.concurrent.atomic.AtomicLong();
    private final Sinks.Many<Command<?>> commands = Sinks.many().unicast().onBackpressureBuffer();
    private volatile MetadataView view = MetadataView.empty();
    private volatile boolean ready;
    /** A write's outcome could not be read back: the view may be behind Redis until it is reloaded. */
    private volatile boolean reloadBeforeNextCommand;

    MetadataManager(MetadataStore store, CoordinatorLease lease, CoordinatorProperties properties, MeterRegistry meters) {
        this.store = store;
        this.lease = lease;
        this.followersAhead = Counter.builder("sluice.coordinator.metadata.followers.ahead")
                .description("Metadata requests from followers that had seen a newer version than this coordinator has")
                .register(meters);
        this.feed = new MetadataFeed(properties.metadata().history(), this::followerAhead);
        this.maxWait = properties.metadata().maxWait();
        this.elections = Counter.builder("sluice.coordinator.elections")
                .description("Leader changes decided by this coordinator")
                .register(meters);
        commands.asFlux().concatMap(this::process).subscribe();
    }

    /** The current metadata (meaningful while {@link #isReady()}). */
    public MetadataView view() {
        return view;
    }

    /**
     * What a follower at {@code since} is missing: at once when {@code waitMs} is 0, otherwise as soon as the version
     * moves, or after {@code waitMs} (at most {@code metadata.max-wait}) with no deltas.
     */
    Mono<MetadataUpdate> updateSince(long since, long waitMs) {
        if (waitMs < 0) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("wait_ms must be >= 0, was " + waitMs));
        }
        Duration wait = Duration.ofMillis(Math.min(waitMs, maxWait.toMillis()));
        return wait.isZero() ? Mono.fromSupplier(() -> feed.updateSince(since)) : feed.poll(since, wait);
    }

    /** An endless stream of updates, starting with what a follower at {@code since} is missing. */
    Flux<MetadataUpdate> updates(long since) {
        return feed.stream(since);
    }

    /**
     * The highest metadata version a follower has asked from while this coordinator was behind it (0 if none has): a
     * sign that the store lost writes. Shown in the coordinator's health.
     */
    public long highestVersionAhead() {
        return highestVersionAhead.get();
    }

    private void followerAhead(long since) {
        followersAhead.increment();
        long before = highestVersionAhead.getAndAccumulate(since, Math::max);
        if (since > before) {
            LOG.error("A follower has seen metadata version {}, but this coordinator's metadata is at version {}: the "
                    + "store lost writes or this coordinator is stale. Followers refuse the older view; partition "
                    + "services refuse older leader epochs and delete no data.", since, view.version());
        }
    }

    /** Active and loaded: commands and reads are served. */
    public boolean isReady() {
        return ready && lease.status().active();
    }

    /** Loads the stored metadata after this instance took the lease. */
    public Mono<Void> activate(CoordinatorInfo self) {
        return store.load().doOnNext(loaded -> {
            ClusterMetadata metadata = new ClusterMetadata(loaded.version(), self, loaded.nodes(), loaded.topics());
            view = new MetadataView(metadata);
            feed.reset(metadata);
            ready = true;
            LOG.info("Loaded metadata version {}: {} nodes, {} topics", metadata.version(), metadata.nodes().size(),
                    metadata.topics().size());
        }).then();
    }

    public void deactivate() {
        ready = false;
        view = MetadataView.empty();
    }

    /** Runs {@code command} in the coordinator's sequence; the result arrives once its change is stored. */
    public <T> Mono<T> submit(Function<MetadataView, Mutation<T>> command) {
        Sinks.One<T> result = Sinks.one();
        synchronized (commands) {
            commands.tryEmitNext(new Command<>(command, result)).orThrow();
        }
        return result.asMono();
    }

    private <T> Mono<Void> process(Command<T> command) {
        return FencedCommands.answer(Mono.defer(() -> {
            if (!isReady()) {
                return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception(
                        "This coordinator is not the active one"));
            }
            if (!reloadBeforeNextCommand) {
                return decideAndWrite(command);
            }
            return store.load().flatMap(stored -> {
                reloadBeforeNextCommand = false;
                if (stored.version() != view.version()) {
                    adopt(stored);
                }
                return decideAndWrite(command);
            });
        }), command.result(), lease, this::deactivate, "metadata");
    }

    /** Decides the command on the current view and writes its change, if any. */
    private <T> Mono<T> decideAndWrite(Command<T> command) {
        long token = lease.fencingToken();
        Mutation<T> mutation = command.decide().apply(view);
        MetadataChange change = mutation.change();
        if (change == null || change.isEmpty()) {
            return Mono.justOrEmpty(mutation.result());
        }
        long base = view.version();
        // flatMap: a command without an answer (result null) completes empty once written.
        return store.write(token, change)
                .onErrorResume(error -> settleFailedWrite(error, base))
                .flatMap(version -> {
                    apply(change.toDelta(version));
                    return Mono.justOrEmpty(mutation.result());
                });
    }

    /**
     * A write that did not come back written. A refusal from the store's script (fenced, a guard failed) wrote
     * nothing; any other failure — a timeout, a dropped connection — may have written it all (the script is atomic),
     * and deciding on a view that Redis has moved past would make every later change to what it touched fail its
     * partition-epoch guard, for good. So the store is read again, in the command sequence: if its version is exactly
     * one past the view's, the write landed (only the lease holder writes) and it counts as done; otherwise the view
     * takes what Redis holds and the command fails. A failed guard means the view is behind Redis too: it is reloaded
     * the same way. If even the reload fails, the error stands and the next command reloads first.
     */
    private Mono<Long> settleFailedWrite(Throwable error, long viewVersion) {
        if (error instanceof SluiceException e && (e.errorCode() == ErrorCode.FENCED_COORDINATOR
                || e.errorCode() == ErrorCode.TOPIC_ALREADY_EXISTS || e.errorCode() == ErrorCode.UNKNOWN_TOPIC)) {
            return Mono.error(error);
        }
        boolean refused = error instanceof SluiceException e && e.errorCode() == ErrorCode.STALE_PARTITION_EPOCH;
        return store.load().flatMap(stored -> {
            if (!refused && stored.version() == viewVersion + 1) {
                LOG.warn("A metadata write reported {}, but Redis holds it as version {}: it was written",
                        error.toString(), stored.version());
                return Mono.just(stored.version());
            }
            if (stored.version() != viewVersion) {
                LOG.warn("The metadata view (version {}) is behind Redis (version {}) after a write that reported {}: "
                        + "reloading it", viewVersion, stored.version(), error.toString());
                adopt(stored);
            }
            return Mono.<Long>error(error);
        }).onErrorResume(reloadError -> {
            if (reloadError != error) {
                LOG.warn("Could not read the metadata back after a failed write ({}): {}; reloading before the next "
                        + "command", error.toString(), reloadError.toString());
                reloadBeforeNextCommand = true;
            }
            return Mono.error(error);
        });
    }

    /** Takes the metadata as stored, followers starting over from it (they accept it: its version is newer). */
    private void adopt(ClusterMetadata stored) {
        ClusterMetadata metadata = new ClusterMetadata(stored.version(), view.metadata().coordinator(), stored.nodes(),
                stored.topics());
        view = new MetadataView(metadata);
        feed.reset(metadata);
    }

    private void apply(MetadataDelta delta) {
        MetadataView before = view;
        for (TopicMetadata topic : delta.topics()) {
            before.topic(topic.name()).ifPresent(old -> countLeaderChanges(old, topic));
        }
        ClusterMetadata after = before.metadata().apply(delta);
        view = new MetadataView(after);
        feed.append(delta, after);
    }

    private void countLeaderChanges(TopicMetadata before, TopicMetadata after) {
        for (PartitionState state : after.partitions()) {
            if (state.partition() < before.partitions().size()
                    && before.partition(state.partition()).leaderEpoch() != state.leaderEpoch()) {
                elections.increment();
            }
        }
    }

    private record Command<T>(Function<MetadataView, Mutation<T>> decide, Sinks.One<T> result) {
    }
}
