package io.sluice.coordinator.group;

import io.sluice.internal.streams.StreamsTopology;

/**
 * What makes a group a streams group: the topology its members run.
 *
 * @param shutdownRequestedBy the member that asked the whole application to shut down (every member is told so until
 *                            the group is empty), or null
 */
record StreamsState(StreamsTopology topology, String shutdownRequestedBy) {

    StreamsState withShutdownRequestedBy(String memberId) {
        return new StreamsState(topology, memberId);
    }
}
