package io.sluice.internal.replication;

import java.util.List;

/**
 * "Where did epoch E end in your log?" asked by a new follower of its leader (Kafka's OffsetsForLeaderEpoch), per
 * partition, with the leader epoch the follower believes current so a stale question is fenced.
 */
public record EpochEndOffsetsRequest(int replicaId, List<Partition> partitions) {

    public record Partition(String topic, int partition, int currentLeaderEpoch, int leaderEpoch) {
    }
}
