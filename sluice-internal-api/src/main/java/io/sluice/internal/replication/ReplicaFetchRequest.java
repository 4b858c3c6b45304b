package io.sluice.internal.replication;

import java.util.List;
import java.util.Objects;

/**
 * A follower's fetch from its leader: the follower's node id and incarnation (the id its process registered with, so
 * that a leader never counts what an earlier process of the same node reported toward the ISR: KIP-903), and every
 * partition the pair shares, each from the follower's log end (which is also how the leader learns that log end) at
 * the leader epoch the follower believes current, with the follower's high watermark and log start offset (from which
 * the leader learns the partition's low watermark, for DeleteRecords). The answer leaves out each partition that has
 * nothing to tell: no records, no error, and this same high watermark and log start offset (KIP-227's incremental
 * answer), so a round over hundreds of idle partitions answers only the few that moved.
 */
public record ReplicaFetchRequest(int replicaId, String incarnation, long maxWaitMs, int maxBytes,
                                  List<Partition> partitions) {

    public ReplicaFetchRequest {
        Objects.requireNonNull(incarnation, "incarnation");
    }

    public record Partition(String topic, int partition, long fetchOffset, int leaderEpoch, long highWatermark,
                            long logStartOffset) {
    }
}
