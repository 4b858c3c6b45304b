package io.sluice.partition.fetch;

import io.sluice.protocol.wire.FetchResponseCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes a fetch response ({@link FetchResponseCodec}) as a stream of buffers: the count, then per partition its
 * header and its records. Record regions are read from the segment file into one buffer each, just before being
 * written.
 */
final class FetchResponseWriter {

    private FetchResponseWriter() {
    }

    static Mono<Void> write(ServerHttpResponse response, List<FetchSection> sections) {
        long length = 4;
        for (FetchSection section : sections) {
            length += section.header().remaining() + section.records().length();
        }
        response.getHeaders().setContentType(MediaType.parseMediaType(FetchResponseCodec.CONTENT_TYPE));
        response.getHeaders().set(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
        DataBufferFactory factory = response.bufferFactory();
        Flux<DataBuffer> body = Flux.concat(
                Mono.fromSupplier(() -> factory.wrap(FetchResponseCodec.count(sections.size()))),
                Flux.fromIterable(sections).concatMap(section -> Flux.concat(
                        Mono.fromSupplier(() -> factory.wrap(section.header().duplicate())),
                        Mono.fromSupplier(() -> factory.wrap(load(section)))
                                .filter(buffer -> buffer.readableByteCount() > 0))));
        return response.writeWith(body);
    }

    private static ByteBuffer load(FetchSection section) {
        try {
            return section.records().isEmpty() ? ByteBuffer.allocate(0) : section.records().load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
