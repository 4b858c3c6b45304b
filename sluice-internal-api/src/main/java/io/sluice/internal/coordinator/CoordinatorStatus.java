package io.sluice.internal.coordinator;

/** Who this instance is, whether it is active, and where the active coordinator is. */
public record CoordinatorStatus(String instanceId, boolean active, String activeUrl, Long fencingToken,
                                long metadataVersion) {
}
