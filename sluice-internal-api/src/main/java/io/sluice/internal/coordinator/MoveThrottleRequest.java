package io.sluice.internal.coordinator;

/**
 * A node's move throttle: the byte rate at which it, as a leader, serves the replicas a move is adding (at least 1).
 *
 * @param bytesPerSecond the rate
 */
public record MoveThrottleRequest(long bytesPerSecond) {
}
