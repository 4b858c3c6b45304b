package io.sluice.internal.metadata;

/** A node's liveness as decided by the coordinator from its heartbeats. */
public enum NodeStatus {
    /** Heartbeating within the session timeout. */
    ALIVE,
    /** Announced a controlled shutdown: still serving, but no longer given leaderships. */
    SHUTTING_DOWN,
    /** Silent for longer than the session timeout. */
    DEAD
}
