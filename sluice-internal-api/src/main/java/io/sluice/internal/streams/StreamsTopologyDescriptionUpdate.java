package io.sluice.internal.streams;

/**
 * A member's description of the group's topology (KIP-1331), sent when a heartbeat answer asked for one
 * ({@link StreamsHeartbeatResponse#topologyDescriptionRequired()}).
 *
 * @param memberId    the member sending it: it must be in the group
 * @param description the description, with the topology epoch it describes
 */
public record StreamsTopologyDescriptionUpdate(String memberId, StreamsTopologyDescription description) {
}
