package io.sluice.coordinator.store;

import io.sluice.internal.SluiceJson;
import io.sluice.protocol.ErrorCode;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small set kept as a Redis hash beside a version counter that every change bumps (the ACLs, the SCRAM credentials,
 * the client quotas, the broker configs), read whole: the version first, so the values are at least that new. A
 * change is a read, a change and a compare-and-set write by a script that also checks the active coordinator's fencing
 * token ({@link #write}); a change that lost the race to another reads again ({@link #retryingRaces}).
 */
public final class VersionedHash {

    private static final JsonMapper JSON = SluiceJson.mapper();
    /** How many times a change reads again after another one changed the set under it. */
    private static final int RACES = 10;

    private VersionedHash() {
    }

    /** The hash's values as {@code type}, in {@code order}, made into a snapshot with the version read before them. */
    public static <T, S> Mono<S> read(ReactiveStringRedisTemplate redis, String versionKey, String hashKey,
                                      Class<T> type, Comparator<T> order, BiFunction<Long, List<T>, S> snapshot) {
        return redis.opsForValue().get(versionKey).map(Long::parseLong).defaultIfEmpty(0L)
                .flatMap(version -> redis.<String, String>opsForHash().values(hashKey)
                        .map(value -> JSON.readValue(value, type))
                        .sort(order)
                        .collectList()
                        .map(values -> snapshot.apply(version, values)));
    }

    /**
     * Runs {@code script}, a write that answers the new version, -1 when the caller's fencing token is not the current
     * one and -2 when the version changed since the caller read it: FENCED_COORDINATOR for the first, {@link Raced}
     * for the second (which {@link #retryingRaces} reads again for).
     */
    public static Mono<Long> write(ReactiveStringRedisTemplate redis, RedisScript<Long> script, List<String> keys,
                                   List<String> args) {
        return redis.execute(script, keys, args)
                .next()
                .flatMap(version -> {
                    if (version == -1) {
                        return Mono.error(ErrorCode.FENCED_COORDINATOR.exception(
                                "Another coordinator holds the lease"));
                    }
                    return version == -2 ? Mono.error(new Raced()) : Mono.just(version);
                });
    }

    /**
     * {@code change} (a read and a {@link #write}) done again while another change raced it, up to ten times; then
     * INVALID_REQUEST saying that {@code what} kept changing.
     */
    public static <T> Mono<T> retryingRaces(Mono<T> change, String what) {
        return Mono.defer(() -> change)
                .retryWhen(Retry.max(RACES).filter(Raced.class::isInstance))
                .onErrorMap(Raced.class::isInstance, raced -> ErrorCode.INVALID_REQUEST.exception(
                        what + " kept changing while this change was applied; try again"));
    }

    /** Another change altered the set between this one's read and its write. */
    private static final class Raced extends RuntimeException {

        Raced() {
            super(null, null, false, false);
        }
    }
}
