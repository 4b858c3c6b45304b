package io.sluice.gateway.admin;

import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How fast each replica being added to a partition grows, as this gateway measures it between its own samples of the
 * replica's size (taken when someone lists the moves): bytes per second between the last two samples at least
 * {@link #MIN_INTERVAL} apart, none until there are two. Each gateway measures on its own; nothing is shared or kept
 * across restarts.
 *
 * <p>At most {@link #MAX_REPLICAS} replicas are remembered (the least recently sampled goes first), and a replica no
 * longer being added is forgotten at the next listing, so the map stays small whatever is asked. Thread-safe: every
 * method holds the instance's lock (a listing touches a few entries).
 */
final class CatchUpRates {

    static final int MAX_REPLICAS = 10_000;
    /** Samples closer than this are too close for a rate: a listing polled twice at once would measure noise. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** A replica being added: the partition and the node it is added on. */
    record AddingReplica(TopicPartition partition, int nodeId) {
    }

    /** The last sample kept and the rate measured when it was taken (null: none yet). */
    private record Sample(Instant at, long sizeBytes, Double bytesPerSecond) {
    }

    private final Clock clock;
    private final Map<AddingReplica, Sample> samples = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AddingReplica, Sample> eldest) {
            return size() > MAX_REPLICAS;
        }
    };

    CatchUpRates(Clock clock) {
        this.clock = clock;
    }

    /**
     * Records that {@code replica} holds {@code sizeBytes} now and answers its rate in bytes per second (null until a
     * second sample at least {@link #MIN_INTERVAL} after the first). A sample taken sooner than that after the kept
     * one leaves the kept one and answers the rate measured before.
     */
    synchronized Double sample(AddingReplica replica, long sizeBytes) {
        Instant now = clock.instant();
        Sample last = samples.get(replica);
        if (last == null) {
            samples.put(replica, new Sample(now, sizeBytes, null));
            return null;
        }
        Duration elapsed = Duration.between(last.at(), now);
        if (elapsed.compareTo(MIN_INTERVAL) < 0) {
            return last.bytesPerSecond();
        }
        double rate = (sizeBytes - last.sizeBytes()) / (elapsed.toNanos() / 1e9);
        samples.put(replica, new Sample(now, sizeBytes, rate));
        return rate;
    }

    /** Forgets every replica but {@code adding}: the replicas whose moves are still under way. */
    synchronized void retainOnly(Set<AddingReplica> adding) {
        samples.keySet().retainAll(adding);
    }

    synchronized int size() {
        return samples.size();
    }
}
