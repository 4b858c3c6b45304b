package io.sluice.internal.coordinator;

import io.sluice.internal.metadata.NodeStatus;
import java.util.List;

/** The nodes being decommissioned, each with how far its draining has come. */
public record DecommissionListing(List<Progress> nodes) {

    public DecommissionListing {
        nodes = List.copyOf(nodes);
    }

    /**
     * One node's decommission.
     *
     * @param nodeId        the node
     * @param status        its liveness: a node may be decommissioned alive or dead
     * @param partitions    the partitions that still have a replica on it (moving off or not)
     * @param movingOff     of those, the partitions whose move under way removes it
     * @param safeToRemove  no partition has a replica on it any more: the node may be stopped and its disk reclaimed
     */
    public record Progress(int nodeId, NodeStatus status, int partitions, int movingOff, boolean safeToRemove) {
    }
}
