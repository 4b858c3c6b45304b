package io.sluice.coordinator.txn;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.internal.SluiceJson;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transactional ids in Redis: one {@link Transaction} document per id in {@link RedisKeys#TRANSACTIONS}. Every write is
 * one Lua script that checks the writer's fencing token first (the token of the metadata and group writes), so a
 * deposed coordinator writes nothing. Read in full when a coordinator becomes active.
 */
@Component
class TransactionStore {

    private static final RedisScript<Long> TXN_WRITE =
            RedisScript.of(new ClassPathResource("redis/txn-write.lua"), Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json = SluiceJson.mapper();

    TransactionStore(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Every stored transactional id. */
    Mono<Map<String, Transaction>> load() {
        return redis.<String, String>opsForHash().values(RedisKeys.TRANSACTIONS)
                .map(value -> json.readValue(value, Transaction.class))
                .collectMap(Transaction::transactionalId, txn -> txn, TreeMap::new);
    }

    /** One transactional id as stored, or empty. */
    Mono<Transaction> load(String transactionalId) {
        return redis.<String, String>opsForHash().get(RedisKeys.TRANSACTIONS, transactionalId)
                .map(value -> json.readValue(value, Transaction.class));
    }

    /**
     * Stores {@code after} (null: removes the id) under {@code fencingToken}. Fails with FENCED_COORDINATOR, having
     * written nothing, when the token is not current.
     */
    Mono<Void> write(long fencingToken, String transactionalId, Transaction after) {
        List<String> args = List.of(Long.toString(fencingToken), transactionalId, after == null ? "delete" : "put",
                after == null ? "" : json.writeValueAsString(after));
        return redis.execute(TXN_WRITE, List.of(RedisKeys.FENCING_TOKEN, RedisKeys.TRANSACTIONS), args)
                .single()
                .flatMap(result -> result > 0 ? Mono.<Void>empty() : Mono.error(ErrorCode.FENCED_COORDINATOR.exception(
                        "Fencing token " + fencingToken + " is no longer current: another coordinator is active")));
    }
}
