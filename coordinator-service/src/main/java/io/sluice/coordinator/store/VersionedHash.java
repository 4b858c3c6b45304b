package io.sluice.coordinator.store;

import io.sluice.internal.SluiceJson;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small set kept as a Redis hash of JSON values beside a version counter that every change bumps (the ACLs, the
 * SCRAM credentials, the client quotas), read whole: the version first, so the values are at least that new.
 */
public final class VersionedHash {

    private static final JsonMapper JSON = SluiceJson.mapper();

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
}
