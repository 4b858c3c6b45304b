package io.sluice.coordinator.store;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cluster metadata in Redis (layout in {@link RedisKeys}). Reads load the whole view when a coordinator becomes
 * active; writes go through one Lua script that checks the writer's fencing token and the partition epochs the
 * change was computed from before touching anything, so a deposed coordinator, or a change computed from a stale
 * state, writes nothing.
 */
@Component
public class MetadataStore {

    private static final RedisScript<Long> FENCED_WRITE =
            RedisScript.of(new ClassPathResource("redis/fenced-write.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json = SluiceJson.mapper();

    MetadataStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Nodes, topics and version as stored (the coordinator field is left for the caller to fill). */
    public Mono<ClusterMetadata> load() {
        Mono<Long> version = redis.opsForValue().get(RedisKeys.METADATA_VERSION).map(Long::parseLong).defaultIfEmpty(0L);
        Mono<List<NodeInfo>> nodes = redis.<String, String>opsForHash().values(RedisKeys.NODES)
                .map(value -> json.readValue(value, NodeInfo.class))
                .sort(Comparator.comparingInt(NodeInfo::id))
                .collectList();
        Mono<List<TopicMetadata>> topics = redis.<String, String>opsForHash().values(RedisKeys.TOPICS)
                .map(value -> json.readValue(value, TopicMetadata.class))
                .sort(Comparator.comparing(TopicMetadata::name))
                .collectList();
        return Mono.zip(version, nodes, topics)
                .map(t -> new ClusterMetadata(t.getT1(), null, t.getT2(), t.getT3()));
    }

    /**
     * Writes {@code change} atomically under {@code fencingToken}. A deleted topic's remote logs (tiered storage,
     * {@link RedisKeys#remoteLog}) are removed in the same script, so none outlives its topic.
     *
     * @return the new metadata version; fails with FENCED_COORDINATOR when the token is stale, or
     *         STALE_PARTITION_EPOCH / TOPIC_ALREADY_EXISTS / UNKNOWN_TOPIC when a guard does not hold
     */
    public Mono<Long> write(long fencingToken, MetadataChange change) {
        List<String> keys = new ArrayList<>(List.of(RedisKeys.FENCING_TOKEN, RedisKeys.METADATA_VERSION,
                RedisKeys.NODES, RedisKeys.TOPICS));
        List<String> args = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        args.add(Long.toString(fencingToken));
        // A deleted topic is two ops: the topic's field, then its remote logs' keys.
        args.add(Integer.toString(change.nodes().size() + change.topics().size() + 2 * change.deletedTopics().size()));
        for (NodeInfo node : change.nodes()) {
            addOp(args, "put", 3, Integer.toString(node.id()), json.writeValueAsString(node), "");
            descriptions.add("node " + node.id());
        }
        for (MetadataChange.TopicWrite write : change.topics()) {
            String guard = write.expectedPartitionEpochs().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue())
                    .collect(Collectors.joining(","));
            addOp(args, write.create() ? "create" : "update", 4, write.topic().name(),
                    json.writeValueAsString(write.topic()), guard);
            descriptions.add((write.create() ? "create:" : "update:") + write.topic().name());
        }
        for (TopicMetadata topic : change.deletedTopics()) {
            addOp(args, "delete", 4, topic.name(), "", "");
            descriptions.add("delete:" + topic.name());
            int first = keys.size() + 1;
            topic.partitions().forEach(partition -> keys.add(RedisKeys.remoteLog(topic.id(), partition.partition())));
            addOp(args, "drop", first, Integer.toString(topic.partitions().size()), "", "");
            descriptions.add("drop:" + topic.name());
        }
        return redis.execute(FENCED_WRITE, keys, args)
                .single()
                .flatMap(result -> result > 0 ? Mono.just(result) : Mono.error(failure(result, descriptions, fencingToken)));
    }

    private static void addOp(List<String> args, String kind, int keyIndex, String field, String value, String guard) {
        args.add(kind);
        args.add(Integer.toString(keyIndex));
        args.add(field);
        args.add(value);
        args.add(guard);
    }

    private static SluiceException failure(long code, List<String> descriptions, long token) {
        if (code == -1) {
            return ErrorCode.FENCED_COORDINATOR.exception(
                    "Fencing token " + token + " is no longer current: another coordinator is active");
        }
        String op = descriptions.get((int) (-code - 2));
        if (op.startsWith("create:")) {
            return ErrorCode.TOPIC_ALREADY_EXISTS.exception("Topic '" + op.substring(7) + "' already exists");
        }
        if (op.startsWith("delete:")) {
            return ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + op.substring(7) + "' does not exist");
        }
        return ErrorCode.STALE_PARTITION_EPOCH.exception(
                "The stored state of " + op.substring(op.indexOf(':') + 1) + " changed since this write was computed");
    }

    /** Partition epochs of a topic as they are now: the guard for an update computed from it. */
    public static Map<Integer, Integer> partitionEpochs(TopicMetadata topic) {
        return topic.partitions().stream().collect(Collectors.toMap(p -> p.partition(), p -> p.partitionEpoch()));
    }
}
