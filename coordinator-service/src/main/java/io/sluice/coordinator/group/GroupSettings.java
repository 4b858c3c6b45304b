package io.sluice.coordinator.group;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.groupconfig.GroupConfig;
import io.sluice.coordinator.groupconfig.GroupConfigKey;

/** The group limits {@link GroupRules} applies, in milliseconds, from {@link CoordinatorProperties.Groups}. */
record GroupSettings(int defaultSessionTimeoutMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                     int defaultRebalanceTimeoutMs, int maxRebalanceTimeoutMs, int heartbeatIntervalMs,
                     int maxMetadataLength) {

    static GroupSettings of(CoordinatorProperties.Groups groups) {
        return new GroupSettings((int) groups.sessionTimeout().toMillis(), (int) groups.minSessionTimeout().toMillis(),
                (int) groups.maxSessionTimeout().toMillis(), (int) groups.rebalanceTimeout().toMillis(),
                (int) groups.maxRebalanceTimeout().toMillis(), (int) groups.heartbeatInterval().toMillis(),
                groups.maxCommitMetadataLength());
    }

    /**
     * These limits for the group whose configs are {@code config}: its {@code consumer.session.timeout.ms} and
     * {@code consumer.heartbeat.interval.ms} in place of the coordinator's defaults.
     */
    GroupSettings forGroup(GroupConfig config) {
        return new GroupSettings((int) config.millis(GroupConfigKey.CONSUMER_SESSION_TIMEOUT_MS).toMillis(),
                minSessionTimeoutMs, maxSessionTimeoutMs, defaultRebalanceTimeoutMs, maxRebalanceTimeoutMs,
                (int) config.millis(GroupConfigKey.CONSUMER_HEARTBEAT_INTERVAL_MS).toMillis(), maxMetadataLength);
    }

    /** Often enough that a member heartbeats at least three times within its session. */
    long heartbeatIntervalMs(GroupMember member) {
        return Math.max(1, Math.min(heartbeatIntervalMs, member.sessionTimeoutMs() / 3));
    }
}
