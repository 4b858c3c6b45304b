package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.TimestampType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogConfigTest {

    @Test
    void defaultsAreKafkas() {
        LogConfig config = LogConfig.defaults();

        assertThat(config.segmentBytes()).isEqualTo(1073741824);
        assertThat(config.segmentMs()).isEqualTo(604800000L);
        assertThat(config.segmentIndexBytes()).isEqualTo(10485760);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.retentionMs()).isEqualTo(604800000L);
        assertThat(config.retentionBytes()).isEqualTo(-1L);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.maxMessageBytes()).isEqualTo(1048588);
        assertThat(config.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(config.fileDeleteDelayMs()).isEqualTo(60000L);
    }

    @Test
    void topicConfigsOverrideByKafkaNames() {
        LogConfig config = LogConfig.defaults().withTopicConfigs(Map.of(
                "segment.bytes", "1048576",
                "retention.ms", "-1",
                "retention.bytes", "5000000",
                "message.timestamp.type", "LogAppendTime",
                "cleanup.policy", "delete"));

        assertThat(config.segmentBytes()).isEqualTo(1048576);
        assertThat(config.retentionMs()).isEqualTo(-1);
        assertThat(config.retentionBytes()).isEqualTo(5000000);
        assertThat(config.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(config.flushMs()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest
    @CsvSource({"segment.bytes, 13", "segment.bytes, lots", "retention.ms, -2", "flush.messages, 0",
            "message.timestamp.type, WallClock", "segment.index.bytes, 12"})
    void invalidValuesAreInvalidConfig(String name, String value) {
        assertThatThrownBy(() -> LogConfig.defaults().withTopicConfigs(Map.of(name, value)))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG))
                .hasMessageContaining(name);
    }
}
