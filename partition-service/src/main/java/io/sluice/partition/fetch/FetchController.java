package io.sluice.partition.fetch;

import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.internal.replication.ReplicationPaths;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The read side of the internal API: consumer fetches and follower fetches (binary responses), offsets by time,
 * and epoch end offsets for follower truncation.
 */
@RestController
class FetchController {

    private final FetchService fetch;

    FetchController(FetchService fetch) {
        this.fetch = fetch;
    }

    @PostMapping(PartitionPaths.FETCH)
    Mono<Void> fetch(@RequestBody FetchRequest request, ServerHttpResponse response) {
        return fetch.fetch(request).flatMap(sections -> FetchResponseWriter.write(response, sections));
    }

    @PostMapping(ReplicationPaths.REPLICA_FETCH)
    Mono<Void> replicaFetch(@RequestBody ReplicaFetchRequest request, ServerHttpResponse response) {
        return fetch.replicaFetch(request).flatMap(sections -> FetchResponseWriter.write(response, sections));
    }

    @PostMapping(PartitionPaths.LIST_OFFSETS)
    Mono<ListOffsetsResponse> listOffsets(@RequestBody ListOffsetsRequest request) {
        return fetch.listOffsets(request);
    }

    @PostMapping(ReplicationPaths.EPOCH_END_OFFSETS)
    Mono<EpochEndOffsetsResponse> epochEndOffsets(@RequestBody EpochEndOffsetsRequest request) {
        return fetch.epochEndOffsets(request);
    }
}
