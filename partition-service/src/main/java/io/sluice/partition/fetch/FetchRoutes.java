package io.sluice.partition.fetch;

import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.web.InternalRoutes;

/**
 * {@code POST /internal/fetch} ({@value FetchRequestCodec#CONTENT_TYPE}) and {@code POST /internal/replica-fetch}
 * ({@value ReplicaFetchRequestCodec#CONTENT_TYPE}): binary requests, answered by {@link FetchResponseWriter} with the
 * records straight from the segment files. Plain Reactor Netty routes ({@link InternalRoutes} checks the caller, the
 * content type and the size first).
 */
final class FetchRoutes {

    /** A fetch request is a few dozen bytes per partition. */
    static final long MAX_REQUEST_BYTES = 1024 * 1024;

    private FetchRoutes() {
    }

    static InternalRoutes.BodyHandler consumer(FetchService fetch) {
        return (request, response, body) -> fetch.fetch(FetchRequestCodec.decode(body))
                .flatMap(sections -> FetchResponseWriter.write(response, sections));
    }

    static InternalRoutes.BodyHandler replica(FetchService fetch) {
        return (request, response, body) -> fetch.replicaFetch(ReplicaFetchRequestCodec.decode(body))
                .flatMap(sections -> FetchResponseWriter.write(response, sections));
    }
}
