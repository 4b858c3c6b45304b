package io.sluice.coordinator.brokerconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.internal.brokerconfig.BrokerConfigSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The cluster-wide broker configs are stored in Redis by the active coordinator: a change sets and deletes configs
 * and keeps the others, in canonical form; a change with one bad part, and a validate-only change, store nothing.
 */
class BrokerConfigStoreTest extends CoordinatorTestSupport {

    @AfterEach
    void removeEveryConfig() {
        alter(new BrokerConfigChange(Map.of(), List.of(), true, false), 200);
    }

    @Test
    void configsShouldBeSetOneByOneAndDeletedBackToUnset() {
        api();
        long before = snapshot().version();

        alter(new BrokerConfigChange(Map.of("num.partitions", " 6", "auto.create.topics.enable", "TRUE"), null,
                false, false), 200);
        alter(new BrokerConfigChange(Map.of("default.replication.factor", "2"), List.of("auto.create.topics.enable"),
                false, false), 200);

        BrokerConfigSnapshot stored = snapshot();
        assertThat(stored.version()).isEqualTo(before + 2);
        assertThat(stored.values()).containsExactly(Map.entry("default.replication.factor", "2"),
                Map.entry("num.partitions", "6"));
        assertThat(TestRedis.shared().commands().hgetall("sluice:broker-configs"))
                .isEqualTo(Map.of("default.replication.factor", "2", "num.partitions", "6"));
    }

    @Test
    void aReplacingChangeShouldLeaveExactlyTheConfigsItSets() {
        api();
        alter(new BrokerConfigChange(Map.of("num.partitions", "6", "default.replication.factor", "2"), null, false,
                false), 200);

        alter(new BrokerConfigChange(Map.of("auto.create.topics.enable", "false"), null, true, false), 200);

        assertThat(snapshot().values()).containsExactly(Map.entry("auto.create.topics.enable", "false"));
    }

    @Test
    void aBadChangeOrAValidateOnlyOneShouldStoreNothing() {
        api();
        alter(new BrokerConfigChange(Map.of("num.partitions", "4"), null, false, false), 200);
        BrokerConfigSnapshot before = snapshot();

        alter(new BrokerConfigChange(Map.of("default.replication.factor", "2", "num.partitions", "-1"), null, false,
                false), 400);
        alter(new BrokerConfigChange(Map.of("default.replication.factor", "2", "auto.create.topics.enable", "yes"),
                null, false, false), 400);
        alter(new BrokerConfigChange(Map.of("default.replication.factor", "2", "log.retention.ms", "1000"), null,
                false, false), 400);
        alter(new BrokerConfigChange(Map.of("num.partitions", "5"), List.of("num.partitions"), false, false), 400);
        BrokerConfigSnapshot wouldBe = web.post().uri("/internal/broker-configs/alter")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new BrokerConfigChange(Map.of("num.partitions", "9"), null, false, true))
                .exchange().expectStatus().isOk().expectBody(BrokerConfigSnapshot.class).returnResult()
                .getResponseBody();

        assertThat(wouldBe.values()).containsExactly(Map.entry("num.partitions", "9"));
        assertThat(snapshot()).isEqualTo(before);
    }

    private void alter(BrokerConfigChange change, int status) {
        web.post().uri("/internal/broker-configs/alter").contentType(MediaType.APPLICATION_JSON).bodyValue(change)
                .exchange().expectStatus().isEqualTo(status);
    }

    private BrokerConfigSnapshot snapshot() {
        return web.get().uri("/internal/broker-configs").exchange().expectStatus().isOk()
                .expectBody(BrokerConfigSnapshot.class).returnResult().getResponseBody();
    }
}
