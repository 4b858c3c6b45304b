package io.sluice.internal.coordinator;

import java.util.List;

/**
 * A leader asking to change its partition's ISR (Kafka's AlterPartition): who asks, the leader epoch and partition
 * epoch it believes current, and the ISR it wants.
 */
public record AlterPartitionRequest(int leaderId, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
}
