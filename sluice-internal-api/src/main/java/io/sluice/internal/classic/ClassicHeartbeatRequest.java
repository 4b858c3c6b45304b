package io.sluice.internal.classic;

/** Kafka's Heartbeat: a member of a generation is alive. */
public record ClassicHeartbeatRequest(String memberId, String groupInstanceId, int generationId) {
}
