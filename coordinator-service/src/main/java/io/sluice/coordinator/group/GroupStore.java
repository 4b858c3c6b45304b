package io.sluice.coordinator.group;

import io.sluice.coordinator.group.ConsumerGroup.GroupDocument;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.internal.SluiceJson;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumer groups in Redis (layout in {@link RedisKeys}): one document per group in {@link RedisKeys#GROUPS}, and its
 * committed offsets one field per partition in {@link RedisKeys#groupOffsets}, so that a commit writes only what it
 * changed. Every write is one Lua script that checks the writer's fencing token first — the token of the metadata
 * writes — so a deposed coordinator writes nothing. Read in full when a coordinator becomes active.
 */
@Component
class GroupStore {

    private static final RedisScript<Long> GROUP_WRITE =
            RedisScript.of(new ClassPathResource("redis/group-write.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json = SluiceJson.mapper();

    GroupStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Every stored group with its offsets. */
    Mono<Map<String, ConsumerGroup>> load() {
        return redis.<String, String>opsForHash().values(RedisKeys.GROUPS)
                .map(value -> json.readValue(value, GroupDocument.class))
                .concatMap(document -> loadOffsets(document.groupId()).map(document::toGroup))
                .collectMap(ConsumerGroup::groupId, group -> group, TreeMap::new);
    }

    /** One group as stored, or empty if there is none. */
    Mono<ConsumerGroup> load(String groupId) {
        return redis.<String, String>opsForHash().get(RedisKeys.GROUPS, groupId)
                .map(value -> json.readValue(value, GroupDocument.class))
                .flatMap(document -> loadOffsets(groupId).map(document::toGroup));
    }

    private Mono<Map<TopicPartition, StoredOffset>> loadOffsets(String groupId) {
        return redis.<String, String>opsForHash().values(RedisKeys.groupOffsets(groupId))
                .map(value -> json.readValue(value, StoredOffset.class))
                .collectMap(StoredOffset::topicPartition, offset -> offset);
    }

    /**
     * Stores the change from {@code before} to {@code after} (either null: a group created or deleted) under
     * {@code fencingToken}. Fails with FENCED_COORDINATOR, having written nothing, when the token is not current.
     */
    Mono<Void> write(long fencingToken, String groupId, ConsumerGroup before, ConsumerGroup after) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(fencingToken));
        args.add(groupId);
        if (after == null) {
            args.add("delete");
            args.add("");
        } else if (before == null || !before.document().equals(after.document())) {
            args.add("put");
            args.add(json.writeValueAsString(after.document()));
        } else {
            args.add("keep");
            args.add("");
        }
        Map<TopicPartition, StoredOffset> old = before == null ? Map.of() : before.offsets();
        Map<TopicPartition, StoredOffset> now = after == null ? Map.of() : after.offsets();
        List<String> puts = new ArrayList<>();
        now.forEach((tp, offset) -> {
            if (!Objects.equals(old.get(tp), offset)) {
                puts.add(tp.toString());
                puts.add(json.writeValueAsString(offset));
            }
        });
        List<String> deletes = old.keySet().stream().filter(tp -> after != null && !now.containsKey(tp))
                .map(TopicPartition::toString).toList();
        args.add(Integer.toString(puts.size() / 2));
        args.addAll(puts);
        args.add(Integer.toString(deletes.size()));
        args.addAll(deletes);
        List<String> keys = List.of(RedisKeys.FENCING_TOKEN, RedisKeys.GROUPS, RedisKeys.groupOffsets(groupId));
        return redis.execute(GROUP_WRITE, keys, args)
                .single()
                .flatMap(result -> result > 0 ? Mono.<Void>empty() : Mono.error(ErrorCode.FENCED_COORDINATOR.exception(
                        "Fencing token " + fencingToken + " is no longer current: another coordinator is active")));
    }
}
