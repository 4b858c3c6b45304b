package io.sluice.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.group.GroupManager;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.TestLeases;
import io.sluice.coordinator.store.IdempotencyStore;
import io.sluice.coordinator.testing.ManualClock;
import io.sluice.coordinator.testing.OwnRedis;
import io.sluice.coordinator.testing.TestProperties;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

/**
 * A write whose answer is lost (Redis stored it, the coordinator saw an error) leaves the coordinator unsure of what is
 * stored: it reads the transactional id back before its next change. When what it reads is a decided transaction, its
 * markers are due: they are written then, not left for the next failover (until which the producer would be answered
 * CONCURRENT_TRANSACTIONS for good). On the coordinator's real store.
 */
class LostDecisionWriteTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock();
    private final AtomicBoolean loseNextAnswer = new AtomicBoolean();
    private final AtomicInteger markerWrites = new AtomicInteger();
    private OwnRedis server;
    private TransactionManager manager;

    @BeforeEach
    void activeCoordinator() throws IOException {
        server = OwnRedis.start("txn-lost-write");
        ReactiveStringRedisTemplate redis = server.redis();
        CoordinatorProperties properties = TestProperties.coordinator(Duration.ofMinutes(5));
        CoordinatorLease lease = TestLeases.taken(redis, properties);
        TransactionStore store = new TransactionStore(redis) {
            @Override
            Mono<Void> write(long fencingToken, String transactionalId, Transaction after) {
                Mono<Void> written = super.write(fencingToken, transactionalId, after);
                return loseNextAnswer.getAndSet(false)
                        ? written.then(Mono.error(ErrorCode.REQUEST_TIMED_OUT.exception("the answer was lost")))
                        : written;
            }
        };
        manager = new TransactionManager(store, txn -> Mono.fromRunnable(markerWrites::incrementAndGet),
                mock(GroupManager.class), new IdempotencyStore(redis, clock), lease, properties, clock);
        manager.activate().block(WAIT);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aDecisionStoredDespiteAFailedWriteHasItsMarkersWrittenWhenItIsReadBack() {
        TransactionRules.ProducerIdAndEpoch producer = manager.initProducerId("copy", 60_000, -1, (short) -1)
                .block(WAIT);
        manager.addPartitions("copy", producer.producerId(), producer.producerEpoch(),
                List.of(new TopicPartition("out", 0))).block(WAIT);

        loseNextAnswer.set(true);
        assertThatThrownBy(() -> manager.endTxn("copy", producer.producerId(), producer.producerEpoch(), true, true)
                .block(WAIT)).isInstanceOf(SluiceException.class);
        assertThat(markerWrites).as("nothing written while the decision is unknown").hasValue(0);

        // The producer asks again, as Kafka's does after a retriable error: the stored decision is read back.
        assertThatThrownBy(() -> manager.endTxn("copy", producer.producerId(), producer.producerEpoch(), true, true)
                .block(WAIT)).isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.errorCode())
                .isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS));
        awaitState("copy", TxnState.COMPLETE_COMMIT);
        assertThat(markerWrites).hasValue(1);
        assertThat(manager.endTxn("copy", producer.producerId(), producer.producerEpoch(), true, true).block(WAIT))
                .as("the repeated end, answered once complete")
                .isEqualTo(new TransactionRules.ProducerIdAndEpoch(producer.producerId(),
                        (short) (producer.producerEpoch() + 1)));
    }

    private void awaitState(String transactionalId, TxnState state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (manager.transaction(transactionalId).map(Transaction::state).orElse(null) != state) {
            assertThat(System.nanoTime()).as("%s reaches %s", transactionalId, state).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
