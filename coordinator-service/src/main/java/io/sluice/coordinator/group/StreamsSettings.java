package io.sluice.coordinator.group;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.groupconfig.GroupConfig;
import io.sluice.coordinator.groupconfig.GroupConfigKey;

/**
 * The streams group settings {@link StreamsRules} applies: a group's {@code streams.*} configs over
 * {@link CoordinatorProperties.StreamsGroups}.
 */
record StreamsSettings(int sessionTimeoutMs, int heartbeatIntervalMs, int standbyReplicas, int taskOffsetIntervalMs,
                       long acceptableRecoveryLag) {

    static StreamsSettings of(CoordinatorProperties.StreamsGroups streams) {
        return new StreamsSettings((int) streams.sessionTimeout().toMillis(),
                (int) streams.heartbeatInterval().toMillis(), streams.numStandbyReplicas(),
                (int) streams.taskOffsetInterval().toMillis(), streams.acceptableRecoveryLag());
    }

    /** The settings of the group whose configs are {@code config}. */
    static StreamsSettings of(GroupConfig config) {
        return new StreamsSettings((int) config.millis(GroupConfigKey.STREAMS_SESSION_TIMEOUT_MS).toMillis(),
                (int) config.millis(GroupConfigKey.STREAMS_HEARTBEAT_INTERVAL_MS).toMillis(),
                config.integer(GroupConfigKey.STREAMS_NUM_STANDBY_REPLICAS),
                (int) config.millis(GroupConfigKey.STREAMS_TASK_OFFSET_INTERVAL_MS).toMillis(),
                Long.parseLong(config.value(GroupConfigKey.STREAMS_ACCEPTABLE_RECOVERY_LAG)));
    }

    /** Often enough that a member heartbeats at least three times within its session. */
    long heartbeatEveryMs() {
        return Math.max(1, Math.min(heartbeatIntervalMs, sessionTimeoutMs / 3));
    }
}
