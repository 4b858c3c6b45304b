package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.OwnRedis;
import io.sluice.internal.share.AcknowledgeType;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;

/**
 * Share-partitions in a real Redis of the test's own ({@link OwnRedis}: the tests' binary, the embedded 6.2 or Debian's
 * Redis 7 in coordinator-redis7-tests; not the shared one, whose coordinator would take the lease and bump the
 * token under the test's writes): a state written under the current fencing token reads back the same, a deposed
 * coordinator's write changes nothing, and a stored state that cannot be read is refused with its group and partition
 * named.
 */
class SharePartitionStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ShareLimits LIMITS = ShareLimits.DEFAULTS;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final long NOW = 1_700_000_000_000L;

    private static OwnRedis redis;
    private static SharePartitionStore store;

    @BeforeAll
    static void connect() throws IOException {
        redis = OwnRedis.start("share-partition-store");
        store = new SharePartitionStore(redis.redis());
        redis.redis().opsForValue().set(RedisKeys.FENCING_TOKEN, "7").block(WAIT);
    }

    @AfterAll
    static void disconnect() throws IOException {
        redis.close();
    }

    private static SharePartition worked() {
        SharePartition partition = SharePartition.startingAt(10, LIMITS);
        List<AcquiredRecord> taken = partition.acquire("worker-1", 5, LogSlice.of(10, 20, 10, 11, 12, 15, 16, 17),
                NOW);
        partition.acknowledge("worker-1", List.of(Acknowledgement.of(taken.get(1).acquisitionId(),
                AcknowledgeType.ACCEPT), Acknowledgement.of(taken.get(2).acquisitionId(), AcknowledgeType.RELEASE)), NOW);
        return partition;
    }

    @Test
    void aStateWrittenUnderTheCurrentTokenReadsBackTheSame() {
        SharePartition written = worked();
        SharePartition other = SharePartition.startingAt(3, LIMITS);

        store.write(7, "shipping", ORDERS_0, written).block(WAIT);
        store.write(7, "shipping", ORDERS_1, other).block(WAIT);

        SharePartition read = store.load("shipping", ORDERS_0, LIMITS).block(WAIT);
        assertThat(SharePartitionJson.write(read)).isEqualTo(SharePartitionJson.write(written));
        assertThat(read.inFlightRecords()).isEqualTo(written.inFlightRecords());
        Map<TopicPartition, SharePartition> group = store.load("shipping", LIMITS).block(WAIT);
        assertThat(group).containsOnlyKeys(ORDERS_0, ORDERS_1);
        assertThat(group.get(ORDERS_1).startOffset()).isEqualTo(3);
        assertThat(store.load("billing", ORDERS_0, LIMITS).blockOptional(WAIT)).isEmpty();
    }

    @Test
    void aDeposedCoordinatorsWriteIsRefusedAndChangesNothing() {
        SharePartition written = worked();
        store.write(7, "fenced", ORDERS_0, written).block(WAIT);
        SharePartition later = SharePartitionJson.read(SharePartitionJson.write(written), LIMITS);
        later.acknowledge("worker-1", List.of(Acknowledgement.range(10, 10, AcknowledgeType.ACCEPT)), NOW);

        assertThatThrownBy(() -> store.write(6, "fenced", ORDERS_0, later).block(WAIT))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FENCED_COORDINATOR));
        assertThatThrownBy(() -> store.write(6, "fenced", ORDERS_0, null).block(WAIT))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FENCED_COORDINATOR));

        assertThat(SharePartitionJson.write(store.load("fenced", ORDERS_0, LIMITS).block(WAIT)))
                .isEqualTo(SharePartitionJson.write(written));
    }

    private static DeadLetterEntry run(long first, long last) {
        return new DeadLetterEntry(0, "archiving", "orders", 0, first, last, 5,
                DeadLetterCause.DELIVERY_COUNT_EXCEEDED, "dlq.orders", false);
    }

    private static List<String> outbox() {
        return redis.redis().opsForZSet().range(RedisKeys.SHARE_DLQ_OUTBOX, Range.unbounded()).collectList()
                .block(WAIT);
    }

    @org.junit.jupiter.api.BeforeEach
    void emptyTheOutbox() {
        redis.redis().delete(RedisKeys.SHARE_DLQ_OUTBOX).block(WAIT);
    }

    @Test
    void theRunsACallArchivedAreStoredWithItsStateOrNotAtAll() {
        SharePartition written = worked();

        assertThatThrownBy(() -> store.write(6, "archived", ORDERS_0, written, List.of(run(10, 10)), 10).block(WAIT))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FENCED_COORDINATOR));
        assertThat(outbox()).as("a deposed coordinator adds no run").isEmpty();
        assertThat(store.load("archived", ORDERS_0, LIMITS).blockOptional(WAIT)).isEmpty();

        int dropped = store.write(7, "archived", ORDERS_0, written, List.of(run(10, 10), run(12, 14)), 10)
                .block(WAIT);

        assertThat(dropped).isZero();
        assertThat(store.load("archived", ORDERS_0, LIMITS).blockOptional(WAIT)).isPresent();
        assertThat(outbox()).extracting(member -> DeadLetterEntry.parse(member))
                .extracting(DeadLetterEntry::firstOffset, DeadLetterEntry::lastOffset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, 10L),
                        org.assertj.core.groups.Tuple.tuple(12L, 14L));
        assertThat(outbox()).extracting(member -> DeadLetterEntry.parse(member).id()).doesNotHaveDuplicates();
    }

    @Test
    void aFullOutboxTakesNoMoreRunsButTheStateIsStored() {
        store.write(7, "archiving", ORDERS_0, worked(), List.of(run(1, 1), run(3, 3)), 3).block(WAIT);

        int dropped = store.write(7, "archiving", ORDERS_1, worked(), List.of(run(5, 5), run(7, 7)), 3).block(WAIT);

        assertThat(dropped).isEqualTo(1);
        assertThat(outbox()).hasSize(3);
        assertThat(store.load("archiving", ORDERS_1, LIMITS).blockOptional(WAIT)).isPresent();
    }

    @Test
    void aDeleteRemovesOnlyThatShareGroupsPartition() {
        store.write(7, "deleting", ORDERS_0, worked()).block(WAIT);
        store.write(7, "deleting", ORDERS_1, worked()).block(WAIT);

        store.write(7, "deleting", ORDERS_0, null).block(WAIT);

        assertThat(store.load("deleting", LIMITS).block(WAIT)).containsOnlyKeys(ORDERS_1);
    }

    @Test
    void aStoredStateThatCannotBeReadIsRefusedNamingItsGroupAndPartition() {
        redis.redis().opsForHash().put(RedisKeys.sharePartitions("broken"), "orders-0", "{\"version\":1,"
                + "\"start_offset\":5,\"end_offset\":4,\"next_acquisition_id\":0,\"runs\":[]}").block(WAIT);

        assertThatThrownBy(() -> store.load("broken", ORDERS_0, LIMITS).block(WAIT))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("orders-0 of share group broken")
                .hasMessageContaining("Corrupt share-partition state");
    }

    @Test
    void anIllegalGroupIdIsRefusedBeforeRedisIsAsked() {
        assertThatThrownBy(() -> store.write(7, "a b", ORDERS_0, worked()))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_GROUP_ID));
    }
}
