package io.sluice.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.quota.QuotaEntity;
import io.sluice.internal.quota.QuotaEntity.Part;
import io.sluice.internal.quota.QuotaEntry;
import io.sluice.internal.quota.QuotaKey;
import io.sluice.internal.quota.QuotaSnapshot;
import io.sluice.protocol.rate.TokenBucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.util.unit.DataSize;

/**
 * Client quotas, Kafka's: bytes produced per second, bytes fetched per second, and (Sluice's) requests per second,
 * each a {@link TokenBucket} that may go into debt, so that the throttle follows the overuse. Super users have none;
 * nor has anyone while security is off. The two protocols use them the way their clients expect: over HTTP a request
 * of a principal in debt is refused with 429 and {@code Retry-After} and nothing of it is done ({@link QuotaFilter});
 * over Kafka the request is served and its answer carries {@code throttle_time_ms}, for which the listener then reads
 * nothing more from the connection (KIP-219). Both count against the same buckets.
 *
 * <p>Where the rates come from: the configuration ({@code sluice.security.quotas}: {@code defaults} as Kafka's default
 * user, {@code overrides} as users), and over it the quotas set through Kafka's AlterClientQuotas or the HTTP API
 * ({@link QuotaCache}), which win key by key. Which rate applies to a request, for each kind on its own, is Kafka's
 * order, the first entity with a rate of that kind: user and client id, user and default client id, user, default
 * user and client id, default user and default client id, default user, client id, default client id. A request over
 * HTTP has no client id: only the user entities apply to it. And whose bucket it draws from is Kafka's too: a quota
 * set for an entity is shared by every client of that entity, a default one is each user's (or client id's) own.
 *
 * <p>A bucket is kept while it is not full: at most once a minute, when a new bucket is made, the full ones are
 * dropped (a full bucket holds what a new one would), so that clients that came and went, each with a client id of its
 * own, leave nothing behind. A charge takes from the bucket under the map's lock for its key, so that a bucket is
 * never dropped between being found and being charged.
 *
 * <p>Metrics: {@code sluice_quota_bytes_total} and {@code sluice_quota_throttled_total}, by principal and quota.
 * Thread-safe.
 */
public final class Quotas {

    /** What a quota counts. */
    public enum Kind {
        PRODUCE_BYTES(QuotaKey.PRODUCER_BYTE_RATE),
        FETCH_BYTES(QuotaKey.CONSUMER_BYTE_RATE),
        REQUESTS(QuotaKey.REQUEST_RATE);

        private final QuotaKey key;

        Kind(QuotaKey key) {
            this.key = key;
        }
    }

    /** A bucket's identity: Kafka's quota metric tags (user, client id; "" where the entity has no such part). */
    private record Key(String user, String clientId, Kind kind) {
    }

    /** The rates in force: the configured ones with the stored ones over them, for one stored version. */
    private record Table(QuotaSnapshot stored, Map<QuotaEntity, Map<QuotaKey, Double>> rates) {
    }

    /** How often, at most, the full buckets are looked for and dropped. */
    private static final long SWEEP_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    /** The rate of a configured override that leaves it unset: no quota, whatever the defaults say. */
    private static final double UNLIMITED = Double.POSITIVE_INFINITY;

    private final boolean enabled;
    private final Map<QuotaEntity, Map<QuotaKey, Double>> configured;
    private final QuotaCache stored;
    private final Set<String> superUsers;
    private final MeterRegistry meters;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<Key, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;
    private volatile Table table;

    /** {@code stored}: the quotas set through Kafka or HTTP; null applies only the configured ones. */
    public Quotas(SecurityProperties properties, QuotaCache stored, MeterRegistry meters, LongSupplier nanoTime) {
        this.enabled = properties.enabled();
        this.configured = configured(properties.quotas());
        this.stored = stored;
        this.superUsers = Set.copyOf(properties.superUsers());
        this.meters = meters;
        this.nanoTime = nanoTime;
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
        this.table = new Table(null, configured);
    }

