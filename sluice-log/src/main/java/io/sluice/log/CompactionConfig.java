package io.sluice.log;

import io.sluice.protocol.ErrorCode;

/**
 * A log's compaction settings, with Kafka's names, meanings and defaults.
 *
 * @param policy                 {@code cleanup.policy} (delete)
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: the share of the log's cleanable bytes not yet
 *                               cleaned above which the cleaner picks it (0.5)
 * @param minCompactionLagMs     {@code min.compaction.lag.ms}: a segment whose newest record is younger is not
 *                               cleaned yet (0)
 * @param maxCompactionLagMs     {@code max.compaction.lag.ms}: a dirty segment whose newest record is older makes the
 *                               log cleanable whatever its dirty ratio (Long.MAX_VALUE: never)
 * @param deleteRetentionMs      {@code delete.retention.ms}: how long a tombstone stays after the cleaner first passed
 *                               it (its batch's delete horizon, KIP-534), so consumers reading the log see it (1 day)
 */
public record CompactionConfig(CleanupPolicy policy, double minCleanableDirtyRatio, long minCompactionLagMs,
                               long maxCompactionLagMs, long deleteRetentionMs) {

    public CompactionConfig {
        if (policy == null) {
            throw ErrorCode.INVALID_CONFIG.exception("cleanup.policy is required");
        }
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw ErrorCode.INVALID_CONFIG.exception("Invalid value " + minCleanableDirtyRatio
                    + " for min.cleanable.dirty.ratio");
        }
        if (minCompactionLagMs < 0 || maxCompactionLagMs < 1 || deleteRetentionMs < 0) {
            throw ErrorCode.INVALID_CONFIG.exception("Invalid compaction lags or delete.retention.ms: "
                    + minCompactionLagMs + ", " + maxCompactionLagMs + ", " + deleteRetentionMs);
        }
    }

    public static CompactionConfig defaults() {
        return new CompactionConfig(CleanupPolicy.DELETE, 0.5, 0, Long.MAX_VALUE, 24L * 60 * 60 * 1000);
    }

    public CompactionConfig withPolicy(CleanupPolicy value) {
        return new CompactionConfig(value, minCleanableDirtyRatio, minCompactionLagMs, maxCompactionLagMs,
                deleteRetentionMs);
    }

    public CompactionConfig withMinCleanableDirtyRatio(double value) {
        return new CompactionConfig(policy, value, minCompactionLagMs, maxCompactionLagMs, deleteRetentionMs);
    }

    public CompactionConfig withMinCompactionLagMs(long value) {
        return new CompactionConfig(policy, minCleanableDirtyRatio, value, maxCompactionLagMs, deleteRetentionMs);
    }

    public CompactionConfig withMaxCompactionLagMs(long value) {
        return new CompactionConfig(policy, minCleanableDirtyRatio, minCompactionLagMs, value, deleteRetentionMs);
    }

    public CompactionConfig withDeleteRetentionMs(long value) {
        return new CompactionConfig(policy, minCleanableDirtyRatio, minCompactionLagMs, maxCompactionLagMs, value);
    }
}
