package io.sluice.log;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.record.TimestampType;
import java.util.Map;
import java.util.function.Function;

/**
 * The per-partition settings of a log, with the meanings and defaults of Kafka's topic configs of the same names.
 * Sizes are bytes, times milliseconds.
 *
 * @param segmentBytes        {@code segment.bytes}: roll to a new segment before this size is exceeded (1 GiB)
 * @param segmentMs           {@code segment.ms}: roll when the active segment's first append is older (7 days)
 * @param segmentIndexBytes   {@code segment.index.bytes}: preallocated size of each index file; a full index rolls
 *                            the segment (10 MiB)
 * @param indexIntervalBytes  {@code index.interval.bytes}: log bytes between offset index entries (4096)
 * @param retentionMs         {@code retention.ms}: delete sealed segments whose newest record is older; -1 keeps
 *                            forever (7 days)
 * @param retentionBytes      {@code retention.bytes}: delete oldest sealed segments while the log is larger; -1
 *                            unlimited (-1)
 * @param flushMessages       {@code flush.messages}: fsync after this many unflushed records (Long.MAX_VALUE: off)
 * @param flushMs             {@code flush.ms}: fsync when the last flush is older, checked by
 *                            {@link PartitionLog#maybeFlush()} (Long.MAX_VALUE: off)
 * @param maxMessageBytes     {@code max.message.bytes}: largest batch a leader accepts (1048588)
 * @param timestampType       {@code message.timestamp.type}: CreateTime keeps producer timestamps, LogAppendTime
 *                            stamps batches with the leader's clock (CreateTime)
 * @param fileDeleteDelayMs   {@code file.delete.delay.ms}: how long a deleted segment's files stay open for
 *                            in-flight reads before they are removed (60 s)
 * @param compaction          {@code cleanup.policy} and the log cleaner's settings ({@link CompactionConfig})
 * @param tiered              {@code remote.storage.enable} and the local retention of a tiered log
 *                            ({@link TieredConfig})
 */