    /**
     * How long {@code principal} must wait before a request counted against {@code kinds} is served: for the request
     * quota until a whole token is there, for the byte quotas until their debt is paid. Zero when it need not.
     * {@code clientId}: the Kafka client id the request carries, null over HTTP.
     */
    public Duration wait(SluicePrincipal principal, String clientId, Set<Kind> kinds) {
        long now = nanoTime.getAsLong();
        Duration longest = Duration.ZERO;
        for (Kind kind : kinds) {
            TokenBucket bucket = bucket(principal, clientId, kind);
            Duration wait = bucket == null ? Duration.ZERO : bucket.waitFor(kind == Kind.REQUESTS ? 1 : 0, now);
            if (wait.compareTo(longest) > 0) {
                longest = wait;
            }
        }
        return longest;
    }

    /** Counts {@code amount} (one request, or bytes) against the quota of that kind, into debt. */
    public void charge(SluicePrincipal principal, String clientId, Kind kind, long amount) {
        TokenBucket bucket = bucket(principal, clientId, kind, amount);
        if (bucket != null) {
            if (kind != Kind.REQUESTS) {
                Counter.builder("sluice.quota.bytes").baseUnit("bytes")
                        .description("Bytes counted against client quotas")
                        .tag("principal", principal.toString()).tag("quota", name(kind)).register(meters)
                        .increment(amount);
            }
        }
    }

    /**
     * After a Kafka request was served and charged: how long the client's connection waits before its next request
     * is read, which its answer reports as {@code throttle_time_ms} — the longest of its quotas' debts (the request
     * quota's included). Counted as a throttled request when not zero.
     */
    public Duration throttle(SluicePrincipal principal, String clientId) {
        long now = nanoTime.getAsLong();
        Duration longest = Duration.ZERO;
        Kind over = null;
        for (Kind kind : Kind.values()) {
            TokenBucket bucket = bucket(principal, clientId, kind);
            Duration wait = bucket == null ? Duration.ZERO : bucket.waitFor(0, now);
            if (wait.compareTo(longest) > 0) {
                longest = wait;
                over = kind;
            }
        }
        if (over != null) {
            throttled(principal, over);
        }
        return longest;
    }

    public void throttled(SluicePrincipal principal, Kind kind) {
        Counter.builder("sluice.quota.throttled").description("Requests refused or delayed for being over a quota")
                .tag("principal", principal.toString()).tag("quota", name(kind)).register(meters).increment();
    }

    /** A rate that applies, the entity it was set for, and the tags of the bucket it draws from. */
    private record Applied(QuotaEntity entity, double rate, String user, String clientId) {
    }

    private TokenBucket bucket(SluicePrincipal principal, String clientId, Kind kind) {
        return bucket(principal, clientId, kind, 0);
    }

    /** The bucket that applies, with {@code take} tokens taken from it (into debt) while it is the key's. */
    private TokenBucket bucket(SluicePrincipal principal, String clientId, Kind kind, long take) {
        if (!enabled || superUsers.contains(principal.toString())) {
            return null;
        }
        Applied applied = resolve(principal.name(), clientId, kind);
        if (applied == null || applied.rate() == UNLIMITED) {
            return null;
        }
        long now = nanoTime.getAsLong();
        boolean[] made = new boolean[1];
        TokenBucket found = buckets.compute(new Key(applied.user(), applied.clientId(), kind), (key, bucket) -> {
            if (bucket == null) {
                bucket = new TokenBucket(applied.rate(), now);
                made[0] = true;
            } else if (bucket.rate() != applied.rate()) {
                bucket.rate(applied.rate(), now);
            }
            if (take != 0) {
                bucket.take(take, now);
            }
            return bucket;
        });
        if (made[0]) {
            sweep(now);
        }
        return found;
    }

