package io.sluice.coordinator.remote;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.remote.RemoteLog;
import io.sluice.internal.remote.RemoteLogStart;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The remote logs of tiered storage in Redis: one hash per partition ({@link RedisKeys#remoteLog}, by the topic's id),
 * holding the newest leader epoch that updated it ({@code epoch}), the log start offset DeleteRecords raised
 * ({@code start}, absent until then) and each recorded segment ({@code seg:<id>}, its {@link RemoteSegment} as JSON).
 * A segment is recorded from COPY_STARTED until DELETED, which removes it.
 *
 * <p>Every update is one Lua script, {@code redis/remote-log-write.lua}, which states the moves it allows and checks,
 * before it writes anything: the writer's fencing token (the one metadata, group and transaction writes carry), so a
 * deposed coordinator writes nothing; that the topic stored under the name is still the one the update was checked
 * against, so no log is written for a topic whose deletion (which removes its logs, see
 * {@link io.sluice.coordinator.store.MetadataStore}) ran meanwhile; that no newer leader epoch has updated the log; and
 * that the segment's state allows the move. Its answer is the log after the update, read in the same script.
 *
 * <p>The update's fields and its leader epoch against the partition's are the caller's to check
 * ({@link RemoteLogService}). Thread-safe.
 */
@Component
class RemoteLogStore {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> WRITE =
            RedisScript.of(new ClassPathResource("redis/remote-log-write.lua"), List.class);
    private static final String EPOCH = "epoch";
    private static final String START = "start";
    /** The script's "state" of a log start update. */
    private static final String LOG_START = "LOG_START";
    private static final String SEGMENT_PREFIX = "seg:";

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json = SluiceJson.mapper();

    RemoteLogStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The remote log of {@code topic}'s {@code partition} as stored: leader epoch -1 and no segment before any update. */
    Mono<RemoteLog> remoteLog(TopicMetadata topic, int partition) {
        return redis.<String, String>opsForHash().entries(RedisKeys.remoteLog(topic.id(), partition))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(fields -> new RemoteLog(topic.id(),
                        fields.containsKey(EPOCH) ? Integer.parseInt(fields.get(EPOCH)) : -1,
                        fields.containsKey(START) ? Long.parseLong(fields.get(START)) : 0,
                        fields.entrySet().stream().filter(field -> field.getKey().startsWith(SEGMENT_PREFIX))
                                .map(field -> segment(field.getValue())).toList()));
    }

    /**
     * Moves {@code update.id()} to {@code update.state()} under {@code fencingToken}, as the leader of
     * {@code update.leaderEpoch()}.
     *
     * @return the log after the move; fails, having written nothing, with FENCED_COORDINATOR (the token is stale),
     *         UNKNOWN_TOPIC (the topic was deleted), UNKNOWN_PARTITION, FENCED_LEADER_EPOCH (a newer leader updated the
     *         log) or INVALID_REQUEST (the segment's state or recorded offsets do not allow the move)
     */
    Mono<RemoteLog> update(long fencingToken, TopicMetadata topic, int partition, RemoteSegment update) {
        return write(fencingToken, topic, partition, List.of(update.id(), update.state().name(),
                Integer.toString(update.leaderEpoch()), Long.toString(update.baseOffset()),
                Long.toString(update.endOffset()), json.writeValueAsString(update)), answer -> refusal(answer,
                fencingToken, new TopicPartition(topic.name(), partition), update.leaderEpoch(), update));
    }

    /**
     * Raises the log start offset to {@code update.offset()} under {@code fencingToken}, as the leader of
     * {@code update.leaderEpoch()} (a lower offset changes nothing).
     *
     * @return the log afterwards; fails, having written nothing, as {@link #update} does (never INVALID_REQUEST)
     */
    Mono<RemoteLog> advanceLogStart(long fencingToken, TopicMetadata topic, int partition, RemoteLogStart update) {
        return write(fencingToken, topic, partition, List.of("", LOG_START, Integer.toString(update.leaderEpoch()),
                Long.toString(update.offset()), "", ""), answer -> refusal(answer, fencingToken,
                new TopicPartition(topic.name(), partition), update.leaderEpoch(), null));
    }

    /** Runs the script with the update's arguments (ARGV[5] onwards) and parses its answer. */
    private Mono<RemoteLog> write(long fencingToken, TopicMetadata topic, int partition, List<String> updateArgs,
                                  Function<List<?>, RuntimeException> refusal) {
        List<String> keys = List.of(RedisKeys.FENCING_TOKEN, RedisKeys.TOPICS,
                RedisKeys.remoteLog(topic.id(), partition));
        List<String> args = new ArrayList<>(List.of(Long.toString(fencingToken), topic.name(), topic.id(),
                Integer.toString(partition)));
        args.addAll(updateArgs);
        return redis.execute(WRITE, keys, args).single().flatMap(raw -> {
            List<?> answer = raw;
            if (!answer.getFirst().equals("OK")) {
                return Mono.error(refusal.apply(answer));
            }
            List<RemoteSegment> segments = answer.subList(3, answer.size()).stream()
                    .map(document -> segment((String) document)).toList();
            return Mono.just(new RemoteLog(topic.id(), Integer.parseInt((String) answer.get(1)),
                    Long.parseLong((String) answer.get(2)), segments));
        });
    }

    private RemoteSegment segment(String document) {
        return json.readValue(document, RemoteSegment.class);
    }

    /** The script's refusal as the error the caller gets; {@code update} is null for a log start update. */
    private RuntimeException refusal(List<?> answer, long fencingToken, TopicPartition where, int leaderEpoch,
                                     RemoteSegment update) {
        return switch ((String) answer.getFirst()) {
            case "FENCED_COORDINATOR" -> ErrorCode.FENCED_COORDINATOR.exception("Fencing token " + fencingToken
                    + " is no longer current: another coordinator is active");
            case "UNKNOWN_TOPIC" -> ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + where.topic() + "' does not exist");
            case "UNKNOWN_PARTITION" -> ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + where.topic()
                    + "' has no partition " + where.partition());
            case "FENCED_LEADER_EPOCH" -> ErrorCode.FENCED_LEADER_EPOCH.exception("Leader epoch "
                    + leaderEpoch + " of " + where + " is older than " + answer.get(1)
                    + ", which has updated its remote log");
            case "INVALID" -> ErrorCode.INVALID_REQUEST.exception(invalidMove(where, update, (String) answer.get(1),
                    (String) answer.get(2), (String) answer.get(3)));
            default -> new IllegalStateException("remote-log-write.lua answered " + answer);
        };
    }

    /** Why the recorded segment ({@code recorded} its state, '' when none) does not allow the update's move. */
    private String invalidMove(TopicPartition where, RemoteSegment update, String recorded, String why,
                               String document) {
        String segment = "Remote segment " + update.id() + " of " + where;
        return switch (why) {
            case "offsets" -> {
                RemoteSegment stored = segment(document);
                yield segment + " is recorded " + recorded + " with offsets " + stored.baseOffset() + " to "
                        + stored.endOffset() + ", not " + update.baseOffset() + " to " + update.endOffset()
                        + ": a move must name the recorded offsets";
            }
            case "fields" -> segment + " is recorded COPY_STARTED with other fields (" + document
                    + "): COPY_STARTED again must repeat it exactly";
            default -> segment + (recorded.isEmpty() ? " is not recorded" : " is " + recorded) + ": "
                    + update.state() + " needs it " + switch (update.state()) {
                        case COPY_STARTED -> "not recorded";
                        case COPY_FINISHED -> "COPY_STARTED";
                        case DELETE_STARTED -> "recorded";
                        case DELETED -> "DELETE_STARTED";
                    };
        };
    }
}
