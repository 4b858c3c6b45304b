package io.sluice.internal.coordinator;

import java.util.Map;

/** A new topic: name, partition count, replication factor and config overrides (Kafka names). */
public record CreateTopicRequest(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
}
