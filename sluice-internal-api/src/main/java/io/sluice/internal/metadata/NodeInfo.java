package io.sluice.internal.metadata;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A partition-service node as the coordinator knows it: its id, the URL other processes reach it at, its rack
 * (null when racks are not used), and its status.
 */
public record NodeInfo(int id, String url, String rack, NodeStatus status) {

    @JsonIgnore
    public boolean isAlive() {
        return status == NodeStatus.ALIVE;
    }

    public NodeInfo withStatus(NodeStatus newStatus) {
        return new NodeInfo(id, url, rack, newStatus);
    }
}
