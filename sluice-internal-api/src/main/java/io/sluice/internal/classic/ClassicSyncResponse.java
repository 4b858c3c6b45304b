package io.sluice.internal.classic;

/** The member's assignment for the generation, as the leader gave it (empty if it gave none). */
public record ClassicSyncResponse(String protocolType, String protocolName, byte[] assignment) {
}
