package io.sluice.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.testing.OwnRedis;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Mono;

/**
 * The fenced-write script, on a Redis of the test's own ({@link OwnRedis}: the tests' binary, the embedded 6.2 in the
 * build's default test run, Debian's Redis 7 (the deployments' major version) in coordinator-redis7-tests; not
 * the shared one, whose coordinator would take the lease and bump the token under the test's writes). Writes under the
 * current token apply; writes under an old token or an old partition epoch, or creating a topic that exists, change
 * nothing. A topic's deletion removes its remote logs with it.
 */
class MetadataStoreFencedWritesTest {

    private static OwnRedis own;
    private static ReactiveStringRedisTemplate redis;
    private static MetadataStore store;

    @BeforeAll
    static void connect() throws IOException {
        own = OwnRedis.start("metadata-store-fenced-writes");
        redis = own.redis();
        store = new MetadataStore(redis);
    }

    /** Each test starts from an empty store, at metadata version 0, with 7 the current token. */
    @BeforeEach
    void emptyStore() {
        redis.execute(connection -> connection.serverCommands().flushDb()).blockLast(Duration.ofSeconds(30));
        redis.opsForValue().set(RedisKeys.FENCING_TOKEN, "7").block(Duration.ofSeconds(30));
    }

    @AfterAll
    static void disconnect() throws IOException {
        own.close();
    }

    @Test
    void whenTheTokenIsCurrentTheWriteAppliesAndStaleWritesChangeNothing() {
        TopicMetadata topic = new TopicMetadata("orders", "id-1", 1, Map.of(),
                List.of(new PartitionState(0, List.of(1), 1, List.of(1), 0, 0)));
        NodeInfo node = new NodeInfo(1, "http://127.0.0.1:20001", null, NodeStatus.ALIVE);
        long version = store.write(7, new MetadataChange(List.of(node),
                List.of(MetadataChange.TopicWrite.create(topic)), List.of())).block(Duration.ofSeconds(30));

        TopicMetadata moved = topic.withPartition(topic.partition(0).withIsr(List.of(1)));
        assertRefused(() -> store.write(6, MetadataChange.ofTopic(MetadataChange.TopicWrite.update(moved, Map.of(0, 0)))),
                ErrorCode.FENCED_COORDINATOR);
        assertRefused(() -> store.write(7, MetadataChange.ofTopic(MetadataChange.TopicWrite.update(moved, Map.of(0, 3)))),
                ErrorCode.STALE_PARTITION_EPOCH);
        assertRefused(() -> store.write(7, MetadataChange.ofTopic(MetadataChange.TopicWrite.create(topic))),
                ErrorCode.TOPIC_ALREADY_EXISTS);

        ClusterMetadata stored = store.load().block(Duration.ofSeconds(30));
        assertThat(stored.version()).isEqualTo(version).isEqualTo(1);
        assertThat(stored.topics()).containsExactly(topic);
        assertThat(stored.nodes()).containsExactly(node);
    }

    @Test
    void whenATopicIsDeletedItsRemoteLogsGoWithItAndOtherTopicsLogsStay() {
        TopicMetadata deleted = new TopicMetadata("tiered", "id-tiered", 1, Map.of(),
                List.of(new PartitionState(0, List.of(1), 1, List.of(1), 0, 0),
                        new PartitionState(1, List.of(1), 1, List.of(1), 0, 0)));
        TopicMetadata kept = new TopicMetadata("kept", "id-kept", 1, Map.of(),
                List.of(new PartitionState(0, List.of(1), 1, List.of(1), 0, 0)));
        store.write(7, new MetadataChange(List.of(), List.of(MetadataChange.TopicWrite.create(deleted),
                MetadataChange.TopicWrite.create(kept)), List.of())).block(Duration.ofSeconds(30));
        for (String key : List.of(RedisKeys.remoteLog("id-tiered", 0), RedisKeys.remoteLog("id-tiered", 1),
                RedisKeys.remoteLog("id-kept", 0))) {
            redis.opsForHash().put(key, "epoch", "0").block(Duration.ofSeconds(30));
        }

        assertRefused(() -> store.write(6, new MetadataChange(List.of(), List.of(), List.of(deleted))),
                ErrorCode.FENCED_COORDINATOR);
        assertThat(redis.hasKey(RedisKeys.remoteLog("id-tiered", 0)).block(Duration.ofSeconds(30)))
                .as("a deposed coordinator's deletion removes nothing").isTrue();

        store.write(7, new MetadataChange(List.of(), List.of(), List.of(deleted))).block(Duration.ofSeconds(30));

        assertThat(store.load().block(Duration.ofSeconds(30)).topics()).extracting(TopicMetadata::name)
                .doesNotContain("tiered").contains("kept");
        assertThat(redis.hasKey(RedisKeys.remoteLog("id-tiered", 0)).block(Duration.ofSeconds(30))).isFalse();
        assertThat(redis.hasKey(RedisKeys.remoteLog("id-tiered", 1)).block(Duration.ofSeconds(30))).isFalse();
        assertThat(redis.hasKey(RedisKeys.remoteLog("id-kept", 0)).block(Duration.ofSeconds(30))).isTrue();
    }

    private static void assertRefused(Supplier<Mono<Long>> write, ErrorCode code) {
        assertThatThrownBy(() -> write.get().block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(SluiceException.class, e -> assertThat(e.errorCode()).isEqualTo(code));
    }
}
