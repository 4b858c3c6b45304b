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
 * One {@link FetchStream} per partition node for one {@link FetchStream.Kind} of request, many in flight on it, with
 * HTTP behind it; the stream is an optimisation with HTTP's outcomes:
 * <ul>
 *   <li>a node's stream opens on its first request, in the background (that request and those until the node has
 *       admitted it go over HTTP), and again {@link #REOPEN_DELAY} after it closed, was refused, failed to open or had
 *       no answer to its hello within the call timeout; only {@code http://} nodes have one (TLS keeps HTTP);</li>
 *   <li>a request the node answers with an error fails with that error, as the HTTP problem would;</li>
 *   <li>a request whose frame would be larger than {@link FetchStream#MAX_REQUEST_FRAME} goes over HTTP;</li>
 *   <li>a request not answered within its {@link Transport#answerWithinMs} fails with REQUEST_TIMED_OUT, as over HTTP,
 *       and closes the stream (requests go over HTTP, through its circuit breaker, until it reopens);</li>
 *   <li>a request whose frame could not be written is made over HTTP: a frame the node did not receive whole is never
 *       read, so the node did nothing with it;</li>
 *   <li>a request whose stream closes before its answer is made again over HTTP when making it twice changes nothing
 *       ({@link Transport#idempotent}, fetches: HTTP's own outcome, LEADER_NOT_AVAILABLE when the node is gone, is
 *       then the caller's); otherwise (produce) it fails with REQUEST_TIMED_OUT, outcome unknown, as an HTTP call that
 *       broke after it was sent does.</li>
 * </ul>
 * Answers are delivered on the stream's Netty event loop, as HTTP's are. Thread-safe.
 *
 * @param <Q> the kind's request
 * @param <A> its answer
 */
final class FetchStreamLinks<Q, A> implements AutoCloseable {

    /** How long after a node's stream closed, or did not open, the next fetch tries to open it again. */
    static final Duration REOPEN_DELAY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(FetchStreamLinks.class);

    /**
     * What differs between the kinds: what a request is called in messages, its body, how long its answer may take in
     * milliseconds (a fetch's long poll or a produce's timeout included), an OK answer's body decoded, the same
     * request over HTTP (before the stream is open, for one too large for a frame, and for one whose frame was not
     * written), and whether a request its stream's closing left unanswered may be made again there.
     */
    record Transport<Q, A>(String what, Function<Q, ByteBuffer> encode, ToLongFunction<Q> answerWithinMs,
                           Function<ByteBuffer, A> decode, BiFunction<NodeInfo, Q, Mono<A>> overHttp,
                           boolean idempotent) {

        /**
         * A fetch's transport: answered within the call timeout plus its long poll ({@code maxWaitMs}), with sections,
         * and made again over HTTP when its stream closes.
         */
        static <Q> Transport<Q, List<FetchedPartition>> fetch(Function<Q, ByteBuffer> encode,
                                                               ToLongFunction<Q> maxWaitMs,
                                                               BiFunction<NodeInfo, Q, Mono<List<FetchedPartition>>> overHttp,
                                                               InternalClientSettings settings) {
            long callTimeoutMs = settings.callTimeout().toMillis();
            return new Transport<>("fetch", encode,
                    request -> callTimeoutMs + Math.max(0, maxWaitMs.applyAsLong(request)),
                    FetchResponseCodec::decode, overHttp, true);
        }
    }

    private final FetchStream.Kind kind;
    private final Transport<Q, A> transport;
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
     * @param metric        the counter of requests, tagged {@code transport} {@code stream} or {@code http}
     */
    FetchStreamLinks(FetchStream.Kind kind, Transport<Q, A> transport, InternalClientSettings settings,
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
    Mono<A> call(NodeInfo node, Q request) {
        // One link per node URL, its URL parsed once: this is every request's path.
        Link link = links.computeIfAbsent(node.url(), Link::new);
        if (closed || !link.streamable) {
            return overHttp(node, request);
        }
        Channel channel = link.open();
        if (channel == null) {
            return overHttp(node, request);
        }
        return Mono.defer(() -> {
            ByteBuffer body = transport.encode().apply(request);
            // The node's limit counts the frame's length field and correlation too.
            if (body.remaining() > FetchStream.MAX_REQUEST_FRAME - 8) {
                return overHttp(node, request);
            }
            return Mono.create(sink -> link.send(channel, node, request, body, sink));
        });
    }

    private Mono<A> overHttp(NodeInfo node, Q request) {
        overHttp.increment();
        return transport.overHttp().apply(node, request);
    }

    /**
     * Closes every stream; requests still waiting on one end as when a stream closes (see the class), and later ones go
     * over HTTP.
     */
    @Override
    public void close() {
        closed = true;
        links.values().forEach(Link::close);
    }

    /** A request sent on a stream and not answered yet. */
    private record Pending<Q, A>(NodeInfo leader, Q request, MonoSink<A> sink, ScheduledFuture<?> timer) {
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
        private final Map<Integer, Pending<Q, A>> pending = new ConcurrentHashMap<>();
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

        void send(Channel on, NodeInfo leader, Q request, ByteBuffer body, MonoSink<A> sink) {
            int correlation = correlations.updateAndGet(last -> last == Integer.MAX_VALUE ? 1 : last + 1);
            long limit = transport.answerWithinMs().applyAsLong(request);
            ScheduledFuture<?> timer = on.eventLoop().schedule(() -> {
                Pending<Q, A> late = pending.remove(correlation);
                if (late != null) {
                    late.sink().error(ErrorCode.REQUEST_TIMED_OUT.exception("node at " + host + ":" + port
                            + " did not answer a " + transport.what() + " in time"));
                    // A node past a request's own wait and the call timeout is not answering: the requests after
                    // this one go over HTTP, where its circuit breaker sees the node.
                    on.close();
                }
            }, limit, TimeUnit.MILLISECONDS);
            Pending<Q, A> call = new Pending<>(leader, request, sink, timer);
            pending.put(correlation, call);
            sink.onCancel(() -> {
                if (pending.remove(correlation, call)) {
                    timer.cancel(false);
                }
            });
            streamed.increment();
            ChannelFuture written = on.writeAndFlush(Unpooled.wrappedBuffer(FetchStream.request(correlation, body)));
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
            Pending<Q, A> call = pending.remove(correlation);
            if (call == null) {
                return; // timed out or cancelled
            }
            call.timer().cancel(false);
            byte status = rest.get();
            if (status == FetchStream.OK) {
                A answer;
                try {
                    answer = transport.decode().apply(rest.slice());
                } catch (SluiceException e) {
                    call.sink().error(e);
                    return;
                }
                call.sink().success(answer);
            } else {
                call.sink().error(FetchStream.readFailure(rest));
            }
        }

        /**
         * {@code which} closed, or was refused (null: it never connected): requests waiting on it are made over HTTP, or
         * fail with an unknown outcome (see the class), and the next opening waits {@link #REOPEN_DELAY}.
         */
        private void closed(Channel which) {
            if (which == null || channel == which) {
                channel = null;
            }
            reopenAt = System.nanoTime() + REOPEN_DELAY.toNanos();
            opening.set(false);
            List<Pending<Q, A>> waiting = new ArrayList<>();
            for (Integer correlation : List.copyOf(pending.keySet())) {
                Pending<Q, A> call = pending.remove(correlation);
                if (call != null) {
                    waiting.add(call);
                }
            }
            for (Pending<Q, A> call : waiting) {
                call.timer().cancel(false);
                if (transport.idempotent()) {
                    overHttp(call.leader(), call.request()).subscribe(call.sink()::success, call.sink()::error);
                } else {
                    call.sink().error(ErrorCode.REQUEST_TIMED_OUT.exception("The stream to the node at " + host + ":"
                            + port + " closed before it answered a " + transport.what()
                            + "; whether the node carried it out is unknown"));
                }
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
