package io.sluice.partition.fetch;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.log.FileRegion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes a fetch response ({@link FetchResponseCodec}) with an exact {@code Content-Length}: the count and the
 * partition headers from memory, each partition's records straight from its segment file with {@code sendfile}
 * (a Netty file region), never through the heap.
 *
 * <p>Zero copy needs the Reactor Netty response itself on plain HTTP/1.1 over TCP. Otherwise — another server, a
 * filter that decorated the response (it expects to see the body), TLS, HTTP/2 — the response is written through
 * {@link ServerHttpResponse#writeWith} with each region loaded into a heap buffer just before it is written. The
 * record channels belong to the log and are never closed here.
 *
 * <p>How the zero-copy path cooperates with Reactor Netty and WebFlux, and why:
 * <ul>
 *   <li>WebFlux commits first ({@code setComplete}): before-commit actions run and the status and cookies reach the
 *       Netty response, which writes nothing yet. Left to the end of the exchange, that commit would set the status
 *       of a response already on the wire ("Status and headers already sent"), and Reactor Netty then closes the
 *       connection.</li>
 *   <li>Every piece is its own single-object {@code sendObject}, which goes through {@code writeAndFlush}. A
 *       {@code sendObject(Flux)} silently releases file regions: its sender skips any message it sizes at zero bytes
 *       that is not a {@code ByteBufHolder}, and it sizes file regions at zero.</li>
 *   <li>Memory pieces go as {@code HttpContent}: the server sends a bare {@code ByteBuf} given to {@code sendObject}
 *       as the whole body when the headers are still unsent (ending the response), and drops it once they are
 *       out.</li>
 *   <li>A region is sent as a file region only if the pipeline can carry one when it is written (a compression
 *       handler can be added when the headers go out, and cannot compress a file region); and only from the JDK's
 *       own file channel, whose descriptor native {@code sendfile} reads. Otherwise that region is loaded.</li>
 * </ul>
 * The handler's end, as for any response, ends the HTTP message; the connection stays usable for the next request.
 */
final class FetchResponseWriter {

    private static final MediaType CONTENT_TYPE = MediaType.parseMediaType(FetchResponseCodec.CONTENT_TYPE);

    // Native sendfile (epoll, io_uring, kqueue) reads this class's descriptor field through JNI.
    private static final String JDK_FILE_CHANNEL = "sun.nio.ch.FileChannelImpl";

    private FetchResponseWriter() {
    }

    static Mono<Void> write(ServerHttpResponse response, List<FetchSection> sections) {
        List<Part> parts = parts(sections);
        long length = 0;
        for (Part part : parts) {
            length += part.length();
        }
        response.getHeaders().setContentType(CONTENT_TYPE);
        response.getHeaders().setContentLength(length);
        return zeroCopyTarget(response)
                .map(target -> writeZeroCopy(response, target, parts))
                .orElseGet(() -> writeFromHeap(response, parts));
    }

    /** The Reactor Netty response and its connection, when this response can take file regions. */
    private static Optional<Target> zeroCopyTarget(ServerHttpResponse response) {
        // A decorator is not an AbstractServerHttpResponse: whoever wrapped the response wants the body to pass it.
        if (!(response instanceof AbstractServerHttpResponse server) || response.isCommitted()
                || !(nativeResponse(server) instanceof HttpServerResponse netty)) {
            return Optional.empty();
        }
        AtomicReference<Channel> channel = new AtomicReference<>();
        netty.withConnection(connection -> channel.set(connection.channel()));
        // An HTTP/2 or HTTP/3 stream is not a SocketChannel.
        if (!(channel.get() instanceof SocketChannel socket) || socket.pipeline().get(SslHandler.class) != null) {
            return Optional.empty();
        }
        return Optional.of(new Target(netty, socket));
    }

    private static Object nativeResponse(AbstractServerHttpResponse response) {
        try {
            return response.getNativeResponse();
        } catch (IllegalStateException e) {
            return null; // a response without a server behind it, such as a test double
        }
    }

    private static Mono<Void> writeZeroCopy(ServerHttpResponse response, Target target, List<Part> parts) {
        // Parts are sent one after the other, each once the previous one is written; a region's write completes
        // when the socket has taken its last byte, so the next header cannot overtake it.
        return response.setComplete()
                .thenMany(Flux.fromIterable(parts))
                .concatMap(part -> Mono.defer(() ->
                        target.response().sendObject(message(part, target.channel())).then()))
                .then();
    }

    private static Object message(Part part, Channel channel) {
        return switch (part) {
            case Bytes(ByteBuffer[] buffers) -> new DefaultHttpContent(Unpooled.wrappedBuffer(buffers));
            case Records(FileRegion records) when carriesFileRegions(channel.pipeline())
                    && isJdkFileChannel(records.channel()) -> new SegmentFileRegion(records);
            case Records(FileRegion records) -> new DefaultHttpContent(Unpooled.wrappedBuffer(load(records)));
        };
    }

    private static boolean carriesFileRegions(ChannelPipeline pipeline) {
        return pipeline.get(SslHandler.class) == null && pipeline.get(NettyPipeline.CompressionHandler) == null;
    }

    private static boolean isJdkFileChannel(FileChannel channel) {
        return channel.getClass().getName().equals(JDK_FILE_CHANNEL);
    }

    private static Mono<Void> writeFromHeap(ServerHttpResponse response, List<Part> parts) {
        DataBufferFactory factory = response.bufferFactory();
        return response.writeWith(Flux.fromIterable(parts).concatMap(part -> switch (part) {
            case Bytes(ByteBuffer[] buffers) -> Flux.fromArray(buffers).map(factory::wrap);
            case Records(FileRegion records) -> Mono.fromSupplier(() -> factory.wrap(load(records)));
        }));
    }

    private static ByteBuffer load(FileRegion records) {
        try {
            return records.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private record Target(HttpServerResponse response, SocketChannel channel) {
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
