package io.sluice.coordinator.group;

import io.sluice.internal.streams.StreamsTopology;
import io.sluice.internal.streams.StreamsTopologyDescription;

/**
 * What makes a group a streams group: the topology its members run.
 *
 * @param shutdownRequestedBy the member that asked the whole application to shut down (every member is told so until
 *                            the group is empty), or null
 * @param description         a member's description of the topology (KIP-1331), or null while none was sent; it
 *                            describes {@code topology} only when their epochs agree
 */
record StreamsState(StreamsTopology topology, String shutdownRequestedBy, StreamsTopologyDescription description) {

    StreamsState withShutdownRequestedBy(String memberId) {
        return new StreamsState(topology, memberId, description);
    }

    StreamsState withDescription(StreamsTopologyDescription newDescription) {
        return new StreamsState(topology, shutdownRequestedBy, newDescription);
    }

    /** The description of the topology at its epoch, or null when there is none: members are asked for one. */
    StreamsTopologyDescription currentDescription() {
        return description != null && description.topologyEpoch() == topology.epoch() ? description : null;
    }
}
