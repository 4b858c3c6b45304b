package io.sluice.coordinator.groupconfig;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.internal.group.GroupIds;
import io.sluice.protocol.ErrorCode;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Groups' configs ({@link GroupConfigKey}) on the active coordinator: what holds for a group id ({@link #config}), for
 * consumer and streams groups' heartbeats and sweeps (the group package) and for the share package's sequence,
 * membership and dead-letter writer.
 *
 * <p>Where they live: in Redis ({@link GroupConfigStore}), only the keys each group sets, written by the share
 * package's sequence ({@code ShareGroupService}, the one writer, so that a share group's commands after a change run
 * under its new values) under the coordinator's fencing token, so a config survives a coordinator failover and a
 * deposed coordinator writes none. A share group's delete removes its configs in the same script as its
 * share-partitions.
 *
 * <p>What is in memory is only what Redis holds: each group's values as this instance last read or wrote them, with
 * the fencing token of that time. A read under another token (the lease changed hands since) reads Redis again. Only
 * the sequence writes; a read that raced a write never replaces what the write left (see {@link #remember}).
 *
 * <p>Thread-safe: any thread may call {@link #config}.
 */
@Component
public class GroupConfigs {

    private final GroupConfigStore store;
    private final CoordinatorLease lease;
    private final CoordinatorProperties properties;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Counts the sequence's writes: a read that saw one land while it was in flight is answered, never cached. */
    private final AtomicLong writes = new AtomicLong();

    GroupConfigs(GroupConfigStore store, CoordinatorLease lease, CoordinatorProperties properties) {
        this.store = store;
        this.lease = lease;
        this.properties = properties;
    }

    /** How many groups' configs are held at most; past it the cache starts again empty (Redis has them all). */
    public static final int MOST_CACHED = 10_000;

    /** The coordinator's settings: what a group that sets nothing has. */
    public CoordinatorProperties properties() {
        return properties;
    }

    /**
     * What holds for {@code groupId} now: its own values over the cluster defaults. Any valid group id has a config
     * (a group that sets nothing has the defaults), whether or not it has state. Fails with the group id's error for
     * an invalid one.
     */
    public Mono<GroupConfig> config(String groupId) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            long token = lease.fencingToken();
            Cached cached = cache.get(groupId);
            if (cached != null && cached.fencingToken() == token) {
                return Mono.just(cached.config());
            }
            long writesBefore = writes.get();
            return store.load(groupId).map(stored -> remember(token, writesBefore, groupId, read(groupId, stored)));
        });
    }

    /**
     * Stores {@code overrides} as all of the group's configs under {@code fencingToken} and remembers them. Fails with
     * FENCED_COORDINATOR, having written nothing, when the token is not current. Called by the share package's
     * sequence only.
     */
    public Mono<GroupConfig> write(long fencingToken, String groupId, SortedMap<String, String> overrides) {
        return store.write(fencingToken, groupId, overrides)
                .then(Mono.fromCallable(() -> written(fencingToken, groupId, overrides)));
    }

    /** Remembers what the sequence wrote (the group's configs were removed with it when {@code overrides} is empty). */
    public GroupConfig written(long fencingToken, String groupId, SortedMap<String, String> overrides) {
        GroupConfig config = GroupConfig.of(groupId, overrides, properties);
        writes.incrementAndGet();
        bound();
        cache.put(groupId, new Cached(fencingToken, config));
        return config;
    }

    /**
     * Keeps what a read found, unless the cache already has the group under the same token (that is as new or newer:
     * a write of the sequence that landed while the read was in flight; it is kept and answered instead), or the
     * sequence wrote any group's configs while the read was in flight (the read may be older than that write, whose
     * entry may have been dropped by {@link #bound}; the read is answered, not kept). {@link #written} counts a write
     * before it puts its entry, so a read that checks after the count never replaces that entry.
     */
    private GroupConfig remember(long fencingToken, long writesBefore, String groupId, GroupConfig read) {
        bound();
        Cached kept = cache.compute(groupId, (id, held) -> {
            if (held != null && held.fencingToken() == fencingToken) {
                return held;
            }
            return writes.get() == writesBefore ? new Cached(fencingToken, read) : held;
        });
        return kept != null && kept.fencingToken() == fencingToken ? kept.config() : read;
    }

    /**
     * Keeps the cache to {@value #MOST_CACHED} groups: any group id has configs, so asking for ids without end must
     * not grow it without end. Emptying it costs a Redis read per group next time, and loses nothing.
     */
    private void bound() {
        if (cache.size() >= MOST_CACHED) {
            cache.clear();
        }
    }

    /** How many groups' configs the cache holds now (for tests). */
    public int cachedGroups() {
        return cache.size();
    }

    private GroupConfig read(String groupId, Map<String, String> stored) {
        SortedMap<String, String> known = new TreeMap<>();
        stored.forEach((key, value) -> {
            try {
                known.put(key, GroupConfigKey.of(key).canonical(value));
            } catch (RuntimeException e) {
                throw ErrorCode.UNKNOWN_SERVER_ERROR.exception("The stored config " + key + "=" + value
                        + " of group " + groupId + " cannot be read: " + e.getMessage());
            }
        });
        return GroupConfig.of(groupId, known, properties);
    }

    private record Cached(long fencingToken, GroupConfig config) {
    }
}
