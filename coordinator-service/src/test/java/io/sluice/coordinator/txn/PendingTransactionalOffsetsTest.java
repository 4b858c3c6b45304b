package io.sluice.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.group.GroupManager;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.TestLeases;
import io.sluice.coordinator.store.IdempotencyStore;
import io.sluice.coordinator.testing.ManualClock;
import io.sluice.coordinator.testing.OwnRedis;
import io.sluice.coordinator.testing.TestProperties;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The offsets a transaction holds for a group are pending (KIP-447's unstable offsets) from its TxnOffsetCommit until
 * it is complete, on the coordinator's real store: through the markers of a commit or an abort, until the group holds
 * a committed transaction's offsets, and again on a coordinator that loads the open transaction after a failover.
 */
class PendingTransactionalOffsetsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TopicPartition INPUT = new TopicPartition("input", 0);

    private final ManualClock clock = new ManualClock();
    private final GroupManager groups = mock(GroupManager.class);
    private final List<Set<TopicPartition>> pendingWhenGroupCommitted = new CopyOnWriteArrayList<>();
    private volatile Sinks.Empty<Void> markersWritten = Sinks.empty();
    private OwnRedis server;
    private ReactiveStringRedisTemplate redis;
    private CoordinatorProperties properties;
    private CoordinatorLease lease;
    private TransactionManager manager;

    @BeforeEach
    void activeCoordinator() throws IOException {
        server = OwnRedis.start("txn-pending");
        redis = server.redis();
        properties = TestProperties.coordinator(Duration.ofMinutes(5));
        lease = TestLeases.taken(redis, properties);
        when(groups.commitTransactional(eq("copier"), any(), anyLong())).thenAnswer(call -> Mono.fromRunnable(() ->
                pendingWhenGroupCommitted.add(manager.pending("copier"))));
        manager = newManager();
        manager.activate().block(WAIT);
    }

    private TransactionManager newManager() {
        return new TransactionManager(new TransactionStore(redis), txn -> markersWritten.asMono(), groups,
                new IdempotencyStore(redis, clock), lease, properties, clock);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void offsetsAreUnstableUntilTheCommitHasGivenThemToTheGroup() {
        TransactionRules.ProducerIdAndEpoch producer = openWithOffsets("copy");
        assertThat(manager.pending("copier")).containsExactly(INPUT);
        assertThat(manager.pending("other")).as("another group's offsets are stable").isEmpty();

        manager.endTxn("copy", producer.producerId(), producer.producerEpoch(), true, false).block(WAIT);
        assertThat(manager.pending("copier")).as("decided, markers not yet written").containsExactly(INPUT);

        markersWritten.tryEmitEmpty();
        awaitState("copy", TxnState.COMPLETE_COMMIT);
        assertThat(pendingWhenGroupCommitted).as("still pending while the group took the offsets")
                .containsExactly(Set.of(INPUT));
        assertThat(manager.pending("copier")).isEmpty();
    }

    @Test
    void offsetsOfAnAbortedTransactionStayUnstableUntilItsMarkersAreWritten() {
        TransactionRules.ProducerIdAndEpoch producer = openWithOffsets("copy");
        manager.endTxn("copy", producer.producerId(), producer.producerEpoch(), false, false).block(WAIT);
        assertThat(manager.pending("copier")).containsExactly(INPUT);

        markersWritten.tryEmitEmpty();
        awaitState("copy", TxnState.COMPLETE_ABORT);
        assertThat(manager.pending("copier")).isEmpty();
        assertThat(pendingWhenGroupCommitted).as("an abort gives the group nothing").isEmpty();
    }

    @Test
    void aCoordinatorThatLoadsAnOpenTransactionKnowsItsOffsetsArePending() {
        openWithOffsets("copy");
        TransactionManager next = newManager(); // the next active coordinator, here under the same lease
        assertThat(next.isReady()).as("not ready before it loads").isFalse();

        next.activate().block(WAIT);

        assertThat(next.pending("copier")).containsExactly(INPUT);
        next.deactivate();
        assertThat(next.pending("copier")).as("a standby knows nothing").isEmpty();
    }

    private TransactionRules.ProducerIdAndEpoch openWithOffsets(String transactionalId) {
        TransactionRules.ProducerIdAndEpoch producer = manager.initProducerId(transactionalId, 60_000, -1, (short) -1)
                .block(WAIT);
        manager.addOffsets(transactionalId, producer.producerId(), producer.producerEpoch(), "copier").block(WAIT);
        manager.commitOffsets(transactionalId, producer.producerId(), producer.producerEpoch(), "copier",
                List.of(new Transaction.PendingOffset("copier", INPUT.topic(), INPUT.partition(), 5, null, null)),
                false).block(WAIT);
        return producer;
    }

    private void awaitState(String transactionalId, TxnState state) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (manager.transaction(transactionalId).map(Transaction::state).orElse(null) != state) {
            assertThat(System.nanoTime()).as("%s reaches %s", transactionalId, state).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
