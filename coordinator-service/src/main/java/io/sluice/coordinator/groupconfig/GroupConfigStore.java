package io.sluice.coordinator.groupconfig;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.internal.group.GroupIds;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Groups' configs in Redis: one hash per group id ({@link RedisKeys#groupConfigs}), config key → value, only the keys
 * the group sets. A write replaces the group's whole hash in one Lua script that checks the writer's fencing token
 * first (the token of every coordinator write), so a deposed coordinator writes nothing. A share group's delete
 * removes the hash in the share-partitions' own script (the share package's {@code SharePartitionStore}).
 */
@Component
public class GroupConfigStore {

    private static final RedisScript<Long> CONFIG_WRITE =
            RedisScript.of(new ClassPathResource("redis/share-config-write.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;

    public GroupConfigStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The values {@code groupId} sets, by key, as stored (empty: none). */
    public Mono<SortedMap<String, String>> load(String groupId) {
        GroupIds.validate(groupId);
        return redis.<String, String>opsForHash().entries(RedisKeys.groupConfigs(groupId))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
                .map(stored -> (SortedMap<String, String>) stored);
    }

    /**
     * Stores {@code values} as all of the group's configs under {@code fencingToken} (none: removes the hash). Fails
     * with FENCED_COORDINATOR, having written nothing, when the token is not current.
     */
    public Mono<Void> write(long fencingToken, String groupId, SortedMap<String, String> values) {
        GroupIds.validate(groupId);
        List<String> args = new ArrayList<>();
        args.add(Long.toString(fencingToken));
        values.forEach((key, value) -> {
            args.add(key);
            args.add(value);
        });
        return redis.execute(CONFIG_WRITE, List.of(RedisKeys.FENCING_TOKEN, RedisKeys.groupConfigs(groupId)), args)
                .single()
                .flatMap(result -> result > 0 ? Mono.<Void>empty() : Mono.error(ErrorCode.FENCED_COORDINATOR.exception(
                        "Fencing token " + fencingToken + " is no longer current: another coordinator is active")));
    }
}
