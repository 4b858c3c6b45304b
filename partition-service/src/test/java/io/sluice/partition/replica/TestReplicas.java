package io.sluice.partition.replica;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.TopicPartition;

/** Replicas in a given role, for tests of the parts around them (replication, fetch). */
public final class TestReplicas {

    private TestReplicas() {
    }

    /** Replication for a node that only leads in a test: it never follows anyone. */
    public static FollowerFetching noFetching() {
        return new FollowerFetching() {
            @Override
            public void addPartition(Partition partition, NodeInfo leader) {
            }

            @Override
            public void removePartition(TopicPartition tp) {
            }
        };
    }

    /** A replica of {@code tp} on {@code localNode} that follows {@code state}'s leader at its leader epoch. */
    public static Partition follower(TopicPartition tp, PartitionLog log, int localNode, PartitionState state) {
        Partition partition = new Partition(tp, "topic-id", log, localNode);
        partition.becomeFollower(state);
        return partition;
    }
}
