package io.sluice.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The closed-loop runs' HTTP transport: plain Netty (epoll where it is available), each loop on its own keep-alive
 * connection with an HTTP codec and an aggregator, so a request costs the generator about what it costs {@code wrk}:
 * no connection pool, no reactive chain, no thread hand-off per request. The generator shares the machine's cores with
 * the cluster; the JDK and Reactor Netty clients it used before spent more CPU per request than the gateway spent
 * serving it. One event loop unless told otherwise: callers that keep state across connections rely on that. One
 * instance per run; {@link #close} ends its event loops.
 */
final class NettyHttp implements AutoCloseable {

    /** Largest answer a loop aggregates (a read page is at most a few MiB). */
    static final int MAX_ANSWER_BYTES = 64 << 20;

    private final URI base;
    private final SslContext ssl;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    NettyHttp(URI base) {
        this(base, 1);
    }

    /** With {@code threads} event loops; connections are spread over them. */
    NettyHttp(URI base, int threads) {
        this.base = base;
        this.ssl = sslFor(base);
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** Runs {@code task} on an event loop (the only one, unless the instance was made with more). */
    void execute(Runnable task) {
        group.execute(task);
    }

    /** A new connection whose pipeline ends in {@code handler} (which gets whole answers: FullHttpResponse). */
    ChannelFuture connect(ChannelHandler handler) {
        return connect(handler, true);
    }

    /**
     * A new connection whose pipeline ends in {@code handler}, which gets the answer as Netty decodes it: the
     * HttpResponse, then HttpContent pieces as they arrive (an SSE stream's events, say).
     */
    ChannelFuture connectStreaming(ChannelHandler handler) {
        return connect(handler, false);
    }

    private ChannelFuture connect(ChannelHandler handler, boolean aggregate) {
        int port = port();
        return bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                if (ssl != null) {
                    channel.pipeline().addLast(ssl.newHandler(channel.alloc(), base.getHost(), port));
                }
                channel.pipeline().addLast(new HttpClientCodec());
                if (aggregate) {
                    channel.pipeline().addLast(new HttpObjectAggregator(MAX_ANSWER_BYTES));
                }
                channel.pipeline().addLast(handler);
            }
        }).connect(base.getHost(), port);
    }

    /** A GET of {@code uri} (of this gateway). */
    FullHttpRequest get(URI uri) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target(uri));
        request.headers().set(HttpHeaderNames.HOST, host());
        return request;
    }

    /** A POST of {@code body} to {@code uri} (of this gateway); the array is wrapped, not copied. */
    FullHttpRequest post(URI uri, byte[] body, String contentType) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target(uri),
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, host())
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return request;
    }

    private static String target(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private String host() {
        return base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
    }

    private int port() {
        return base.getPort() > 0 ? base.getPort() : ssl != null ? 443 : 80;
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

    @Override
    public void close() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
