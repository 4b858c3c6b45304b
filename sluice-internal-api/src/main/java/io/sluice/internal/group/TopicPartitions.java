package io.sluice.internal.group;

import java.util.List;

/** Partitions of one topic, as Kafka's group APIs carry an assignment: a list of these, partitions ascending. */
public record TopicPartitions(String topic, List<Integer> partitions) {

    public TopicPartitions {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