public record LogConfig(int segmentBytes, long segmentMs, int segmentIndexBytes, int indexIntervalBytes,
                        long retentionMs, long retentionBytes, long flushMessages, long flushMs,
                        int maxMessageBytes, TimestampType timestampType, long fileDeleteDelayMs,
                        CompactionConfig compaction, TieredConfig tiered) {

    public static final int DEFAULT_SEGMENT_BYTES = 1 << 30;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_RETENTION_BYTES = -1;
    public static final long DEFAULT_FLUSH_MESSAGES = Long.MAX_VALUE;
    public static final long DEFAULT_FLUSH_MS = Long.MAX_VALUE;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000;

    /** Kafka's lower bound for {@code segment.bytes}: room for a batch header plus a little. */
    static final int MIN_SEGMENT_BYTES = 14;

    public LogConfig {
        require(segmentBytes >= MIN_SEGMENT_BYTES, "segment.bytes", segmentBytes);
        require(segmentMs >= 1, "segment.ms", segmentMs);
        require(segmentIndexBytes >= TimeIndex.ENTRY_SIZE * 2, "segment.index.bytes", segmentIndexBytes);
        require(indexIntervalBytes >= 0, "index.interval.bytes", indexIntervalBytes);
        require(retentionMs >= -1, "retention.ms", retentionMs);
        require(retentionBytes >= -1, "retention.bytes", retentionBytes);
        require(flushMessages >= 1, "flush.messages", flushMessages);
        require(flushMs >= 0, "flush.ms", flushMs);
        require(maxMessageBytes >= 0, "max.message.bytes", maxMessageBytes);
        require(timestampType != null, "message.timestamp.type", null);
        require(fileDeleteDelayMs >= 0, "file.delete.delay.ms", fileDeleteDelayMs);
        require(compaction != null, "cleanup.policy", null);
        require(tiered != null, "remote.storage.enable", null);
    }

    /** Kafka's defaults for every setting. */
    public static LogConfig defaults() {
        return new LogConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_SEGMENT_MS, DEFAULT_SEGMENT_INDEX_BYTES,
                DEFAULT_INDEX_INTERVAL_BYTES, DEFAULT_RETENTION_MS, DEFAULT_RETENTION_BYTES, DEFAULT_FLUSH_MESSAGES,
                DEFAULT_FLUSH_MS, DEFAULT_MAX_MESSAGE_BYTES, TimestampType.CREATE_TIME, DEFAULT_FILE_DELETE_DELAY_MS,
                CompactionConfig.defaults(), TieredConfig.defaults());
    }

    /**
     * These settings overridden by topic configs under Kafka's names ({@code segment.bytes}, {@code retention.ms},
     * …); names this record does not model (e.g. {@code cleanup.policy}) are left to their owners and ignored.
     *
     * @throws io.sluice.protocol.SluiceException INVALID_CONFIG for a value that does not parse or is out of range
     */
    public LogConfig withTopicConfigs(Map<String, String> configs) {
        LogConfig c = this;
        for (Map.Entry<String, String> e : configs.entrySet()) {
            String v = e.getValue();
            c = switch (e.getKey()) {
                case "segment.bytes" -> c.withSegmentBytes(parse(e.getKey(), v, Integer::parseInt));
                case "segment.ms" -> c.withSegmentMs(parse(e.getKey(), v, Long::parseLong));
                case "segment.index.bytes" -> c.withSegmentIndexBytes(parse(e.getKey(), v, Integer::parseInt));
                case "index.interval.bytes" -> c.withIndexIntervalBytes(parse(e.getKey(), v, Integer::parseInt));
                case "retention.ms" -> c.withRetentionMs(parse(e.getKey(), v, Long::parseLong));
                case "retention.bytes" -> c.withRetentionBytes(parse(e.getKey(), v, Long::parseLong));
                case "flush.messages" -> c.withFlushMessages(parse(e.getKey(), v, Long::parseLong));
                case "flush.ms" -> c.withFlushMs(parse(e.getKey(), v, Long::parseLong));
                case "max.message.bytes" -> c.withMaxMessageBytes(parse(e.getKey(), v, Integer::parseInt));
                case "message.timestamp.type" ->
                        c.withTimestampType(parse(e.getKey(), v, TimestampType::forConfigName));
                case "file.delete.delay.ms" -> c.withFileDeleteDelayMs(parse(e.getKey(), v, Long::parseLong));
                case "cleanup.policy" -> c.withCompaction(c.compaction.withPolicy(parse(e.getKey(), v,
                        CleanupPolicy::forConfigValue)));
                case "min.cleanable.dirty.ratio" -> c.withCompaction(c.compaction.withMinCleanableDirtyRatio(
                        parse(e.getKey(), v, Double::parseDouble)));
                case "min.compaction.lag.ms" -> c.withCompaction(c.compaction.withMinCompactionLagMs(
                        parse(e.getKey(), v, Long::parseLong)));
                case "max.compaction.lag.ms" -> c.withCompaction(c.compaction.withMaxCompactionLagMs(
                        parse(e.getKey(), v, Long::parseLong)));
                case "delete.retention.ms" -> c.withCompaction(c.compaction.withDeleteRetentionMs(
                        parse(e.getKey(), v, Long::parseLong)));
                case "remote.storage.enable" -> c.withTiered(c.tiered.withRemoteStorageEnable(
                        parse(e.getKey(), v, LogConfig::parseBoolean)));
                case "local.retention.ms" -> c.withTiered(c.tiered.withLocalRetentionMs(
                        parse(e.getKey(), v, Long::parseLong)));
                case "local.retention.bytes" -> c.withTiered(c.tiered.withLocalRetentionBytes(
                        parse(e.getKey(), v, Long::parseLong)));
                default -> c;
            };
        }
        return c;
    }

    public LogConfig withTiered(TieredConfig value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction,
                value);
    }

    /**
     * The time limit retention applies to this replica's local segments: {@code local.retention.ms} in a tiered log
     * (where -2 means {@code retention.ms}), else {@code retention.ms}.
     */
    long localRetentionMs() {
        return tiered.remoteStorageEnable() && tiered.localRetentionMs() != TieredConfig.SAME_AS_RETENTION
                ? tiered.localRetentionMs() : retentionMs;
    }

    /** As {@link #localRetentionMs()}, for bytes. */
    long localRetentionBytes() {
        return tiered.remoteStorageEnable() && tiered.localRetentionBytes() != TieredConfig.SAME_AS_RETENTION
                ? tiered.localRetentionBytes() : retentionBytes;
    }

    public LogConfig withCompaction(CompactionConfig value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, value,
                tiered);
    }

    public LogConfig withSegmentBytes(int value) {
        return new LogConfig(value, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs, retentionBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withSegmentMs(long value) {
        return new LogConfig(segmentBytes, value, segmentIndexBytes, indexIntervalBytes, retentionMs, retentionBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withSegmentIndexBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, value, indexIntervalBytes, retentionMs, retentionBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withIndexIntervalBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, value, retentionMs, retentionBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withRetentionMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, value, retentionBytes,
                flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withRetentionBytes(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs, value,
                flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withFlushMessages(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, value, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withFlushMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, flushMessages, value, maxMessageBytes, timestampType, fileDeleteDelayMs, compaction,
                tiered);
    }

    public LogConfig withMaxMessageBytes(int value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, flushMessages, flushMs, value, timestampType, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withTimestampType(TimestampType value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, flushMessages, flushMs, maxMessageBytes, value, fileDeleteDelayMs, compaction, tiered);
    }

    public LogConfig withFileDeleteDelayMs(long value) {
        return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                retentionBytes, flushMessages, flushMs, maxMessageBytes, timestampType, value, compaction, tiered);
    }

    /**
     * The largest batch recovery believes: no leader accepts a batch larger than a segment or than
     * {@code max.message.bytes}, so a larger length field on disk is corruption, not a batch to allocate for.
     */
    int maxBatchSizeOnDisk() {
        return Math.max(segmentBytes, maxMessageBytes);
    }

    private static void require(boolean condition, String name, Object value) {
        if (!condition) {
            throw ErrorCode.INVALID_CONFIG.exception("Invalid value " + value + " for " + name);
        }
    }

    /** Kafka's booleans: "true" or "false", any case; anything else is refused. */
    private static boolean parseBoolean(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(value);
    }

    private static <T> T parse(String name, String value, Function<String, T> parser) {
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw ErrorCode.INVALID_CONFIG.exception("Invalid value '" + value + "' for " + name);
        }
    }
}
