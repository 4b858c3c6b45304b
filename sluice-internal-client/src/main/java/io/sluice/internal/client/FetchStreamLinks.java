package io.sluice.internal.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.FetchStream;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/**
 * One {@link FetchStream} per partition node for one {@link FetchStream.Kind} of fetch, many in flight on it, with
 * HTTP behind it; the stream is an optimisation with HTTP's outcomes:
 * <ul>
 *   <li>a node's stream opens on its first fetch, in the background (that fetch and those until the node has admitted
 *       it go over HTTP), and again {@link #REOPEN_DELAY} after it closed, was refused, failed to open or had no
 *       answer to its hello within the call timeout; only {@code http://} nodes have one (TLS keeps HTTP);</li>
 *   <li>a fetch the node answers with an error fails with that error, as the HTTP problem would;</li>
 *   <li>a fetch not answered within the call timeout plus its wait fails with REQUEST_TIMED_OUT, as over HTTP, and
 *       closes the stream (fetches go over HTTP, through its circuit breaker, until it reopens);</li>
 *   <li>a fetch whose stream closes before its answer is made again over HTTP: a fetch changes nothing at the node
 *       that making it twice could harm, and HTTP's own outcome (LEADER_NOT_AVAILABLE when the node is gone) is the
 *       caller's, who acts on it as before.</li>
 * </ul>
 * Answers are delivered on the stream's Netty event loop, as HTTP's are. Thread-safe.
 *
 * @param <Q> the kind's request
 */
final class FetchStreamLinks<Q> implements AutoCloseable {

    /** How long after a node's stream closed, or did not open, the next fetch tries to open it again. */
    static final Duration REOPEN_DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(FetchStreamLinks.class);

    /**
     * What differs between the kinds: the request's body, how long the node may hold it before answering (its long
     * poll, in milliseconds), and the same fetch over HTTP (before the stream is open, and for a fetch its closing left
     * unanswered).
     */
    record Transport<Q>(Function<Q, ByteBuffer> encode, ToLongFunction<Q> maxWaitMs,
                        BiFunction<NodeInfo, Q, Mono<List<FetchedPartition>>> overHttp) {
    }

    private final FetchStream.Kind kind;
    private final Transport<Q> transport;
    private final InternalClientSettings settings;
    private final String secret;
    private final Counter streamed;
    private final Counter overHttp;
    private final EventLoopGroup loops;
    private final Class<? extends SocketChannel> channelType;
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param clusterSecret sent in each stream's hello, as HTTP calls send it (null: none)
     * @param metric        the counter of fetches, tagged {@code transport} {@code stream} or {@code http}
     */
    FetchStreamLinks(FetchStream.Kind kind, Transport<Q> transport, InternalClientSettings settings,
                     String clusterSecret, MeterRegistry meters, String metric, String description) {
        this.kind = kind;
        this.transport = transport;
        this.settings = settings;
        this.secret = clusterSecret;
        this.streamed = Counter.builder(metric).tag("transport", "stream").description(description).register(meters);
        this.overHttp = Counter.builder(metric).tag("transport", "http").description(description).register(meters);
        LoopResources resources = HttpResources.get();
        this.loops = resources.onClient(LoopResources.DEFAULT_NATIVE);
        this.channelType = resources.onChannelClass(SocketChannel.class, loops);
    }

    /** {@code request} at {@code node}: on its stream when open, else over HTTP. */
    Mono<List<FetchedPartition>> fetch(NodeInfo node, Q request) {
        // One link per node URL, its URL parsed once: this is every fetch's path.
        Link link = links.computeIfAbsent(node.url(), Link::new);
        if (closed || !link.streamable) {
            return overHttp(node, request);
        }
        Channel channel = link.open();
        if (channel == null) {
            return overHttp(node, request);
        }
        return Mono.create(sink -> link.send(channel, node, request, sink));
    }

    private Mono<List<FetchedPartition>> overHttp(NodeInfo node, Q request) {
        overHttp.increment();
        return transport.overHttp().apply(node, request);
    }

