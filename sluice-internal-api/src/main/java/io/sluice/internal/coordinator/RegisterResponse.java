package io.sluice.internal.coordinator;

/** Registration accepted: how often to heartbeat, and after how long without one the node is declared dead. */
public record RegisterResponse(int nodeId, long heartbeatIntervalMs, long sessionTimeoutMs) {
}
