package io.sluice.internal.client;

import io.netty.handler.codec.http.HttpMethod;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.DeleteRecordsRequest;
import io.sluice.internal.partition.DeleteRecordsResponse;
import io.sluice.internal.partition.DescribeProducersRequest;
import io.sluice.internal.partition.DescribeProducersResponse;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.partition.ProduceResponseCodec;
import io.sluice.internal.partition.TransactionMarkersApi;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import io.sluice.protocol.Acks;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@link PartitionDataApi} and {@link TransactionMarkersApi} over HTTP, binary bodies on the data path (produce and
 * fetch) and JSON for the rest: produce on the produce pool, fetches on the fetch pool (a long poll holds its
 * connection while it waits), offset lookups, record deletions and transaction markers on the control pool. A produce
 * is retried only when it never reached the leader: one whose outcome is unknown is the caller's to judge
 * (REQUEST_TIMED_OUT).
 */
public final class PartitionDataClient implements PartitionDataApi, TransactionMarkersApi {

    /** After a produce's own timeout (when the leader answers REQUEST_TIMED_OUT), time for that answer to arrive. */
    private static final Duration PRODUCE_ANSWER_GRACE = Duration.ofSeconds(1);

    private final InternalHttp http;

    public PartitionDataClient(InternalHttp http) {
        this.http = http;
    }

    /**
     * The produce's own timeout bounds the call, so that a leader that does not answer at all (paused, cut off) fails
     * a produce shortly after its timeout rather than a whole call timeout later.
     */
    @Override
    public Mono<ProduceResponse> produce(NodeInfo leader, List<PartitionBatches> batches, Acks acks, Duration timeout) {
        return Mono.defer(() -> {
            Duration limit = produceLimit(timeout, http.settings());
            Target target = Target.node(leader);
            Call call = new Call(target, Purpose.PRODUCE, HttpMethod.POST,
                    PartitionPaths.produce(acks.wireName(), timeout.toMillis()), ProduceRequestCodec.CONTENT_TYPE,
                    bytes(ProduceRequestCodec.encode(batches)), limit, RetryPolicy.NOT_SENT);
            return http.exchange(call).map(answer -> ProduceResponseCodec.decode(ByteBuffer.wrap(answer.body())));
        });
    }

    /** How long a produce's answer may take: its own timeout, then the answer grace (at most the call timeout). */
    static Duration produceLimit(Duration timeout, InternalClientSettings settings) {
        Duration callTimeout = settings.callTimeout();
        return timeout.plus(callTimeout.compareTo(PRODUCE_ANSWER_GRACE) < 0 ? callTimeout : PRODUCE_ANSWER_GRACE);
    }

    @Override
    public Mono<List<FetchResponseCodec.FetchedPartition>> fetch(NodeInfo leader, FetchRequest request) {
        return Mono.defer(() -> {
            Duration wait = Duration.ofMillis(request.maxWaitMs() == null ? 0 : request.maxWaitMs());
            Call call = new Call(Target.node(leader), Purpose.FETCH, HttpMethod.POST, PartitionPaths.FETCH,
                    FetchRequestCodec.CONTENT_TYPE, bytes(FetchRequestCodec.encode(request)),
                    http.settings().callTimeout().plus(wait), RetryPolicy.NOT_SENT);
            return http.exchange(call).map(answer -> FetchResponseCodec.decode(ByteBuffer.wrap(answer.body())));
        });
    }

    @Override
    public Mono<ListOffsetsResponse> listOffsets(NodeInfo leader, ListOffsetsRequest request) {
        return Mono.defer(() -> {
            Target target = Target.node(leader);
            Call call = new Call(target, Purpose.CONTROL, HttpMethod.POST, PartitionPaths.LIST_OFFSETS, Call.JSON,
                    JsonBodies.write(request), http.settings().callTimeout(), RetryPolicy.IDEMPOTENT);
            return http.exchange(call).map(answer -> JsonBodies.read(target, answer.body(), ListOffsetsResponse.class));
        });
    }

    @Override
    public Mono<DeleteRecordsResponse> deleteRecords(NodeInfo leader, DeleteRecordsRequest request) {
        return Mono.defer(() -> {
            Target target = Target.node(leader);
            // Moving a log start to an offset it already passed changes nothing: safe to send again.
            Call call = new Call(target, Purpose.CONTROL, HttpMethod.POST, PartitionPaths.DELETE_RECORDS, Call.JSON,
                    JsonBodies.write(request), http.settings().callTimeout().plusMillis(request.timeoutMs()),
                    RetryPolicy.IDEMPOTENT);
            return http.exchange(call).map(answer -> JsonBodies.read(target, answer.body(), DeleteRecordsResponse.class));
        });
    }

    @Override
    public Mono<DescribeProducersResponse> describeProducers(NodeInfo leader, DescribeProducersRequest request) {
        return Mono.defer(() -> {
            Target target = Target.node(leader);
            Call call = new Call(target, Purpose.CONTROL, HttpMethod.POST, PartitionPaths.DESCRIBE_PRODUCERS,
                    Call.JSON, JsonBodies.write(request), http.settings().callTimeout(), RetryPolicy.IDEMPOTENT);
            return http.exchange(call)
                    .map(answer -> JsonBodies.read(target, answer.body(), DescribeProducersResponse.class));
        });
    }

    /**
     * Retried like the other calls that change nothing twice: a marker written again where the transaction is already
     * closed closes nothing (see {@link WriteMarkersRequest}). The request's own timeout is part of the call's limit,
     * as for deletions: the leader answers a partition that is not committed by then with REQUEST_TIMED_OUT.
     */
    @Override
    public Mono<WriteMarkersResponse> writeMarkers(NodeInfo leader, WriteMarkersRequest request) {
        return Mono.defer(() -> {
            Target target = Target.node(leader);
            Call call = new Call(target, Purpose.CONTROL, HttpMethod.POST, PartitionPaths.WRITE_MARKERS, Call.JSON,
                    JsonBodies.write(request), http.settings().callTimeout().plusMillis(request.timeoutMs()),
                    RetryPolicy.IDEMPOTENT);
            return http.exchange(call).map(answer -> JsonBodies.read(target, answer.body(), WriteMarkersResponse.class));
        });
    }

    @Override
    public Mono<NodeStats> nodeStats(NodeInfo node) {
        return Mono.defer(() -> {
            Target target = Target.node(node);
            return http.exchange(Call.get(target, Purpose.CONTROL, PartitionPaths.NODE_STATS,
                            http.settings().callTimeout()))
                    .map(answer -> JsonBodies.read(target, answer.body(), NodeStats.class));
        });
    }

    /** The buffer's bytes; the encoder's own array when it is exactly that (no copy). */
    static byte[] bytes(ByteBuffer buffer) {
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
