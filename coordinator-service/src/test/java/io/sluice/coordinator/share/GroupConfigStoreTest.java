package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.coordinator.groupconfig.GroupConfigStore;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.FreshRedis;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Share group configs in a real Redis: a group's values written under the current fencing token read back the same,
 * a deposed coordinator's write changes nothing, and the share group's delete takes its configs with it.
 */
@ExtendWith(FreshRedis.class)
class GroupConfigStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static LettuceConnectionFactory connections;
    private static GroupConfigStore store;
    private static SharePartitionStore partitions;

    @BeforeAll
    static void connect() {
        URI url = TestRedis.shared().url();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
        connections.afterPropertiesSet();
        connections.start();
        ReactiveStringRedisTemplate redis = new ReactiveStringRedisTemplate(connections);
        store = new GroupConfigStore(redis);
        partitions = new SharePartitionStore(redis);
        redis.opsForValue().set(RedisKeys.FENCING_TOKEN, "7").block(WAIT);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    private static TreeMap<String, String> values(String... pairs) {
        TreeMap<String, String> values = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return values;
    }

    @Test
    void valuesWrittenUnderTheCurrentTokenReadBackTheSameAndReplaceWhatWasThere() {
        store.write(7, "tuned", values("share.delivery.count.limit", "3", "share.auto.offset.reset", "earliest"))
                .block(WAIT);
        store.write(7, "tuned", values("share.record.lock.duration.ms", "1000")).block(WAIT);

        assertThat(store.load("tuned").block(WAIT)).containsExactly(Map.entry("share.record.lock.duration.ms", "1000"));
        assertThat(store.load("untuned").block(WAIT)).isEmpty();

        store.write(7, "tuned", values()).block(WAIT);
        assertThat(TestRedis.shared().commands().exists(RedisKeys.groupConfigs("tuned"))).isZero();
    }

    @Test
    void aDeposedCoordinatorsWriteIsFencedAndChangesNothing() {
        store.write(7, "fenced", values("share.delivery.count.limit", "3")).block(WAIT);

        assertThatThrownBy(() -> store.write(6, "fenced", values("share.delivery.count.limit", "9")).block(WAIT))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.FENCED_COORDINATOR));
        assertThat(store.load("fenced").block(WAIT)).containsExactly(Map.entry("share.delivery.count.limit", "3"));
    }

    @Test
    void theShareGroupsDeleteRemovesItsConfigsInTheSameScriptAndOtherWritesKeepThem() {
        TopicPartition orders = new TopicPartition("orders", 0);
        store.write(7, "kept", values("share.delivery.count.limit", "3")).block(WAIT);
        partitions.write(7, "kept", orders, SharePartition.startingAt(0, ShareLimits.DEFAULTS)).block(WAIT);
        Map<TopicPartition, SharePartition> removed = new TreeMap<>();
        removed.put(orders, null);

        partitions.write(7, "kept", removed, false).block(WAIT);
        assertThat(store.load("kept").block(WAIT)).hasSize(1);

        partitions.write(7, "kept", orders, SharePartition.startingAt(0, ShareLimits.DEFAULTS)).block(WAIT);
        assertThatThrownBy(() -> partitions.write(6, "kept", removed, true).block(WAIT))
                .isInstanceOf(SluiceException.class);
        assertThat(store.load("kept").block(WAIT)).hasSize(1);

        partitions.write(7, "kept", removed, true).block(WAIT);
        assertThat(store.load("kept").block(WAIT)).isEmpty();
        assertThat(partitions.load("kept", ShareLimits.DEFAULTS).block(WAIT)).isEmpty();
    }
}
