package io.sluice.internal.coordinator;

/** Controlled shutdown accepted; {@code remainingLeaderships} partitions had nobody in sync to take over. */
public record ShutdownResponse(int nodeId, int remainingLeaderships) {
}
