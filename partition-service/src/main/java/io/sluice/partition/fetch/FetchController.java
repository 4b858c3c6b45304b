package io.sluice.partition.fetch;

import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicationPaths;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The control part of the internal read API: offsets by time, and epoch end offsets for follower truncation. The
 * fetches themselves are plain Reactor Netty routes ({@link FetchRoutes}).
 */
@RestController
class FetchController {

    private final FetchService fetch;

    FetchController(FetchService fetch) {
        this.fetch = fetch;
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
