package io.sluice.internal.replication;

import java.util.List;

/**
 * A follower's fetch from its leader: every partition the pair shares, each from the follower's log end (which is
 * also how the leader learns that log end) at the leader epoch the follower believes current.
 */
public record ReplicaFetchRequest(int replicaId, long maxWaitMs, int maxBytes, List<Partition> partitions) {

    public record Partition(String topic, int partition, long fetchOffset, int leaderEpoch) {
    }
}
