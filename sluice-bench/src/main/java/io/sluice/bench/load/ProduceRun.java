package io.sluice.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.net.URI;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Produce with JSON batches: {@code --concurrency} closed loops, each one keep-alive connection sending one request
 * at a time, all on a single Netty event loop, so at most that many requests are in flight. The transport is plain
 * Netty (an HTTP codec and an aggregator per connection, no pool, no reactive chain per request), as lean per request
 * as {@code wrk}: the generator shares the machine's two cores with the cluster, and the earlier Reactor Netty client
 * spent about 230 µs of CPU per one-record request, more than the gateway spent serving it. Loops claim
 * {@code --records-per-request} record indices at a time; under {@code --throughput} a request leaves when its last
 * record is due. No retries: a failed request's records are counted by cause and not sent again; a connection that
 * fails is replaced and its loop goes on.
 */
final class ProduceRun {

    private static final int MAX_ANSWER_BYTES = 64 << 20;

    private final LoadOptions options;
    private final GatewayClient gateway;
    private final PrintStream out;

    ProduceRun(LoadOptions options, GatewayClient gateway, PrintStream out) {
        this.options = options;
        this.gateway = gateway;
        this.out = out;
    }

    ProduceReport run(long total, long seed) throws InterruptedException {
        int perRequest = options.recordsPerRequest();
        Payloads.Pool pool = new Payloads.Pool((int) Math.min(perRequest, total), options.recordSize(),
                options.valueFormat(), false, seed);
        byte[] tail = total % perRequest == 0 || total < perRequest ? null
                : Payloads.jsonBatch(values((int) (total % perRequest), seed), options.valueFormat());
        URI uri = gateway.produceUri(options.topic(), options.acks(), options.timeoutMs(), null);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, io);
        long cpuStart = ClientCpu.processCpuNanos();
        long start = System.nanoTime();
        ProduceStats stats = new ProduceStats(start);
        Loops loops = new Loops(uri, sslFor(uri), group, epoll, pool, tail, total, new Pacer(start, options.throughput()),
                stats);
        try (Progress progress = new Progress(out, options.reportIntervalMs(),
                () -> stats.interval(System.nanoTime(), start, options.recordSize()))) {
            group.execute(() -> {
                for (int i = 0; i < options.concurrency(); i++) {
                    loops.start();
                }
            });
            loops.done.await();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        stats.interval(System.nanoTime(), start, options.recordSize());
        long elapsed = Math.max(0, stats.lastAnswerNanos.get() - start);
        long acked = stats.acked.sum();
        return new ProduceReport(options, stats.sent.sum(), acked, stats.errors,
                new Throughput(acked, acked * options.recordSize(), elapsed), stats.requestLatency(),
                stats.recordLatency(), pool.bodyBytes(), ClientCpu.since(cpuStart, start));
    }

