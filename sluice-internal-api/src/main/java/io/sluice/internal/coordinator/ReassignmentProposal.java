package io.sluice.internal.coordinator;

import java.util.List;

/**
 * Where the coordinator's move planner would put the partitions of the topics asked for, given the nodes they may use
 * (Kafka's {@code kafka-reassign-partitions --generate}, answered by Sluice's own planner): each partition's current
 * replicas and the proposed ones. Nothing is moved; a proposal is a plan to start with {@code POST} on
 * {@link CoordinatorPaths#REASSIGNMENTS}.
 */
public record ReassignmentProposal(List<Partition> partitions) {

    public ReassignmentProposal {
        partitions = List.copyOf(partitions);
    }

    public record Partition(String topic, int partition, List<Integer> current, List<Integer> proposed) {
    }

    /** What to propose for: the topics whose partitions may move, and the node ids they may use. */
    public record Request(List<String> topics, List<Integer> nodes) {
    }
}
