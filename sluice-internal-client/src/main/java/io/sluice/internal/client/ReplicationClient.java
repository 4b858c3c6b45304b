package io.sluice.internal.client;

import io.netty.handler.codec.http.HttpMethod;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.internal.replication.ReplicationPaths;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * {@link ReplicationApi} over HTTP (a binary fetch request, a JSON epoch query), on the replication pool: a
 * follower's long-poll fetch sessions never queue behind a gateway's produce or fetch traffic. Both calls change nothing at the leader, so retriable failures are retried.
 */
public final class ReplicationClient implements ReplicationApi {

    private final InternalHttp http;

    public ReplicationClient(InternalHttp http) {
        this.http = http;
    }

    @Override
    public Mono<List<FetchResponseCodec.FetchedPartition>> replicaFetch(NodeInfo leader, ReplicaFetchRequest request) {
        return Mono.defer(() -> {
            Call call = new Call(Target.node(leader), Purpose.REPLICATION, HttpMethod.POST, ReplicationPaths.REPLICA_FETCH,
                    ReplicaFetchRequestCodec.CONTENT_TYPE,
                    PartitionDataClient.bytes(ReplicaFetchRequestCodec.encode(request)),
                    http.settings().callTimeout().plus(Duration.ofMillis(request.maxWaitMs())), RetryPolicy.NOT_SENT);
            return http.exchange(call).map(answer -> FetchResponseCodec.decode(ByteBuffer.wrap(answer.body())));
        });
    }

    @Override
    public Mono<EpochEndOffsetsResponse> epochEndOffsets(NodeInfo leader, EpochEndOffsetsRequest request) {
        return Mono.defer(() -> {
            Target target = Target.node(leader);
            Call call = new Call(target, Purpose.REPLICATION, HttpMethod.POST, ReplicationPaths.EPOCH_END_OFFSETS,
                    Call.JSON, JsonBodies.write(request), http.settings().callTimeout(), RetryPolicy.IDEMPOTENT);
            return http.exchange(call).map(answer -> JsonBodies.read(target, answer.body(), EpochEndOffsetsResponse.class));
        });
    }
}
