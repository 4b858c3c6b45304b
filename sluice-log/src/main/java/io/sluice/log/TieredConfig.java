package io.sluice.log;

import io.sluice.protocol.ErrorCode;

/**
 * A log's tiered-storage settings, with Kafka's names, meanings and defaults (KIP-405). In a tiered log the leader
 * copies sealed segments to object storage, and retention deletes a replica's local segments by the local limits,
 * and then only those already copied; {@code retention.*} bounds the whole log, remote part included.
 *
 * @param remoteStorageEnable {@code remote.storage.enable}: copy sealed segments to object storage (false)
 * @param localRetentionMs    {@code local.retention.ms}: how long local segments stay; -2 (the default) means
 *                            {@code retention.ms}, -1 forever
 * @param localRetentionBytes {@code local.retention.bytes}: how large the local log may grow; -2 (the default) means
 *                            {@code retention.bytes}, -1 unlimited
 */
public record TieredConfig(boolean remoteStorageEnable, long localRetentionMs, long localRetentionBytes) {

    /** {@code local.retention.*} = -2: the same limit as {@code retention.*}. */
    public static final long SAME_AS_RETENTION = -2;

    public TieredConfig {
        if (localRetentionMs < SAME_AS_RETENTION) {
            throw ErrorCode.INVALID_CONFIG.exception("Invalid value " + localRetentionMs + " for local.retention.ms");
        }
        if (localRetentionBytes < SAME_AS_RETENTION) {
            throw ErrorCode.INVALID_CONFIG.exception("Invalid value " + localRetentionBytes
                    + " for local.retention.bytes");
        }
    }

    public static TieredConfig defaults() {
        return new TieredConfig(false, SAME_AS_RETENTION, SAME_AS_RETENTION);
    }

    public TieredConfig withRemoteStorageEnable(boolean value) {
        return new TieredConfig(value, localRetentionMs, localRetentionBytes);
    }

    public TieredConfig withLocalRetentionMs(long value) {
        return new TieredConfig(remoteStorageEnable, value, localRetentionBytes);
    }

    public TieredConfig withLocalRetentionBytes(long value) {
        return new TieredConfig(remoteStorageEnable, localRetentionMs, value);
    }
}
