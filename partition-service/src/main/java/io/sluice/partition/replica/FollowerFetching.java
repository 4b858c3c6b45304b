package io.sluice.partition.replica;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.protocol.TopicPartition;

/**
 * What the {@link ReplicaManager} needs from replication: start fetching a followed partition from its leader, and
 * stop. Owned here so that replication depends on replicas and not the other way round.
 */
public interface FollowerFetching {

    /** Starts (or restarts, after a leader change) fetching {@code partition} from {@code leader}. */
    void addPartition(Partition partition, NodeInfo leader);

    void removePartition(TopicPartition tp);
}
