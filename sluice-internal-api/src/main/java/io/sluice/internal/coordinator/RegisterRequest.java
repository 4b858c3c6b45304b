package io.sluice.internal.coordinator;

/** A partition service announcing itself: its node id, the URL it serves at, and its rack (optional). */
public record RegisterRequest(int nodeId, String url, String rack) {
}
