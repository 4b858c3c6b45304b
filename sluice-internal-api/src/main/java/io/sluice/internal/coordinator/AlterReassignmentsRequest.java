package io.sluice.internal.coordinator;

import java.util.List;

/**
 * Kafka's AlterPartitionReassignments as the coordinator takes it: for each partition, the replica set to move it to
 * (in order: the first is the preferred leader), or null to cancel the move under way and go back to the replicas it
 * had before. Each partition is decided on its own and answered in {@link AlterReassignmentsResponse}.
 */
public record AlterReassignmentsRequest(List<Target> partitions) {

    public AlterReassignmentsRequest {
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }

    /** One partition's target replicas; {@code replicas} null cancels its move. */
    public record Target(String topic, int partition, List<Integer> replicas) {

        public Target {
            replicas = replicas == null ? null : List.copyOf(replicas);
        }

        public static Target cancel(String topic, int partition) {
            return new Target(topic, partition, null);
        }
    }
}
