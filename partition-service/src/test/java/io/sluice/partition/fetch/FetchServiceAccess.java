package io.sluice.partition.fetch;

import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicaFetchRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The consumer and replication calls of a {@link FetchService} for tests that call it without HTTP: each answer is
 * the response body the controller would send, read from the segments at once (as the controller writes it).
 */
public final class FetchServiceAccess {

    private FetchServiceAccess() {
    }

    public static Mono<List<FetchResponseCodec.FetchedPartition>> fetch(FetchService service, FetchRequest request) {
        return service.fetch(request).map(sections -> FetchResponseCodec.decode(body(sections)));
    }

    public static Mono<List<FetchResponseCodec.FetchedPartition>> replicaFetch(FetchService service,
                                                                                ReplicaFetchRequest request) {
        return service.replicaFetch(request).map(sections -> FetchResponseCodec.decode(body(sections)));
    }

    public static Mono<EpochEndOffsetsResponse> epochEndOffsets(FetchService service, EpochEndOffsetsRequest request) {
        return service.epochEndOffsets(request);
    }

    private static ByteBuffer body(List<FetchSection> sections) {
        List<ByteBuffer> parts = new ArrayList<>();
        parts.add(FetchResponseCodec.count(sections.size()));
        try {
            for (FetchSection section : sections) {
                parts.add(section.header().duplicate());
                parts.add(section.records().load());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer body = ByteBuffer.allocate(parts.stream().mapToInt(ByteBuffer::remaining).sum());
        parts.forEach(body::put);
        return body.flip();
    }
}
