package io.sluice.coordinator.store;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.producer.IdempotencyClaim;
import io.sluice.internal.producer.IdempotencyClaimRequest;
import io.sluice.internal.producer.IdempotencyReleaseRequest;
import io.sluice.internal.producer.ProducerIdBlock;
import io.sluice.internal.producer.StoredResponse;
import io.sluice.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Producer ids and Idempotency-Keys in Redis (layout in {@link RedisKeys}). Producer ids come from one counter
 * ({@code INCRBY}), so a block is never handed out twice, whichever coordinator is active. A key is one hash with a
 * TTL of the key retention, claimed and released by Lua scripts so that two gateways racing for one key see one
 * winner. Neither needs the fencing token: both are single atomic Redis commands whose result is right whoever sends
 * them.
 */
@Component
public class IdempotencyStore {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CLAIM =
            RedisScript.of(new ClassPathResource("redis/idempotency-claim.lua"), List.class);
    private static final RedisScript<Long> RELEASE =
            RedisScript.of(new ClassPathResource("redis/idempotency-release.lua"), Long.class);
    private static final short PRODUCER_EPOCH = 0;

    private final ReactiveStringRedisTemplate redis;
    private final Clock clock;
    private final JsonMapper json = SluiceJson.mapper();

    public IdempotencyStore(ReactiveStringRedisTemplate redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    public Mono<ProducerIdBlock> allocate(int count) {
        return redis.opsForValue().increment(RedisKeys.PRODUCER_ID, count)
                .map(next -> new ProducerIdBlock(next - count, count));
    }

    /** Claims the key: NEW, RETRY or COMPLETED; IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_KEY_IN_USE otherwise. */
    public Mono<IdempotencyClaim> claim(IdempotencyClaimRequest request) {
        List<String> keys = List.of(RedisKeys.idempotencyKey(digest(request.key())), RedisKeys.PRODUCER_ID);
        List<String> args = List.of(request.fingerprint(), request.token(),
                json.writeValueAsString(request.assignment()), Long.toString(request.retentionMs()),
                Long.toString(request.lockMs()), Long.toString(clock.millis()));
        return redis.execute(CLAIM, keys, args).single().flatMap(raw -> {
            List<?> answer = raw;
            String status = (String) answer.get(0);
            long producerId = Long.parseLong((String) answer.get(1));
            return switch (status) {
                case "REUSED" -> Mono.error(ErrorCode.IDEMPOTENCY_KEY_REUSED.exception("Idempotency-Key '"
                        + request.key() + "' was used with another request (topic, body or formats)"));
                case "IN_USE" -> Mono.error(ErrorCode.IDEMPOTENCY_KEY_IN_USE.exception("Idempotency-Key '"
                        + request.key() + "' is held by a request still in progress for up to "
                        + answer.get(5) + " ms"));
                default -> Mono.just(new IdempotencyClaim(IdempotencyClaim.Status.valueOf(status), producerId,
                        PRODUCER_EPOCH, assignment((String) answer.get(2)),
                        status.equals("COMPLETED") ? new StoredResponse(Integer.parseInt((String) answer.get(3)),
                                (String) answer.get(4)) : null));
            };
        });
    }

    /** @return whether the token still held the key */
    public Mono<Boolean> release(IdempotencyReleaseRequest request) {
        StoredResponse response = request.response();
        return redis.execute(RELEASE, List.of(RedisKeys.idempotencyKey(digest(request.key()))),
                        List.of(request.token(), response == null ? "" : Integer.toString(response.status()),
                                response == null ? "" : response.body()))
                .single()
                .map(result -> result > 0);
    }

    private List<Integer> assignment(String stored) {
        return json.readValue(stored, new TypeReference<List<Integer>>() { });
    }

    /** Keys are any text a client chose: Redis keys hold their SHA-256, not the text. */
    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
