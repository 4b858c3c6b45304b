package io.sluice.partition.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.FetchStream;
import io.sluice.log.FileRegion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes a fetch response ({@link FetchResponseCodec}) on a Reactor Netty response, or as a frame of a fetch stream
 * ({@link #writeFrame}). On HTTP, with an exact
 * {@code Content-Length}: the count and the partition headers from memory, each partition's records straight from
 * its segment file with {@code sendfile} (a Netty file region), never through the heap. Where the connection cannot
 * carry a file region — TLS, a compression handler, a channel that is not a TCP socket (HTTP/2) — that region is
 * loaded into a heap buffer just before it is written. The record channels belong to the log and are never closed
 * here.
 *
 * <p>How it cooperates with Reactor Netty, and why:
 * <ul>
 *   <li>Every piece is its own single-object {@code sendObject}, which goes through {@code writeAndFlush}, each once
 *       the previous one is written (a region's write completes when the socket has taken its last byte, so the next
 *       header cannot overtake it). The first sends the status and headers ahead of it; with the length set, they go
 *       as a head, not as a whole empty response. A {@code sendObject(Flux)} would silently release file regions:
 *       its sender skips any message it sizes at zero bytes that is not a {@code ByteBufHolder}, and it sizes file
 *       regions at zero.</li>
 *   <li>Memory pieces go as {@code HttpContent}: the server sends a bare {@code ByteBuf} given to {@code sendObject}
 *       as the whole body when the headers are still unsent (ending the response), and drops it once they are
 *       out.</li>
 *   <li>A region is sent as a file region only if the pipeline can carry one when it is written (a compression
 *       handler can be added when the headers go out, and cannot compress a file region); and only from the JDK's
 *       own file channel, whose descriptor native {@code sendfile} reads.</li>
 * </ul>
 * The handler's end, as for any response, ends the HTTP message; the connection stays usable for the next request.
 */
final class FetchResponseWriter {

    private FetchResponseWriter() {
    }

    static Mono<Void> write(HttpServerResponse response, List<FetchSection> sections) {
        List<Part> parts = parts(sections);
        long length = 0;
        for (Part part : parts) {
            length += part.length();
        }
        response.header(HttpHeaderNames.CONTENT_TYPE, FetchResponseCodec.CONTENT_TYPE)
                .header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
        AtomicReference<Channel> channel = new AtomicReference<>();
        response.withConnection(connection -> channel.set(connection.channel()));
        return Flux.fromIterable(parts)
                .concatMap(part -> Mono.defer(() -> response.sendObject(message(part, channel.get())).then()))
                .then();
    }

    /**
     * Writes {@code sections} as one OK frame of the {@link FetchStream} answering {@code correlation}, the same body
     * as over HTTP (records by {@code sendfile} where the channel carries file regions), and flushes it. Call it on the
     * channel's event loop: every piece is queued before any other frame can be.
     */
    static void writeFrame(Channel channel, int correlation, List<FetchSection> sections) {
        List<Part> parts = parts(sections);
        long length = 0;
        for (Part part : parts) {
            length += part.length();
        }
        channel.write(Unpooled.wrappedBuffer(FetchStream.okHead(correlation, length)), channel.voidPromise());
        for (Part part : parts) {
            channel.write(body(part, channel), channel.voidPromise());
        }
        channel.flush();
    }

    private static Object message(Part part, Channel channel) {
        Object body = body(part, channel);
        return body instanceof ByteBuf bytes ? new DefaultHttpContent(bytes) : body;
    }

    /** A piece of the body: a buffer, or a file region where the channel can send one. */
    private static Object body(Part part, Channel channel) {
        return switch (part) {
            case Bytes(ByteBuffer[] buffers) -> Unpooled.wrappedBuffer(buffers);
            case Records(FileRegion records) -> ChannelRegions.body(records, channel);
        };
    }

    /**
     * The body in the order it is sent: runs of memory bytes (the count and headers, with the headers around an empty
     * region joined into one run) between non-empty record regions. Header buffers are duplicated, so a section can
     * be written again.
     */
    private static List<Part> parts(List<FetchSection> sections) {
        List<Part> parts = new ArrayList<>();
        List<ByteBuffer> run = new ArrayList<>();
        run.add(FetchResponseCodec.count(sections.size()));
        for (FetchSection section : sections) {
            run.add(section.header().duplicate());
            if (!section.records().isEmpty()) {
                parts.add(new Bytes(run.toArray(ByteBuffer[]::new)));
                parts.add(new Records(section.records()));
                run.clear();
            }
        }
        if (!run.isEmpty()) {
            parts.add(new Bytes(run.toArray(ByteBuffer[]::new)));
        }
        return parts;
    }

    /** A piece of the response body. */
    private sealed interface Part {
        long length();
    }

    /** Bytes from memory, sent as one write. */
    private record Bytes(ByteBuffer[] buffers) implements Part {
        @Override
        public long length() {
            long length = 0;
            for (ByteBuffer buffer : buffers) {
                length += buffer.remaining();
            }
            return length;
        }
    }

    /** A partition's records, a non-empty region of a segment file. */
    private record Records(FileRegion region) implements Part {
        @Override
        public long length() {
            return region.length();
        }
    }
}