    private static SslContext sslFor(URI uri) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return null;
        }
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client context for " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every loop of the run, touched only on the one event loop thread: the next record index, the loops still
     * running, and how a loop gets a connection. {@link #done} opens when the last loop has nothing left to send.
     */
    private final class Loops {
        final CountDownLatch done = new CountDownLatch(1);
        private final URI uri;
        private final String target;
        private final String host;
        private final SslContext ssl;
        private final Bootstrap bootstrap;
        private final Payloads.Pool pool;
        private final byte[] tail;
        private final long total;
        private final Pacer pacer;
        private final ProduceStats stats;
        private long next;
        private int running;

        Loops(URI uri, SslContext ssl, EventLoopGroup group, boolean epoll, Payloads.Pool pool, byte[] tail,
              long total, Pacer pacer, ProduceStats stats) {
            this.uri = uri;
            this.target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            this.host = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
            this.ssl = ssl;
            this.pool = pool;
            this.tail = tail;
            this.total = total;
            this.pacer = pacer;
            this.stats = stats;
            this.bootstrap = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        }

        /** Starts a loop, which runs until no records are left to claim. */
        void start() {
            running++;
            connect(new Loop());
        }

        /** A connection for {@code loop}: its first one, or one in place of a connection that failed. */
        private void connect(Loop loop) {
            int port = uri.getPort() > 0 ? uri.getPort() : ssl != null ? 443 : 80;
            bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    if (ssl != null) {
                        channel.pipeline().addLast(ssl.newHandler(channel.alloc(), uri.getHost(), port));
                    }
                    channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER_BYTES), loop);
                }
            }).connect(uri.getHost(), port).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    loop.sendNext(f.channel());
                } else {
                    loop.connectFailed(f.cause());
                }
            });
        }

        /**
         * One closed loop: at most one request in flight, on one connection at a time (so the handler is shared only
         * in the sense that a replacement connection's pipeline gets it after the failed one's is gone).
         */
        @ChannelHandler.Sharable
        private final class Loop extends SimpleChannelInboundHandler<FullHttpResponse> {
            private long first = -1;
            private int count;
            private long started;
            private boolean finished;
            private ScheduledFuture<?> timeout;

            /** Claims the next records, waits until they are due, and sends them; ends the loop when none are left. */
            void sendNext(Channel channel) {
                if (!claim()) {
                    end();
                    channel.close();
                    return;
                }
                long wait = pacer.dueNanos(first + count - 1) - System.nanoTime();
                if (wait > 0) {
                    channel.eventLoop().schedule(() -> send(channel), wait, TimeUnit.NANOSECONDS);
                } else {
                    send(channel);
                }
            }

            private boolean claim() {
                if (next >= total) {
                    return false;
                }
                first = next;
                count = (int) Math.min(options.recordsPerRequest(), total - first);
                next += count;
                return true;
            }

            private void send(Channel channel) {
                byte[] body = count == options.recordsPerRequest() || tail == null ? pool.next() : tail;
                FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target,
                        Unpooled.wrappedBuffer(body));
                request.headers().set(HttpHeaderNames.HOST, host)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                stats.sent.add(count);
                started = System.nanoTime();
                // no answer in time: the connection is closed, which fails the request (channelInactive)
                timeout = channel.eventLoop().schedule(() -> channel.close(), gateway.timeout().toMillis() + 5_000,
                        TimeUnit.MILLISECONDS);
                channel.writeAndFlush(request).addListener(f -> {
                    if (!f.isSuccess()) {
                        channel.close();
                    }
                });
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                if (first < 0) {
                    return;
                }
                timeout.cancel(false);
                answered(response.status().code(), ByteBufUtil.getBytes(response.content()));
                first = -1;
                if (HttpUtil.isKeepAlive(response)) {
                    sendNext(ctx.channel());
                } else {
                    ctx.close();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (first >= 0) {
                    failed(cause.toString());
                }
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (finished) {
                    return;
                }
                if (first >= 0) {
                    failed("the connection closed before the answer, or no answer within the timeout");
                }
                if (next < total) {
                    connect(this);
                } else {
                    end();
                }
            }

            /** No connection: the loop's next request fails as a request would, then the loop tries again. */
            void connectFailed(Throwable cause) {
                if (claim()) {
                    stats.sent.add(count);
                    failed(cause.toString());
                    connect(this);
                } else {
                    end();
                }
            }

            private void end() {
                finished = true;
                if (--running == 0) {
                    done.countDown();
                }
            }

            private void failed(String message) {
                if (timeout != null) {
                    timeout.cancel(false);
                }
                stats.lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
                stats.errors.add("IO_ERROR", count, message);
                first = -1;
            }

            private void answered(int status, byte[] body) {
                long ended = System.nanoTime();
                stats.request(started, ended);
                ProduceResults.Counted counted = ProduceResults.ofResponse(status, body, count);
                stats.acked.add(counted.acked());
                counted.addTo(stats.errors);
                if (pacer.limited()) {
                    for (int i = 0; i < counted.acked(); i++) {
                        stats.ackedRecords(ended - pacer.dueNanos(first + i), 1);
                    }
                } else {
                    stats.ackedRecords(ended - started, counted.acked());
                }
            }
        }
    }

    private byte[][] values(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = Payloads.letters(options.recordSize(), random);
        }
        return values;
    }
}
