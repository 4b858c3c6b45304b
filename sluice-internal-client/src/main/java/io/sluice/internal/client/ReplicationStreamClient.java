package io.sluice.internal.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.FetchStream;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.internal.replication.ReplicationApi;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@link ReplicationApi} whose replica fetches go over one {@link FetchStream} of {@link FetchStream.Kind#REPLICA
 * replica} fetches per leader node instead of an HTTP exchange each; epoch queries, and fetches to a leader whose
 * stream is not open, go to {@code http}. The stream has HTTP's outcomes ({@link FetchStreamLinks}): a fetch left
 * unanswered by a stream that closes is made again over HTTP (a replica fetch only reports how far the follower is,
 * which it would report again in its next round anyway), and a leader that is gone is seen as over HTTP
 * (LEADER_NOT_AVAILABLE, which the follower reports to the coordinator). Metric: {@code sluice.replication.fetches},
 * tagged {@code transport} {@code stream} or {@code http}. Thread-safe; one per node.
 */
public final class ReplicationStreamClient implements ReplicationApi, AutoCloseable {

    private final ReplicationApi http;
    private final FetchStreamLinks<ReplicaFetchRequest, List<FetchedPartition>> streams;

    /** @param clusterSecret sent in each stream's hello, as HTTP calls send it (null: none) */
    public ReplicationStreamClient(ReplicationApi http, InternalClientSettings settings, String clusterSecret,
                                   MeterRegistry meters) {
        this.http = http;
        this.streams = new FetchStreamLinks<>(FetchStream.Kind.REPLICA, FetchStreamLinks.Transport.fetch(
                ReplicaFetchRequestCodec::encode, ReplicaFetchRequest::maxWaitMs, http::replicaFetch, settings), settings,
                clusterSecret, meters, "sluice.replication.fetches", "Replica fetches made at leaders, by how they went");
    }

    @Override
    public Mono<List<FetchedPartition>> replicaFetch(NodeInfo leader, ReplicaFetchRequest request) {
        return streams.call(leader, request);
    }

    @Override
    public Mono<EpochEndOffsetsResponse> epochEndOffsets(NodeInfo leader, EpochEndOffsetsRequest request) {
        return http.epochEndOffsets(leader, request);
    }

    /** Closes every stream; fetches still waiting on one are made over HTTP, and later ones go there too. */
    @Override
    public void close() {
        streams.close();
    }
}
