package io.sluice.coordinator.metadata;

import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataDelta;
import io.sluice.internal.metadata.MetadataUpdate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The versioned metadata stream that partition services and gateways follow: the current snapshot, the last
 * {@code history} deltas, and a signal of the latest version. A follower at version V gets the deltas after V in
 * order, or a snapshot when V is older than the history (or is from another coordinator's history and ahead of
 * ours; the follower refuses it, and the coordinator raises an alarm). Long polls and SSE streams subscribe to the version signal, which replays the latest version to each new
 * subscriber, so a change published between a follower's check and its subscription is never missed.
 *
 * <p>One writer (the coordinator's command sequence) calls {@link #reset} and {@link #append}; followers read from
 * any thread.
 */
final class MetadataFeed {

    private final int history;
    private final java.util.function.LongConsumer followerAhead;
    private final Deque<MetadataDelta> deltas = new ArrayDeque<>();
    private final Sinks.Many<Long> versions = Sinks.many().replay().latest();
    private volatile ClusterMetadata snapshot = ClusterMetadata.empty();

    /** {@code followerAhead}: told the version of every request from a follower ahead of this feed. */
    MetadataFeed(int history, java.util.function.LongConsumer followerAhead) {
        this.history = history;
        this.followerAhead = followerAhead;
    }

    ClusterMetadata snapshot() {
        return snapshot;
    }

    /** Starts over from a snapshot (a coordinator became active): older followers get this snapshot. */
    synchronized void reset(ClusterMetadata newSnapshot) {
        deltas.clear();
        snapshot = newSnapshot;
        versions.tryEmitNext(newSnapshot.version());
    }

    synchronized void append(MetadataDelta delta, ClusterMetadata newSnapshot) {
        deltas.addLast(delta);
        while (deltas.size() > history) {
            deltas.removeFirst();
        }
        snapshot = newSnapshot;
        versions.tryEmitNext(newSnapshot.version());
    }

    /** What a follower at {@code since} needs to reach the current version. */
    synchronized MetadataUpdate updateSince(long since) {
        ClusterMetadata current = snapshot;
        if (since == current.version()) {
            return MetadataUpdate.ofDeltas(since, List.of());
        }
        if (since > current.version()) {
            // A follower has seen versions this coordinator has not: its store lost writes, or it is stale. The
            // snapshot below is older than the follower's view, which refuses it; this is an alarm, not a repair.
            followerAhead.accept(since);
        }
        MetadataDelta oldest = deltas.peekFirst();
        // A fresh follower (version 0) gets a snapshot: deltas carry no coordinator, and it has nothing to apply them to.
        if (since > current.version() || since <= 0 || oldest == null || oldest.version() > since + 1) {
            return MetadataUpdate.ofSnapshot(current);
        }
        List<MetadataDelta> after = new ArrayList<>();
        for (MetadataDelta delta : deltas) {
            if (delta.version() > since) {
                after.add(delta);
            }
        }
        return MetadataUpdate.ofDeltas(current.version(), after);
    }

    /** A long poll: the update as soon as the version differs from {@code since}, or an empty update after {@code wait}. */
    Mono<MetadataUpdate> poll(long since, Duration wait) {
        return poll(since, wait, Schedulers.parallel());
    }

    /** {@link #poll(long, Duration)} with its wait timed on {@code timer}. */
    Mono<MetadataUpdate> poll(long since, Duration wait, Scheduler timer) {
        return versions.asFlux()
                .filter(version -> version != since)
                .next()
                .map(version -> updateSince(since))
                .timeout(wait, Mono.fromSupplier(() -> updateSince(since)), timer);
    }

    /** An endless stream of updates, starting with what a follower at {@code since} is missing. */
    Flux<MetadataUpdate> stream(long since) {
        return Flux.defer(() -> {
            long[] at = {since};
            return versions.asFlux()
                    .filter(version -> version != at[0])
                    .map(version -> {
                        MetadataUpdate update = updateSince(at[0]);
                        at[0] = update.version();
                        return update;
                    })
                    .filter(update -> update.snapshot() != null || !update.deltas().isEmpty());
        });
    }
}
