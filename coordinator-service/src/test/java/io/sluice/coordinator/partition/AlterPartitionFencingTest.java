package io.sluice.coordinator.partition;

import static io.sluice.coordinator.testing.CoordinatorApi.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.store.MetadataChange;
import io.sluice.coordinator.store.MetadataStore;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Stale writers change nothing: an ISR change computed from an old leader epoch or partition epoch, sent by a node
 * that does not lead, or adding a dead replica or one qualified by a process it no longer runs is refused with its
 * error code, and a store write under an old fencing token is refused inside Redis.
 *
 * <p>Set-up, once: partition {@code payments-0} with replicas [1, 2, 3]; node 1 dies (node 2 leads at leader epoch 1)
 * and comes back out of sync; node 3 dies. State then: leader 2, leader epoch 1, ISR [2], partition epoch 2. Topic
 * {@code rejoin}, created beside it, goes through the same and is the one a test changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlterPartitionFencingTest extends CoordinatorTestSupport {

    private static final String TOPIC = "payments";
    private static final String REJOIN = "rejoin";

    @Autowired
    private MetadataStore store;

    private TestNodes nodes;
    private PartitionState state;

    @BeforeAll
    void partitionWithAMovedLeaderAndADeadReplica() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        assertThat(api().createTopic(TOPIC, 1, 3).partition(0).replicas()).containsExactly(1, 2, 3);
        api().createTopic(REJOIN, 1, 3);
        nodes.silence(1);
        api().awaitNode(1, NodeStatus.DEAD);
        nodes.resume(1);
        api().awaitNode(1, NodeStatus.ALIVE);
        nodes.silence(3);
        api().awaitNode(3, NodeStatus.DEAD);
        state = api().topic(TOPIC).partition(0);
        assertThat(state).isEqualTo(new PartitionState(0, List.of(1, 2, 3), 2, List.of(2), 1, 2));
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    @Test
    void whenTheLeaderEpochIsOldShouldAnswerFencedLeaderEpoch() {
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 0, 2, List.of(1, 2)), ErrorCode.FENCED_LEADER_EPOCH);
    }

    @Test
    void whenTheLeaderEpochIsFromTheFutureShouldAnswerUnknownLeaderEpoch() {
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 2, 2, List.of(1, 2)), ErrorCode.UNKNOWN_LEADER_EPOCH);
    }

    @Test
    void whenThePartitionEpochIsOldShouldAnswerStalePartitionEpoch() {
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 1, 1, List.of(1, 2)), ErrorCode.STALE_PARTITION_EPOCH);
    }

    @Test
    void whenTheStoredStateAlreadyHasTheAskedIsrARepeatIsAnsweredWithItAndWritesNothing() {
        long version = api().metadataVersion();

        PartitionState answer = api().alterPartition(TOPIC, 0, 2, 1, 1, List.of(2))
                .expectStatus().isOk()
                .expectBody(PartitionState.class).returnResult().getResponseBody();

        assertThat(answer).isEqualTo(state);
        assertThat(api().metadataVersion()).isEqualTo(version);
    }

    @Test
    void whenTheSenderDoesNotLeadShouldAnswerNotLeader() {
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 1, 1, 2, List.of(1, 2)), ErrorCode.NOT_LEADER);
    }

    @Test
    void whenADeadReplicaWouldJoinTheIsrShouldAnswerIneligibleReplica() {
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 1, 2, List.of(2, 3),
                Map.of(3, nodes.incarnation(3))), ErrorCode.INELIGIBLE_REPLICA);
    }

    @Test
    void whenAJoiningReplicaWasQualifiedByAProcessItNoLongerRunsShouldAnswerIneligibleReplica() {
        // Node 1 is alive, out of the ISR; the fetch that qualified it came from a process since replaced (KIP-903).
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 1, 2, List.of(1, 2),
                Map.of(1, "a-process-before")), ErrorCode.INELIGIBLE_REPLICA);
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 1, 2, List.of(1, 2)),
                ErrorCode.INELIGIBLE_REPLICA);
    }

    @Test
    void aJoiningReplicaQualifiedByTheProcessItRunsJoins() {
        PartitionState before = api().topic(REJOIN).partition(0);
        assertThat(before.isr()).containsExactly(before.leader());

        PartitionState after = PreferredLeaders.rejoinIsr(api(), nodes, REJOIN, before, 1);

        assertThat(after.isr()).containsExactlyInAnyOrder(before.leader(), 1);
        assertThat(api().topic(REJOIN).partition(0)).isEqualTo(after);
    }

    @Test
    void whenTheIsrLeavesOutTheLeaderOrNamesANonReplicaShouldAnswerInvalidRequest() {
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 1, 2, List.of(1)), ErrorCode.INVALID_REQUEST);
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 1, 2, List.of(2, 9)), ErrorCode.INVALID_REQUEST);
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 0, 2, 1, 2, List.of()), ErrorCode.INVALID_REQUEST);
    }

    @Test
    void whenThePartitionDoesNotExistShouldAnswerUnknownPartition() {
        assertRefusedWithoutWriting(api().alterPartition(TOPIC, 1, 2, 1, 2, List.of(2)), ErrorCode.UNKNOWN_PARTITION);
        assertRefusedWithoutWriting(api().alterPartition("no-such-topic", 0, 2, 1, 2, List.of(2)), ErrorCode.UNKNOWN_TOPIC);
    }

    @Test
    void whenAStoreWriteCarriesAnOldFencingTokenRedisRefusesItAndStaysUnchanged() {
        long token = api().status().fencingToken();
        TopicMetadata current = api().topic(TOPIC);
        PartitionState moved = state.withLeader(1, List.of(1, 2));
        MetadataChange staleWrite = new MetadataChange(List.of(),
                List.of(MetadataChange.TopicWrite.update(current.withPartition(moved), MetadataStore.partitionEpochs(current)),
                        MetadataChange.TopicWrite.create(new TopicMetadata("sneaked-in", "id", 1, Map.of(),
                                List.of(new PartitionState(0, List.of(1), 1, List.of(1), 0, 0))))),
                List.of());
        Map<String, Object> redisBefore = redisContents();

        assertThatThrownBy(() -> store.write(token - 1, staleWrite).block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FENCED_COORDINATOR));

        assertThat(redisContents()).isEqualTo(redisBefore);
        assertThat(api().topic(TOPIC).partition(0)).isEqualTo(state);
    }

    @Test
    void whenAStoreWriteWasComputedFromAnOldPartitionEpochRedisRefusesIt() {
        long token = api().status().fencingToken();
        TopicMetadata current = api().topic(TOPIC);
        MetadataChange computedEarlier = MetadataChange.ofTopic(MetadataChange.TopicWrite.update(
                current.withPartition(state.withIsr(List.of(1, 2))), Map.of(0, state.partitionEpoch() - 1)));
        Map<String, Object> redisBefore = redisContents();

        assertThatThrownBy(() -> store.write(token, computedEarlier).block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STALE_PARTITION_EPOCH));

        assertThat(redisContents()).isEqualTo(redisBefore);
    }

    private void assertRefusedWithoutWriting(WebTestClient.ResponseSpec response, ErrorCode expected) {
        long version = api().metadataVersion();

        expectProblem(response, expected);

        assertThat(api().topic(TOPIC).partition(0)).isEqualTo(state);
        assertThat(api().metadataVersion()).isEqualTo(version);
    }

    /** Every metadata key as stored (not as the coordinator's memory has it). */
    private static Map<String, Object> redisContents() {
        var redis = TestRedis.shared().commands();
        Map<String, Object> contents = new TreeMap<>();
        contents.put(RedisKeys.METADATA_VERSION, redis.get(RedisKeys.METADATA_VERSION));
        contents.put(RedisKeys.FENCING_TOKEN, redis.get(RedisKeys.FENCING_TOKEN));
        contents.put(RedisKeys.NODES, new TreeMap<>(redis.hgetall(RedisKeys.NODES)));
        contents.put(RedisKeys.TOPICS, new TreeMap<>(redis.hgetall(RedisKeys.TOPICS)));
        return contents;
    }
}
