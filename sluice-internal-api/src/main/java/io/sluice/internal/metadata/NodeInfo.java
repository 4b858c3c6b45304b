package io.sluice.internal.metadata;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A partition-service node as the coordinator knows it: its id, the URL other processes reach it at, its rack
 * (null when racks are not used), its status, the incarnation of the process that registered last (null for a
 * record stored before incarnations existed), and whether it is being decommissioned: an operator asked for every
 * replica to leave it, it is given no new replica, and it keeps that mark across restarts and registrations until the
 * decommission is cancelled (a record stored before decommissioning existed reads as not decommissioning). A dead
 * node's record says since when, in epoch milliseconds of the coordinator that declared it dead ({@code deadSinceMs};
 * null while alive, and for a record stored before death times were), so that a coordinator that takes over counts a
 * node's time dead from its death, not from its own start. {@code moveThrottle} is the byte rate at which the node,
 * as a leader, serves the replicas a move is adding (Kafka's {@code leader.replication.throttled.rate}, set per node
 * as Kafka sets it per broker); null for the node's own configured default. Like the decommission mark, it stays
 * across the node's restarts. {@code kafkaAddress} is where Kafka clients reach the node's own Kafka listener
 * ({@code host:port}, the direct data path), as its last registration gave it; null when it runs none.
 */
public record NodeInfo(int id, String url, String rack, NodeStatus status, String incarnation,
                       Boolean decommissioning, Long deadSinceMs, Long moveThrottle, String kafkaAddress) {

    /** Boxed only so that a record without the field reads (Jackson 3 maps no value to no primitive); never null. */
    public NodeInfo {
        decommissioning = Boolean.TRUE.equals(decommissioning);
        if (status != NodeStatus.DEAD) {
            deadSinceMs = null;
        }
    }

    public NodeInfo(int id, String url, String rack, NodeStatus status, String incarnation, Boolean decommissioning,
                    Long deadSinceMs, Long moveThrottle) {
        this(id, url, rack, status, incarnation, decommissioning, deadSinceMs, moveThrottle, null);
    }

    public NodeInfo(int id, String url, String rack, NodeStatus status, String incarnation, Boolean decommissioning) {
        this(id, url, rack, status, incarnation, decommissioning, null, null);
    }

    public NodeInfo(int id, String url, String rack, NodeStatus status, String incarnation) {
        this(id, url, rack, status, incarnation, false);
    }

    public NodeInfo(int id, String url, String rack, NodeStatus status) {
        this(id, url, rack, status, null);
    }

    @JsonIgnore
    public boolean isAlive() {
        return status == NodeStatus.ALIVE;
    }

    /** Alive and not being decommissioned: the node may be given new replicas. */
    @JsonIgnore
    public boolean acceptsReplicas() {
        return isAlive() && !decommissioning;
    }

    public NodeInfo withStatus(NodeStatus newStatus) {
        return new NodeInfo(id, url, rack, newStatus, incarnation, decommissioning, deadSinceMs, moveThrottle, kafkaAddress);
    }

    /** This node declared dead at {@code atMs}. */
    public NodeInfo deadSince(long atMs) {
        return new NodeInfo(id, url, rack, NodeStatus.DEAD, incarnation, decommissioning, atMs, moveThrottle, kafkaAddress);
    }

    public NodeInfo withDecommissioning(boolean newDecommissioning) {
        return new NodeInfo(id, url, rack, status, incarnation, newDecommissioning, deadSinceMs, moveThrottle, kafkaAddress);
    }

    /** This node with a move throttle of {@code bytesPerSecond}; null for the node's configured default. */
    public NodeInfo withMoveThrottle(Long bytesPerSecond) {
        return new NodeInfo(id, url, rack, status, incarnation, decommissioning, deadSinceMs, bytesPerSecond, kafkaAddress);
    }
}
