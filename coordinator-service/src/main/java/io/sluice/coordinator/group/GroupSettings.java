package io.sluice.coordinator.group;

import io.sluice.coordinator.CoordinatorProperties;

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

    /** Often enough that a member heartbeats at least three times within its session. */
    long heartbeatIntervalMs(GroupMember member) {
        return Math.max(1, Math.min(heartbeatIntervalMs, member.sessionTimeoutMs() / 3));
    }
}