    /** Closes every stream; fetches still waiting on one are made over HTTP, and later ones go there too. */
    @Override
    public void close() {
        closed = true;
        links.values().forEach(Link::close);
    }

    /** A fetch sent on a stream and not answered yet. */
    private record Pending<Q>(NodeInfo leader, Q request, MonoSink<List<FetchedPartition>> sink,
                              ScheduledFuture<?> timer) {
    }

    /**
     * One node URL's stream: its channel once open, the fetches waiting on it, and when it may be opened again (never,
     * for an {@code https://} node).
     */
    private final class Link {

        /** Whether the node's URL is {@code http://}: over TLS, fetches keep HTTP. */
        private final boolean streamable;
        private final String host;
        private final int port;
        private final AtomicBoolean opening = new AtomicBoolean();
        private final AtomicInteger correlations = new AtomicInteger();
        private final Map<Integer, Pending<Q>> pending = new ConcurrentHashMap<>();
        private volatile Channel channel;
        private volatile long reopenAt = System.nanoTime(); // nanoTime's origin is arbitrary: never compared to 0

        Link(String url) {
            URI parsed = URI.create(url);
            this.streamable = "http".equalsIgnoreCase(parsed.getScheme());
            this.host = parsed.getHost();
            this.port = parsed.getPort() < 0 ? 80 : parsed.getPort();
        }

        /** The open channel, or null after starting to open one when it is time to. */
        Channel open() {
            Channel open = channel;
            if (open != null && open.isActive()) {
                return open;
            }
            if (System.nanoTime() - reopenAt >= 0 && opening.compareAndSet(false, true)) {
                connect();
            }
            return null;
        }

        private void connect() {
            Bootstrap bootstrap = new Bootstrap().group(loops).channel(channelType)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Reader(this));
            bootstrap.connect(host, port).addListener((ChannelFutureListener) connected -> {
                if (!connected.isSuccess()) {
                    LOG.debug("No fetch stream to {}:{}: {}", host, port, connected.cause().toString());
                    closed(null);
                    return;
                }
                Channel opened = connected.channel();
                // A node that takes the hello and never answers it would hold this link at "opening" for good: at
                // the call timeout the connection is closed, and the next opening waits REOPEN_DELAY like any other.
                ScheduledFuture<?> deadline = opened.eventLoop().schedule(() -> {
                    if (channel != opened) {
                        LOG.debug("No answer to a fetch stream's hello from {}:{} in time; fetching over HTTP",
                                host, port);
                        opened.close();
                    }
                }, settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
                opened.closeFuture().addListener(done -> {
                    deadline.cancel(false);
                    closed(opened);
                });
                opened.write(Unpooled.wrappedBuffer(FetchStream.preface(kind)), opened.voidPromise());
                opened.writeAndFlush(Unpooled.wrappedBuffer(FetchStream.hello(secret)), opened.voidPromise());
            });
        }

        /** The node admitted {@code opened}: fetches go on it from now. */
        void admitted(Channel opened) {
            if (closed) {
                opened.close();
            } else {
                channel = opened;
            }
            opening.set(false);
        }

        void send(Channel on, NodeInfo leader, Q request, MonoSink<List<FetchedPartition>> sink) {
            int correlation = correlations.updateAndGet(last -> last == Integer.MAX_VALUE ? 1 : last + 1);
            long wait = Math.max(0, transport.maxWaitMs().applyAsLong(request));
            long limit = settings.callTimeout().toMillis() + wait;
            ScheduledFuture<?> timer = on.eventLoop().schedule(() -> {
                Pending<Q> late = pending.remove(correlation);
                if (late != null) {
                    late.sink().error(ErrorCode.REQUEST_TIMED_OUT.exception("node at " + host + ":" + port
                            + " did not answer a fetch in time"));
                    // A node past a fetch's wait and the call timeout is not answering: the fetches after this one
                    // go over HTTP, where its circuit breaker sees the node.
                    on.close();
                }
            }, limit, TimeUnit.MILLISECONDS);
            Pending<Q> call = new Pending<>(leader, request, sink, timer);
            pending.put(correlation, call);
            sink.onCancel(() -> {
                if (pending.remove(correlation, call)) {
                    timer.cancel(false);
                }
            });
            streamed.increment();
            ChannelFuture written = on.writeAndFlush(Unpooled.wrappedBuffer(
                    FetchStream.request(correlation, transport.encode().apply(request))));
            written.addListener(done -> {
                if (!done.isSuccess()) {
                    on.close();
                    if (pending.remove(correlation, call)) {
                        timer.cancel(false);
                        overHttp(leader, request).subscribe(sink::success, sink::error);
                    }
                }
            });
        }

