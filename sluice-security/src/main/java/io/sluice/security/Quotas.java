package io.sluice.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.protocol.rate.TokenBucket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.util.unit.DataSize;

/**
 * Per-principal quotas (Kafka's client quotas, {@code sluice.security.quotas}): requests per second, produced bytes
 * and fetched bytes, each a {@link TokenBucket} per principal that may go into debt, so that the throttle follows the
 * overuse. Super users have none; nor has anyone while security is off. The two protocols use them the way their
 * clients expect: over HTTP a request of a principal in debt is refused with 429 and {@code Retry-After} and nothing
 * of it is done ({@link QuotaFilter}); over Kafka the request is served and its answer carries
 * {@code throttle_time_ms}, for which the listener then reads nothing more from the connection (KIP-219). Both count
 * against the same buckets.
 *
 * <p>Metrics: {@code sluice_quota_bytes_total} and {@code sluice_quota_throttled_total}, by principal and quota.
 * Thread-safe.
 */
public final class Quotas {

    /** What a quota counts. */
    public enum Kind { PRODUCE_BYTES, FETCH_BYTES, REQUESTS }

    private record Key(String principal, Kind kind) {
    }

    private final boolean enabled;
    private final SecurityProperties.Quotas quotas;
    private final Set<String> superUsers;
    private final MeterRegistry meters;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<Key, TokenBucket> buckets = new ConcurrentHashMap<>();

    public Quotas(SecurityProperties properties, MeterRegistry meters, LongSupplier nanoTime) {
        this.enabled = properties.enabled();
        this.quotas = properties.quotas();
        this.superUsers = Set.copyOf(properties.superUsers());
        this.meters = meters;
        this.nanoTime = nanoTime;
    }

    /**
     * How long {@code principal} must wait before a request counted against {@code kinds} is served: for the request
     * quota until a whole token is there, for the byte quotas until their debt is paid. Zero when it need not.
     */
    public Duration wait(SluicePrincipal principal, Set<Kind> kinds) {
        long now = nanoTime.getAsLong();
        Duration longest = Duration.ZERO;
        for (Kind kind : kinds) {
            TokenBucket bucket = bucket(principal, kind);
            Duration wait = bucket == null ? Duration.ZERO : bucket.waitFor(kind == Kind.REQUESTS ? 1 : 0, now);
            if (wait.compareTo(longest) > 0) {
                longest = wait;
            }
        }
        return longest;
    }

    /** Counts {@code amount} (one request, or bytes) against {@code principal}'s quota of that kind, into debt. */
    public void charge(SluicePrincipal principal, Kind kind, long amount) {
        TokenBucket bucket = bucket(principal, kind);
        if (bucket != null) {
            bucket.take(amount, nanoTime.getAsLong());
            if (kind != Kind.REQUESTS) {
                Counter.builder("sluice.quota.bytes").baseUnit("bytes")
                        .description("Bytes counted against per-principal quotas")
                        .tag("principal", principal.toString()).tag("quota", name(kind)).register(meters)
                        .increment(amount);
            }
        }
    }

    /**
     * After a Kafka request was served and charged: how long the principal's connection waits before its next
     * request is read, which its answer reports as {@code throttle_time_ms} — the longest of its quotas' debts (the
     * request quota's included). Counted as a throttled request when not zero.
     */
    public Duration throttle(SluicePrincipal principal) {
        long now = nanoTime.getAsLong();
        Duration longest = Duration.ZERO;
        Kind over = null;
        for (Kind kind : Kind.values()) {
            TokenBucket bucket = bucket(principal, kind);
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

    private TokenBucket bucket(SluicePrincipal principal, Kind kind) {
        String who = principal.toString();
        if (!enabled || superUsers.contains(who)) {
            return null;
        }
        SecurityProperties.Quota quota = quotas.of(who);
        Double rate = switch (kind) {
            case REQUESTS -> quota.requestsPerSecond();
            case PRODUCE_BYTES -> rate(quota.produceBytesPerSecond());
            case FETCH_BYTES -> rate(quota.fetchBytesPerSecond());
        };
        if (rate == null || rate <= 0) {
            return null;
        }
        return buckets.computeIfAbsent(new Key(who, kind), key -> new TokenBucket(rate, nanoTime.getAsLong()));
    }

    private static Double rate(DataSize perSecond) {
        return perSecond == null ? null : (double) perSecond.toBytes();
    }

    private static String name(Kind kind) {
        return kind.name().toLowerCase();
    }
}
