package io.sluice.protocol.config;

import io.sluice.protocol.record.TimestampType;
import java.util.Map;

/**
 * A topic's effective configuration, typed: its overrides (validated by {@link TopicConfigs}) over Kafka's defaults.
 * {@code compressionType} is the config's raw value ({@code producer}, {@code uncompressed}, a codec name).
 */
public record TopicConfig(
        long retentionMs,
        long retentionBytes,
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        int maxMessageBytes,
        TimestampType timestampType,
        int minInsyncReplicas,
        long flushMessages,
        long flushMs,
        long fileDeleteDelayMs,
        boolean uncleanLeaderElectionEnable,
        String compressionType,
        String cleanupPolicy) {

    /** @throws io.sluice.protocol.SluiceException INVALID_CONFIG when an override is unknown or out of range */
    public static TopicConfig of(Map<String, String> overrides) {
        Map<String, String> valid = TopicConfigs.validate(overrides);
        Values values = name -> valid.getOrDefault(name, TopicConfigs.defaultValue(name));
        return new TopicConfig(
                Long.parseLong(values.get(TopicConfigs.RETENTION_MS)),
                Long.parseLong(values.get(TopicConfigs.RETENTION_BYTES)),
                Integer.parseInt(values.get(TopicConfigs.SEGMENT_BYTES)),
                Long.parseLong(values.get(TopicConfigs.SEGMENT_MS)),
                Integer.parseInt(values.get(TopicConfigs.SEGMENT_INDEX_BYTES)),
                Integer.parseInt(values.get(TopicConfigs.INDEX_INTERVAL_BYTES)),
                Integer.parseInt(values.get(TopicConfigs.MAX_MESSAGE_BYTES)),
                TimestampType.forConfigName(values.get(TopicConfigs.MESSAGE_TIMESTAMP_TYPE)),
                Integer.parseInt(values.get(TopicConfigs.MIN_INSYNC_REPLICAS)),
                Long.parseLong(values.get(TopicConfigs.FLUSH_MESSAGES)),
                Long.parseLong(values.get(TopicConfigs.FLUSH_MS)),
                Long.parseLong(values.get(TopicConfigs.FILE_DELETE_DELAY_MS)),
                Boolean.parseBoolean(values.get(TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE)),
                values.get(TopicConfigs.COMPRESSION_TYPE),
                values.get(TopicConfigs.CLEANUP_POLICY));
    }

    public static TopicConfig defaults() {
        return of(Map.of());
    }

    private interface Values {
        String get(String name);
    }
}