        /** The answer with {@code correlation}: {@code rest} is the frame after it. */
        void answered(int correlation, ByteBuffer rest) {
            Pending<Q> call = pending.remove(correlation);
            if (call == null) {
                return; // timed out or cancelled
            }
            call.timer().cancel(false);
            byte status = rest.get();
            if (status == FetchStream.OK) {
                List<FetchedPartition> sections;
                try {
                    sections = FetchResponseCodec.decode(rest.slice());
                } catch (SluiceException e) {
                    call.sink().error(e);
                    return;
                }
                call.sink().success(sections);
            } else {
                call.sink().error(FetchStream.readFailure(rest));
            }
        }

        /**
         * {@code which} closed, or was refused (null: it never connected): fetches waiting on it are made over HTTP, and
         * the next opening waits {@link #REOPEN_DELAY}.
         */
        private void closed(Channel which) {
            if (which == null || channel == which) {
                channel = null;
            }
            reopenAt = System.nanoTime() + REOPEN_DELAY.toNanos();
            opening.set(false);
            List<Pending<Q>> waiting = new ArrayList<>();
            for (Integer correlation : List.copyOf(pending.keySet())) {
                Pending<Q> call = pending.remove(correlation);
                if (call != null) {
                    waiting.add(call);
                }
            }
            for (Pending<Q> call : waiting) {
                call.timer().cancel(false);
                overHttp(call.leader(), call.request()).subscribe(call.sink()::success, call.sink()::error);
            }
        }

        void close() {
            Channel open = channel;
            if (open != null) {
                open.close();
            }
        }
    }

    /**
     * Reads a stream's frames, each into an array of its length as its pieces arrive (one copy, as HTTP's answers are
     * read), and hands each whole one to its {@link Link}. A frame length out of bounds, or a refused hello, closes the
     * stream.
     */
    private final class Reader extends ChannelInboundHandlerAdapter {

        private final Link link;
        private int length;
        private int lengthBytes;
        private byte[] frame;
        private int filled;

        Reader(Link link) {
            this.link = link;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf in = (ByteBuf) message;
            try {
                while (in.isReadable()) {
                    if (frame == null) {
                        length = (length << 8) | in.readUnsignedByte();
                        if (++lengthBytes < 4) {
                            continue;
                        }
                        if (length < 5 || length > FetchStream.MAX_RESPONSE_FRAME) {
                            throw new IllegalStateException("A fetch stream frame of " + length + " bytes");
                        }
                        frame = new byte[length];
                        filled = 0;
                        continue;
                    }
                    int take = Math.min(in.readableBytes(), frame.length - filled);
                    in.readBytes(frame, filled, take);
                    filled += take;
                    if (filled == frame.length) {
                        ByteBuffer whole = ByteBuffer.wrap(frame);
                        frame = null;
                        length = 0;
                        lengthBytes = 0;
                        deliver(ctx, whole);
                    }
                }
            } finally {
                in.release();
            }
        }

        private void deliver(ChannelHandlerContext ctx, ByteBuffer whole) {
            int correlation = whole.getInt();
            if (correlation == 0) {
                if (whole.get() == FetchStream.OK) {
                    link.admitted(ctx.channel());
                    return;
                }
                LOG.warn("A partition node refused this {} fetch stream ({}); fetching over HTTP", kind,
                        FetchStream.readFailure(whole).getMessage());
                ctx.close();
                return;
            }
            link.answered(correlation, whole);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Closing a fetch stream: {}", cause.toString());
            ctx.close();
        }
    }
}
