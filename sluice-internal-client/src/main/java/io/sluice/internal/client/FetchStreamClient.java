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
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.partition.ProduceResponseCodec;
import io.sluice.protocol.Acks;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@link PartitionDataApi} whose consumer fetches, and produce requests, go over one {@link FetchStream} per partition
 * node and kind, many in flight on it, instead of an HTTP exchange each; every other call, and every request to a node
 * whose stream is not open, goes to {@code http}. The streams have HTTP's outcomes ({@link FetchStreamLinks}): a fetch
 * left unanswered by a stream that closes is made again over HTTP, and a node that is gone is seen as over HTTP
 * (LEADER_NOT_AVAILABLE, on which the caller re-routes); a produce left unanswered so fails with REQUEST_TIMED_OUT,
 * outcome unknown, as an HTTP produce that broke after it was sent does, and one whose frame was not written, or that
 * is too large for a frame, goes over HTTP. Metrics: {@code sluice.internal.fetches} and
 * {@code sluice.internal.produces}, tagged {@code transport} {@code stream} or {@code http}. Thread-safe; one per
 * service.
 */
public final class FetchStreamClient implements PartitionDataApi, AutoCloseable {

    private final PartitionDataApi http;
    private final FetchStreamLinks<FetchRequest, List<FetchedPartition>> fetches;
    private final FetchStreamLinks<Produce, ProduceResponse> produces;

    /** Consumer fetches and produce requests on streams. */
    public FetchStreamClient(PartitionDataApi http, InternalClientSettings settings, String clusterSecret,
                             MeterRegistry meters) {
        this(http, settings, clusterSecret, meters, true, true);
    }

    /**
     * @param clusterSecret sent in each stream's hello, as HTTP calls send it (null: none)
     * @param fetchStream   whether consumer fetches go on streams (else over HTTP)
     * @param produceStream whether produce requests go on streams (else over HTTP)
     */
    public FetchStreamClient(PartitionDataApi http, InternalClientSettings settings, String clusterSecret,
                             MeterRegistry meters, boolean fetchStream, boolean produceStream) {
        this.http = http;
        this.fetches = !fetchStream ? null : new FetchStreamLinks<>(FetchStream.Kind.CONSUMER,
                FetchStreamLinks.Transport.fetch(FetchRequestCodec::encode,
                        request -> request.maxWaitMs() == null ? 0 : request.maxWaitMs(), http::fetch, settings),
                settings, clusterSecret, meters, "sluice.internal.fetches",
                "Consumer fetches made at partition leaders, by how they went");
        this.produces = !produceStream ? null : new FetchStreamLinks<>(FetchStream.Kind.PRODUCE,
                new FetchStreamLinks.Transport<>("produce", Produce::encode,
                        produce -> PartitionDataClient.produceLimit(produce.timeout(), settings).toMillis(),
                        ProduceResponseCodec::decode,
                        (leader, produce) -> http.produce(leader, produce.batches(), produce.acks(), produce.timeout()),
                        false),
                settings, clusterSecret, meters, "sluice.internal.produces",
                "Produce requests made at partition leaders, by how they went");
    }

    /** A produce request as {@link #produce} takes it. */
    private record Produce(List<PartitionBatches> batches, Acks acks, Duration timeout) {

        ByteBuffer encode() {
            return FetchStream.produceRequest(acks, timeout.toMillis(), ProduceRequestCodec.encode(batches));
        }
    }

    @Override
    public Mono<List<FetchedPartition>> fetch(NodeInfo leader, FetchRequest request) {
        return fetches == null ? http.fetch(leader, request) : fetches.call(leader, request);
    }

    @Override
    public Mono<ProduceResponse> produce(NodeInfo leader, List<PartitionBatches> batches, Acks acks, Duration timeout) {
        return produces == null ? http.produce(leader, batches, acks, timeout)
                : produces.call(leader, new Produce(batches, acks, timeout));
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

    /**
     * Closes every stream; fetches still waiting on one are made over HTTP, produces fail with an unknown outcome, and
     * later requests go over HTTP.
     */
    @Override
    public void close() {
        if (fetches != null) {
            fetches.close();
        }
        if (produces != null) {
            produces.close();
        }
    }
}
