package io.sluice.partition.replica;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.TopicPartition;

/** Replicas in a given role, for tests of the parts around them (replication, fetch). */
public final class TestReplicas {

    private TestReplicas() {
    }

    /** A replica of {@code tp} on {@code localNode} that follows {@code state}'s leader at its leader epoch. */
    public static Partition follower(TopicPartition tp, PartitionLog log, int localNode, PartitionState state) {
        Partition partition = new Partition(tp, "topic-id", log, localNode);
        partition.becomeFollower(state);
        return partition;
    }
}
