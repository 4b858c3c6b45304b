package io.sluice.internal.coordinator;

/** A preferred-leader election: how many partitions changed leader. */
public record ElectionResult(int moved) {
}
