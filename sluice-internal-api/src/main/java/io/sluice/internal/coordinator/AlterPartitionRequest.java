package io.sluice.internal.coordinator;

import java.util.List;
import java.util.Map;

/**
 * A leader asking to change its partition's ISR (Kafka's AlterPartition): who asks, the leader epoch and partition
 * epoch it believes current, and the ISR it wants. For each replica the change adds, {@code joinerIncarnations} names
 * the process (its registration's incarnation) whose fetch qualified it, as Kafka's AlterPartition carries broker
 * epochs (KIP-903): a replica that restarted since, perhaps with less of the log than it had fetched, is refused.
 */
public record AlterPartitionRequest(int leaderId, int leaderEpoch, int partitionEpoch, List<Integer> isr,
                                    Map<Integer, String> joinerIncarnations) {

    public AlterPartitionRequest {
        joinerIncarnations = joinerIncarnations == null ? Map.of() : Map.copyOf(joinerIncarnations);
    }
}
