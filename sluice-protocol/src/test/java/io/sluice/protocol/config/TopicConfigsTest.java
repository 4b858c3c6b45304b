package io.sluice.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.TimestampType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicConfigsTest {

    @Test
    void defaultsAreKafkas() {
        TopicConfig config = TopicConfig.defaults();
        assertThat(config.retentionMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(config.retentionBytes()).isEqualTo(-1);
        assertThat(config.segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.maxMessageBytes()).isEqualTo(1048588);
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(config.uncleanLeaderElectionEnable()).isFalse();
        assertThat(config.compressionType()).isEqualTo("producer");
    }

    @Test
    void overridesTakeEffectTyped() {
        TopicConfig config = TopicConfig.of(Map.of("retention.ms", "1000", "min.insync.replicas", "2",
                "message.timestamp.type", "LogAppendTime", "unclean.leader.election.enable", "true"));
        assertThat(config.retentionMs()).isEqualTo(1000);
        assertThat(config.minInsyncReplicas()).isEqualTo(2);
        assertThat(config.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(config.uncleanLeaderElectionEnable()).isTrue();
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource({
            "retention.ms, -2",
            "retention.ms, soon",
            "segment.bytes, 1000",
            "segment.bytes, 9999999999",
            "min.insync.replicas, 0",
            "flush.messages, 0",
            "message.timestamp.type, WallClock",
            "compression.type, brotli",
            "cleanup.policy, compress",
            "cleanup.policy, 'compact,compact'",
            "cleanup.policy, 'delete,'",
            "min.cleanable.dirty.ratio, 1.5",
            "min.cleanable.dirty.ratio, -0.1",
            "min.cleanable.dirty.ratio, half",
            "min.compaction.lag.ms, -1",
            "max.compaction.lag.ms, 0",
            "delete.retention.ms, -1",
            "unclean.leader.election.enable, yes",
            "max.message.bytes, -1",
            "errors.deadletterqueue.group.enable, yes",
    })
    void outOfRangeValuesAreInvalidConfig(String name, String value) {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of(name, value)))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining(name)
                .hasMessageContaining(value);
    }

    @Test
    void aTopicTakesShareGroupsDeadLetterRecordsOnlyWhenItOptsIn() {
        assertThat(TopicConfigs.defaultValue(TopicConfigs.ERRORS_DEADLETTERQUEUE_GROUP_ENABLE)).isEqualTo("false");
        assertThat(TopicConfigs.validate(Map.of("errors.deadletterqueue.group.enable", " true ")))
                .containsEntry("errors.deadletterqueue.group.enable", "true");
    }

    @ParameterizedTest(name = "cleanup.policy={0} is stored as {1}")
    @CsvSource({
            "delete, delete",
            "compact, compact",
            "'compact,delete', 'compact,delete'",
            "'delete, compact', 'compact,delete'",
    })
    void cleanupPoliciesAreKafkasAndNormalized(String value, String stored) {
        assertThat(TopicConfigs.validate(Map.of("cleanup.policy", value))).containsEntry("cleanup.policy", stored);
    }

    @Test
    void maxCompactionLagBelowMinIsInvalidConfig() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.compaction.lag.ms", "5000",
                "max.compaction.lag.ms", "1000")))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("max.compaction.lag.ms");
    }

    @Test
    void unknownNamesAreInvalidConfig() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.hours", "1")))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining("Unknown topic config 'retention.hours'");
    }

    @Test
    void describeMarksOverridesAndDefaults() {
        var entries = TopicConfigs.describe(Map.of("retention.ms", " 5000 "));
        assertThat(entries).hasSize(TopicConfigs.names().size());
        assertThat(entries).filteredOn(e -> e.name().equals("retention.ms"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.value()).isEqualTo("5000");
                    assertThat(e.isDefault()).isFalse();
                });
        assertThat(entries).filteredOn(e -> e.name().equals("segment.ms"))
                .singleElement()
                .satisfies(e -> assertThat(e.isDefault()).isTrue());
    }

    @Test
    void aTieredTopicIsNotCompactedAndKeepsLocallyNoMoreThanInAll() {
        assertThat(TopicConfigs.validate(Map.of("remote.storage.enable", "true", "local.retention.ms", "1000",
                "retention.ms", "5000", "local.retention.bytes", "-2"))).containsEntry("remote.storage.enable", "true");
        assertThat(TopicConfigs.validate(Map.of("remote.storage.enable", "true", "local.retention.ms", "-1",
                "retention.ms", "-1"))).containsEntry("local.retention.ms", "-1");
        for (Map<String, String> bad : List.of(
                Map.of("remote.storage.enable", "true", "cleanup.policy", "compact"),
                Map.of("remote.storage.enable", "true", "cleanup.policy", "delete,compact"),
                Map.of("remote.storage.enable", "true", "local.retention.ms", "6000", "retention.ms", "5000"),
                Map.of("remote.storage.enable", "true", "local.retention.ms", "-1", "retention.ms", "5000"),
                Map.of("remote.storage.enable", "true", "local.retention.bytes", "10", "retention.bytes", "5"),
                Map.of("remote.storage.enable", "on"),
                Map.of("local.retention.ms", "-3"))) {
            assertThatThrownBy(() -> TopicConfigs.validate(bad)).as(bad.toString())
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG));
        }
        // Without remote storage, the local limits are kept and mean nothing, as in Kafka.
        assertThat(TopicConfigs.validate(Map.of("local.retention.ms", "6000", "retention.ms", "5000")))
                .containsEntry("local.retention.ms", "6000");
    }
}
