package io.sluice.coordinator.group;

import io.sluice.coordinator.CoordinatorProperties;

/** The streams group settings {@link StreamsRules} applies, from {@link CoordinatorProperties.StreamsGroups}. */
record StreamsSettings(int sessionTimeoutMs, int heartbeatIntervalMs, int standbyReplicas) {

    static StreamsSettings of(CoordinatorProperties.StreamsGroups streams) {
        return new StreamsSettings((int) streams.sessionTimeout().toMillis(),
                (int) streams.heartbeatInterval().toMillis(), streams.numStandbyReplicas());
    }

    /** Often enough that a member heartbeats at least three times within its session. */
    long heartbeatEveryMs() {
        return Math.max(1, Math.min(heartbeatIntervalMs, sessionTimeoutMs / 3));
    }
}
