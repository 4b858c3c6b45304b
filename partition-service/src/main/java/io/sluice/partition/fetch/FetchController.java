package io.sluice.partition.fetch;

import io.sluice.protocol.wire.FetchRequest;
import io.sluice.protocol.wire.ListOffsetsRequest;
import io.sluice.protocol.wire.ListOffsetsResponse;
import io.sluice.partition.replication.EpochEndOffsetsRequest;
import io.sluice.partition.replication.EpochEndOffsetsResponse;
import io.sluice.partition.replication.ReplicaFetchRequest;
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
public class FetchController {

    private final FetchService fetch;

    public FetchController(FetchService fetch) {
        this.fetch = fetch;
    }

    @PostMapping("/internal/fetch")
    Mono<Void> fetch(@RequestBody FetchRequest request, ServerHttpResponse response) {
        return fetch.fetch(request).flatMap(sections -> FetchResponseWriter.write(response, sections));
    }

    @PostMapping("/internal/replica-fetch")
    Mono<Void> replicaFetch(@RequestBody ReplicaFetchRequest request, ServerHttpResponse response) {
        return fetch.replicaFetch(request).flatMap(sections -> FetchResponseWriter.write(response, sections));
    }

    @PostMapping("/internal/list-offsets")
    Mono<ListOffsetsResponse> listOffsets(@RequestBody ListOffsetsRequest request) {
        return fetch.listOffsets(request);
    }

    @PostMapping("/internal/epoch-end-offsets")
    Mono<EpochEndOffsetsResponse> epochEndOffsets(@RequestBody EpochEndOffsetsRequest request) {
        return fetch.epochEndOffsets(request);
    }
}
