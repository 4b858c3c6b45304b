package io.sluice.internal.metadata;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A partition-service node as the coordinator knows it: its id, the URL other processes reach it at, its rack
 * (null when racks are not used), its status, and the incarnation of the process that registered last (null for a
 * record stored before incarnations existed).
 */
public record NodeInfo(int id, String url, String rack, NodeStatus status, String incarnation) {

    public NodeInfo(int id, String url, String rack, NodeStatus status) {
        this(id, url, rack, status, null);
    }

    @JsonIgnore
    public boolean isAlive() {
        return status == NodeStatus.ALIVE;
    }

    public NodeInfo withStatus(NodeStatus newStatus) {
        return new NodeInfo(id, url, rack, newStatus, incarnation);
    }
}
