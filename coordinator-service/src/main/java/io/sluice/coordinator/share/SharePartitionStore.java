package io.sluice.coordinator.share;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.internal.group.GroupIds;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Share-partitions in Redis: one hash per share group ({@link RedisKeys#sharePartitions}), one field per
 * topic-partition holding its {@link SharePartitionJson} document. Every write is one Lua script that checks the
 * writer's fencing token first (the token of the metadata, group and transaction writes), so a deposed coordinator
 * writes nothing; a coordinator that takes over reads the states back as the last active one left them. The limits are
 * the group's configuration, not stored: a state is read under the limits given.
 *
 * <p>The same script adds the runs of records a call archived to the dead-letter outbox ({@link DeadLetterOutbox}),
 * so a run waits to be written exactly when the archiving is stored.
 */
@Component
class SharePartitionStore {

    private static final RedisScript<Long> SHARE_WRITE =
            RedisScript.of(new ClassPathResource("redis/share-write.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;

    SharePartitionStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Every stored share-partition of {@code groupId}, by topic-partition. */
    Mono<Map<TopicPartition, SharePartition>> load(String groupId, ShareLimits limits) {
        GroupIds.validate(groupId);
        return redis.<String, String>opsForHash().entries(RedisKeys.sharePartitions(groupId))
                .collectMap(entry -> TopicPartition.parse(entry.getKey()),
                        entry -> read(groupId, entry.getKey(), entry.getValue(), limits), TreeMap::new);
    }

    /** The ids of the share groups that have a share-partition stored, sorted. */
    Mono<List<String>> groupIds() {
        return redis.scan(ScanOptions.scanOptions().match(RedisKeys.SHARE_PARTITIONS_PREFIX + "*").count(500).build())
                .map(key -> key.substring(RedisKeys.SHARE_PARTITIONS_PREFIX.length()))
                .filter(GroupIds::isValid)
                .distinct()
                .sort()
                .collectList();
    }

    /** Whether {@code groupId} has any share-partition stored. */
    Mono<Boolean> exists(String groupId) {
        GroupIds.validate(groupId);
        return redis.hasKey(RedisKeys.sharePartitions(groupId));
    }

    /** One share-partition as stored, or empty. */
    Mono<SharePartition> load(String groupId, TopicPartition partition, ShareLimits limits) {
        GroupIds.validate(groupId);
        return redis.<String, String>opsForHash().get(RedisKeys.sharePartitions(groupId), partition.toString())
                .map(document -> read(groupId, partition.toString(), document, limits));
    }

    private static SharePartition read(String groupId, String field, String document, ShareLimits limits) {
        try {
            return SharePartitionJson.read(document, limits);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.UNKNOWN_SERVER_ERROR.exception("The stored share-partition " + field + " of share group "
                    + groupId + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Stores {@code state} (null: removes the share-partition) under {@code fencingToken}. Fails with
     * FENCED_COORDINATOR, having written nothing, when the token is not current.
     */
    Mono<Void> write(long fencingToken, String groupId, TopicPartition partition, SharePartition state) {
        return write(fencingToken, groupId, partition, state, List.of(), 0).then();
    }

    /**
     * Stores {@code state} as {@link #write(long, String, TopicPartition, SharePartition)} does and, in the same
     * script, adds {@code deadLetters} (the runs the call archived) to the dead-letter outbox while it holds fewer than
     * {@code outboxMaxEntries}: the state and its runs are stored together or not at all.
     *
     * @return how many runs were not added because the outbox was full
     */
    Mono<Integer> write(long fencingToken, String groupId, TopicPartition partition, SharePartition state,
                        List<DeadLetterEntry> deadLetters, int outboxMaxEntries) {
        GroupIds.validate(groupId);
        List<String> args = new ArrayList<>();
        args.add(Long.toString(fencingToken));
        args.add(Integer.toString(outboxMaxEntries));
        args.add(Integer.toString(deadLetters.size()));
        deadLetters.forEach(entry -> args.add(entry.document()));
        args.add(partition.toString());
        args.add(state == null ? "delete" : "put");
        args.add(state == null ? "" : SharePartitionJson.write(state));
        return execute(fencingToken, groupId, args, false);
    }

    /**
     * Stores several share-partitions of one group at once (a null state removes its share-partition): all of them,
     * or, with FENCED_COORDINATOR when the token is not current, none; with {@code dropConfigs} (the group is deleted)
     * the group's configs (the groupconfig package's {@code GroupConfigs}) are removed in the same script. An empty map
     * writes nothing.
     */
    Mono<Void> write(long fencingToken, String groupId, Map<TopicPartition, SharePartition> states,
                     boolean dropConfigs) {
        GroupIds.validate(groupId);
        if (states.isEmpty()) {
            return Mono.empty();
        }
        List<String> args = new ArrayList<>();
        args.add(Long.toString(fencingToken));
        args.add("0");
        args.add("0");
        states.forEach((partition, state) -> {
            args.add(partition.toString());
            args.add(state == null ? "delete" : "put");
            args.add(state == null ? "" : SharePartitionJson.write(state));
        });
        return execute(fencingToken, groupId, args, dropConfigs).then();
    }

    private Mono<Integer> execute(long fencingToken, String groupId, List<String> args, boolean dropConfigs) {
        List<String> keys = new ArrayList<>(List.of(RedisKeys.FENCING_TOKEN, RedisKeys.sharePartitions(groupId),
                RedisKeys.SHARE_DLQ_OUTBOX, RedisKeys.SHARE_DLQ_OUTBOX_ID));
        if (dropConfigs) {
            keys.add(RedisKeys.groupConfigs(groupId));
        }
        return redis.execute(SHARE_WRITE, keys, args)
                .single()
                .flatMap(result -> result >= 0 ? Mono.just(result.intValue()) : Mono.error(
                        ErrorCode.FENCED_COORDINATOR.exception("Fencing token " + fencingToken
                                + " is no longer current: another coordinator is active")));
    }
}
