package io.sluice.internal.coordinator;

/** The topic's new total partition count (as Kafka's CreatePartitions takes it). */
public record AddPartitionsRequest(int count) {
}
