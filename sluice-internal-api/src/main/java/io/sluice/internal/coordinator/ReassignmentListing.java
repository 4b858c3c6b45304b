package io.sluice.internal.coordinator;

import java.util.List;

/**
 * The partitions being reassigned now (Kafka's ListPartitionReassignments): for each, its replicas (the target
 * followed by the replicas being removed), the replicas being added and those being removed. A partition not listed
 * is not moving.
 */
public record ReassignmentListing(List<Ongoing> partitions) {

    public ReassignmentListing {
        partitions = List.copyOf(partitions);
    }

    public record Ongoing(String topic, int partition, List<Integer> replicas, List<Integer> addingReplicas,
                          List<Integer> removingReplicas) {
    }
}
