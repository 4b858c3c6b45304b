package io.sluice.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.lease.TestLeases;
import io.sluice.coordinator.store.IdempotencyStore;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.ManualClock;
import io.sluice.coordinator.testing.OwnRedis;
import io.sluice.coordinator.testing.TestProperties;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Transactional ids expire ({@code transactional.id.expiration.ms}) on the coordinator's real store: the manager's
 * command sequence removes an idle one from Redis under the fencing token, and its next InitProducerId starts afresh.
 * A Redis of this test's own ({@link OwnRedis}), where it holds the lease itself.
 */
class TransactionIdExpiryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration EXPIRATION = Duration.ofDays(7);

    private final ManualClock clock = new ManualClock();
    private OwnRedis server;
    private ReactiveStringRedisTemplate redis;
    private TransactionManager manager;

    @BeforeEach
    void activeCoordinator() throws IOException {
        server = OwnRedis.start("txn-expiry");
        redis = server.redis();
        CoordinatorProperties properties = TestProperties.coordinator(Duration.ofMinutes(5));
        manager = new TransactionManager(new TransactionStore(redis), null, null, new IdempotencyStore(redis, clock),
                TestLeases.taken(redis, properties), properties, clock);
        manager.activate().block(WAIT);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void anIdleTransactionalIdUnusedForTheExpirationIsRemovedAndThenStartsAfreshWhileAnOpenOneStays() {
        TransactionRules.ProducerIdAndEpoch first = init("copier");
        init("copier");
        TransactionRules.ProducerIdAndEpoch busy = init("busy");
        manager.addPartitions("busy", busy.producerId(), busy.producerEpoch(), List.of(new TopicPartition("t", 0)))
                .block(WAIT);

        clock.advance(EXPIRATION.minusMillis(1));
        manager.removeExpiredIds().block(WAIT);
        assertThat(stored()).as("a millisecond before the expiration").containsExactly("busy", "copier");

        clock.advance(Duration.ofMillis(1));
        manager.removeExpiredIds().block(WAIT);
        assertThat(stored()).as("an open transaction never expires").containsExactly("busy");
        assertThat(manager.transaction("copier")).isEmpty();
        assertThat(manager.transaction("busy")).isPresent();

        TransactionRules.ProducerIdAndEpoch again = init("copier");
        assertThat(again.producerId()).as("a new producer id").isNotIn(first.producerId(), busy.producerId());
        assertThat(again.producerEpoch()).isZero();
    }

    @Test
    void aCoordinatorThatLostTheLeaseRemovesNothing() {
        init("copier");
        clock.advance(EXPIRATION);
        redis.opsForValue().increment(RedisKeys.FENCING_TOKEN).block(WAIT); // another coordinator took the lease

        manager.removeExpiredIds().block(WAIT);

        assertThat(stored()).containsExactly("copier");
        assertThat(manager.isReady()).as("stepped down").isFalse();
    }

    private TransactionRules.ProducerIdAndEpoch init(String transactionalId) {
        return manager.initProducerId(transactionalId, 60_000, -1, (short) -1).block(WAIT);
    }

    private List<String> stored() {
        return redis.<String, String>opsForHash().keys(RedisKeys.TRANSACTIONS).sort().collectList().block(WAIT);
    }
}