    /** Drops the full buckets, at most once every {@link #SWEEP_INTERVAL_NANOS}. */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        for (Key key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, bucket) -> bucket.full(now) ? null : bucket);
        }
    }

    /** How many buckets are kept (for tests). */
    int bucketCount() {
        return buckets.size();
    }

    private Applied resolve(String user, String clientId, Kind kind) {
        Map<QuotaEntity, Map<QuotaKey, Double>> rates = table().rates();
        for (Candidate candidate : candidates(user, clientId)) {
            Map<QuotaKey, Double> set = rates.get(candidate.entity());
            Double rate = set == null ? null : set.get(kind.key);
            if (rate != null) {
                return new Applied(candidate.entity(), rate, candidate.user(), candidate.clientId());
            }
        }
        return null;
    }

    private record Candidate(QuotaEntity entity, String user, String clientId) {
    }

    /** Kafka's order of the entities that may apply, most specific first, each with the tags of its bucket. */
    private static List<Candidate> candidates(String user, String clientId) {
        List<Candidate> order = new ArrayList<>(8);
        Part named = Part.of(user);
        Part client = clientId == null ? null : Part.of(clientId);
        String tagClient = clientId == null ? "" : clientId;
        if (client != null) {
            order.add(new Candidate(new QuotaEntity(named, client), user, tagClient));
            order.add(new Candidate(new QuotaEntity(named, Part.DEFAULT), user, tagClient));
        }
        order.add(new Candidate(new QuotaEntity(named, null), user, ""));
        if (client != null) {
            order.add(new Candidate(new QuotaEntity(Part.DEFAULT, client), user, tagClient));
            order.add(new Candidate(new QuotaEntity(Part.DEFAULT, Part.DEFAULT), user, tagClient));
        }
        order.add(new Candidate(new QuotaEntity(Part.DEFAULT, null), user, ""));
        if (client != null) {
            order.add(new Candidate(new QuotaEntity(null, client), "", tagClient));
            order.add(new Candidate(new QuotaEntity(null, Part.DEFAULT), "", tagClient));
        }
        return order;
    }

    /** The rates in force, recomputed when the stored quotas changed. */
    private Table table() {
        QuotaSnapshot snapshot = stored == null ? null : stored.current();
        Table now = table;
        if (snapshot == now.stored()) {
            return now;
        }
        Map<QuotaEntity, Map<QuotaKey, Double>> rates = new HashMap<>();
        configured.forEach((entity, set) -> rates.put(entity, new EnumMap<>(set)));
        for (QuotaEntry entry : snapshot.entries()) {
            Map<QuotaKey, Double> set = rates.computeIfAbsent(entry.entity(), e -> new EnumMap<>(QuotaKey.class));
            entry.rates().forEach((key, rate) -> set.put(QuotaKey.named(key), rate));
        }
        Table fresh = new Table(snapshot, rates);
        table = fresh;
        return fresh;
    }

    /**
     * The configured quotas as Kafka's entities: the defaults are the default user's, an override its user's. An
     * override replaces the defaults whole (docs/security.md): a rate it leaves unset is unlimited
     * ({@link #UNLIMITED}), not the default's.
     */
    private static Map<QuotaEntity, Map<QuotaKey, Double>> configured(SecurityProperties.Quotas quotas) {
        Map<QuotaEntity, Map<QuotaKey, Double>> rates = new HashMap<>();
        rates.put(new QuotaEntity(Part.DEFAULT, null), rates(quotas.defaults(), null));
        quotas.overrides().forEach((principal, quota) -> rates.put(new QuotaEntity(Part.of(
                principal.startsWith("User:") ? principal.substring("User:".length()) : principal), null),
                rates(quota, UNLIMITED)));
        return Map.copyOf(rates);
    }

    private static Map<QuotaKey, Double> rates(SecurityProperties.Quota quota, Double unset) {
        Map<QuotaKey, Double> rates = new EnumMap<>(QuotaKey.class);
        put(rates, QuotaKey.PRODUCER_BYTE_RATE, rate(quota.produceBytesPerSecond()), unset);
        put(rates, QuotaKey.CONSUMER_BYTE_RATE, rate(quota.fetchBytesPerSecond()), unset);
        put(rates, QuotaKey.REQUEST_RATE, quota.requestsPerSecond(), unset);
        return rates;
    }

    private static void put(Map<QuotaKey, Double> rates, QuotaKey key, Double rate, Double unset) {
        Double value = rate != null && rate > 0 ? rate : unset;
        if (value != null) {
            rates.put(key, value);
        }
    }

    private static Double rate(DataSize perSecond) {
        return perSecond == null ? null : (double) perSecond.toBytes();
    }

    private static String name(Kind kind) {
        return kind.name().toLowerCase();
    }
}
