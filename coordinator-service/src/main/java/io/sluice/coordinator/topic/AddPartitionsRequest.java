package io.sluice.coordinator.topic;

/** The topic's new total partition count (as Kafka's CreatePartitions takes it). */
public record AddPartitionsRequest(int count) {
}
