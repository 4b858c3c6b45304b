package io.sluice.internal.coordinator;

import java.util.Map;

/**
 * A new topic: name, partition count, replication factor and config overrides (Kafka names). With
 * {@code validateOnly} (Kafka's CreateTopics option) the coordinator checks everything a creation would, places the
 * replicas, and answers the topic it would have created without storing anything. Absent (an older caller) is false.
 */
public record CreateTopicRequest(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs,
                                 Boolean validateOnly) {

    public CreateTopicRequest {
        validateOnly = validateOnly != null && validateOnly;
    }

    public CreateTopicRequest(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
        this(name, partitions, replicationFactor, configs, false);
    }
}
