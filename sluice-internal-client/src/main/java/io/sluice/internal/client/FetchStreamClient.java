package io.sluice.internal.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.DeleteRecordsRequest;
import io.sluice.internal.partition.DeleteRecordsResponse;
import io.sluice.internal.partition.DescribeProducersRequest;
import io.sluice.internal.partition.DescribeProducersResponse;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.FetchStream;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@link PartitionDataApi} whose consumer fetches go over one {@link FetchStream} per partition node, many in flight
 * on it, instead of an HTTP exchange each; every other call, and every fetch to a node whose stream is not open, goes
 * to {@code http}. The stream has HTTP's outcomes ({@link FetchStreamLinks}): a fetch left unanswered by a stream that
 * closes is made again over HTTP, and a node that is gone is seen as over HTTP (LEADER_NOT_AVAILABLE, on which the
 * caller re-routes). Metric: {@code sluice.internal.fetches}, tagged {@code transport} {@code stream} or {@code http}.
 * Thread-safe; one per service.
 */
public final class FetchStreamClient implements PartitionDataApi, AutoCloseable {

    private final PartitionDataApi http;
    private final FetchStreamLinks<FetchRequest> streams;

    /** @param clusterSecret sent in each stream's hello, as HTTP calls send it (null: none) */
    public FetchStreamClient(PartitionDataApi http, InternalClientSettings settings, String clusterSecret,
                             MeterRegistry meters) {
        this.http = http;
        this.streams = new FetchStreamLinks<>(FetchStream.Kind.CONSUMER, new FetchStreamLinks.Transport<>(
                FetchRequestCodec::encode, request -> request.maxWaitMs() == null ? 0 : request.maxWaitMs(),
                http::fetch), settings, clusterSecret, meters, "sluice.internal.fetches",
                "Consumer fetches made at partition leaders, by how they went");
    }

    @Override
    public Mono<List<FetchedPartition>> fetch(NodeInfo leader, FetchRequest request) {
        return streams.fetch(leader, request);
    }

    @Override
    public Mono<ProduceResponse> produce(NodeInfo leader, List<PartitionBatches> batches, Acks acks, Duration timeout) {
        return http.produce(leader, batches, acks, timeout);
    }

    @Override
    public Mono<ListOffsetsResponse> listOffsets(NodeInfo leader, ListOffsetsRequest request) {
        return http.listOffsets(leader, request);
    }

    @Override
    public Mono<DeleteRecordsResponse> deleteRecords(NodeInfo leader, DeleteRecordsRequest request) {
        return http.deleteRecords(leader, request);
    }

    @Override
    public Mono<DescribeProducersResponse> describeProducers(NodeInfo leader, DescribeProducersRequest request) {
        return http.describeProducers(leader, request);
    }

    @Override
    public Mono<NodeStats> nodeStats(NodeInfo node) {
        return http.nodeStats(node);
    }

    /** Closes every stream; fetches still waiting on one are made over HTTP, and later ones go there too. */
    @Override
    public void close() {
        streams.close();
    }
}
