package io.sluice.coordinator.share;

import io.sluice.coordinator.store.RedisKeys;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The dead-letter outbox in Redis ({@link RedisKeys#SHARE_DLQ_OUTBOX}): runs of archived records waiting to be written
 * to their groups' dead-letter topics, oldest first. Runs are added only by the script that stores the archiving
 * ({@link SharePartitionStore}); {@link DeadLetterWriter} reads them here and removes each once its records are
 * written (or cannot be). A removal names the member, so removing a run twice (two coordinators for a moment, a retry)
 * removes nothing else. A member that is not a run (written by hand, a newer version) is removed and logged.
 */
@Component
class DeadLetterOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOutbox.class);

    private final ReactiveStringRedisTemplate redis;

    DeadLetterOutbox(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Up to {@code max} runs, oldest first. */
    Mono<List<Waiting>> oldest(int max) {
        return redis.opsForZSet().range(RedisKeys.SHARE_DLQ_OUTBOX, Range.closed(0L, (long) max - 1))
                .concatMap(member -> {
                    try {
                        return Mono.just(new Waiting(member, DeadLetterEntry.parse(member)));
                    } catch (IllegalArgumentException e) {
                        LOG.warn("The dead-letter outbox held something that is not a run of archived records; it is"
                                + " removed: {}", e.getMessage());
                        return redis.opsForZSet().remove(RedisKeys.SHARE_DLQ_OUTBOX, member).then(Mono.empty());
                    }
                })
                .collectList();
    }

    /** Removes the run (once its records are written, or cannot be). */
    Mono<Void> remove(Waiting run) {
        return redis.opsForZSet().remove(RedisKeys.SHARE_DLQ_OUTBOX, run.member()).then();
    }

    /** A run as the outbox holds it: its member exactly as stored, and what it says. */
    record Waiting(String member, DeadLetterEntry entry) {
    }

    /** How many runs wait. */
    Mono<Long> size() {
        return redis.opsForZSet().size(RedisKeys.SHARE_DLQ_OUTBOX);
    }
}
