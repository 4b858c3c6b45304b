package io.sluice.internal.replication;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.FetchResponseCodec;
import java.util.List;
import reactor.core.publisher.Mono;

/** The replication API as a follower calls it on its leader (Kafka's replica Fetch and OffsetsForLeaderEpoch). */
public interface ReplicationApi {

    /**
     * One long-poll fetch of every partition the follower shares with {@code leader}: sections, in request order, for
     * the partitions with records, an error, or a high watermark other than the one the request gave.
     */
    Mono<List<FetchResponseCodec.FetchedPartition>> replicaFetch(NodeInfo leader, ReplicaFetchRequest request);

    Mono<EpochEndOffsetsResponse> epochEndOffsets(NodeInfo leader, EpochEndOffsetsRequest request);
}
