package io.sluice.bench.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on loopback, for measuring what forwarding every byte through a second process costs a system, apart
 * from any protocol work: each accepted connection on a listen port is joined to a new connection to its target port,
 * and bytes are passed both ways unchanged. Set in front of Kafka's brokers (their advertised listeners pointing at
 * the relay, {@code bench/kafka-relay.sh}), it shows the cost of the hop a Sluice gateway adds to a Fetch.
 *
 * <p>Two ways of passing the target's bytes back to the client:
 * <ul>
 *   <li>{@link Mode#COPY}: read into user-space buffers and written out, as any proxy written on an event loop does
 *       (and as the gateway does): a receive copy and a send copy per byte;</li>
 *   <li>{@link Mode#SPLICE}: Netty's {@code spliceTo}, which moves the bytes from the target's socket to the client's
 *       through a kernel pipe ({@code splice(2)}), never into user space. It needs epoll, both channels on one event
 *       loop and level-triggered.</li>
 * </ul>
 * Client-to-target bytes (requests) are always copied. Each connection's two channels share one event loop. Epoll
 * only: the point is the kernel's costs on Linux.
 *
 * <p>Either end closing closes the other. In copy mode the bytes already read go out first; in splice mode bytes
 * still in the kernel when the target closes may be dropped. That is enough for a Kafka broker, which does not close a
 * connection in the middle of an answer, and this is a measuring tool, not a proxy to deploy.
 */
public final class TcpRelay implements AutoCloseable {

    /** How the target's bytes reach the client. */
    public enum Mode {
        COPY, SPLICE
    }

    /** One listen port and the loopback port its connections are joined to. */
    public record Route(int listenPort, int targetPort) {

        /** {@code LISTEN:TARGET}. */
        static Route parse(String text) {
            String[] ports = text.split(":", -1);
            if (ports.length != 2) {
                throw new IllegalArgumentException("A route is LISTEN_PORT:TARGET_PORT, not " + text);
            }
            return new Route(Integer.parseInt(ports[0]), Integer.parseInt(ports[1]));
        }
    }

    private static final String HOST = "127.0.0.1";

    private final Mode mode;
    private final EventLoopGroup loops;
    private final List<Channel> servers = new ArrayList<>();

    private TcpRelay(Mode mode, int threads) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("The relay needs Netty's native epoll: " + Epoll.unavailabilityCause());
        }
        this.mode = mode;
        this.loops = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    }

    /** A relay serving {@code routes} with {@code threads} event loops, listening once this returns. */
    public static TcpRelay start(Mode mode, int threads, List<Route> routes) throws InterruptedException {
        TcpRelay relay = new TcpRelay(mode, threads);
        try {
            for (Route route : routes) {
                relay.servers.add(relay.listen(route));
            }
        } catch (RuntimeException | InterruptedException e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    /** The port a route's listener bound (its listen port, or the one chosen for port 0). */
    public int boundPort(int route) {
        return ((InetSocketAddress) servers.get(route).localAddress()).getPort();
    }

    private Channel listen(Route route) throws InterruptedException {
        ServerBootstrap server = new ServerBootstrap().group(loops).channel(EpollServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel client) {
                        if (mode == Mode.SPLICE) {
                            client.config().setOption(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
                        }
                        client.pipeline().addLast(new Joiner(route.targetPort()));
                    }
                });
        return server.bind(HOST, route.listenPort()).sync().channel();
    }

    /** Opens the target connection on the client's event loop, then starts passing bytes and removes itself. */
    private final class Joiner extends ChannelInboundHandlerAdapter {

        private final int targetPort;

        Joiner(int targetPort) {
            this.targetPort = targetPort;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            Bootstrap connect = new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(mode == Mode.COPY ? new Pump(client) : new ChannelInboundHandlerAdapter());
            if (mode == Mode.SPLICE) {
                connect.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
            }
            connect.connect(HOST, targetPort).addListener((ChannelFutureListener) connected -> {
                if (!connected.isSuccess()) {
                    client.close();
                    return;
                }
                Channel target = connected.channel();
                target.closeFuture().addListener(closed -> closeAfterPendingWrites(client));
                client.closeFuture().addListener(closed -> closeAfterPendingWrites(target));
                client.pipeline().addLast(new Pump(target));
                client.pipeline().remove(this);
                client.config().setAutoRead(true);
                if (mode == Mode.SPLICE) {
                    // Until either end closes: the splice queue takes every byte the target sends.
                    ChannelFuture spliced = ((AbstractEpollStreamChannel) target)
                            .spliceTo((AbstractEpollStreamChannel) client, Integer.MAX_VALUE);
                    spliced.addListener(done -> closeAfterPendingWrites(client));
                }
            });
        }
    }

    /**
     * Writes what its channel reads to {@code other}, flushing once per read loop, and stops reading while
     * {@code other}'s outbound buffer is above its high-water mark, so a slow reader holds the bytes in the kernel.
     */
    private static final class Pump extends ChannelInboundHandlerAdapter {

        private final Channel other;

        Pump(Channel other) {
            this.other = other;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            other.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelWritabilityChanged(ChannelHandlerContext otherCtx) {
                    ctx.channel().config().setAutoRead(other.isWritable());
                    otherCtx.fireChannelWritabilityChanged();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            other.write(message, other.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            other.flush();
            if (!other.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeAfterPendingWrites(other);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Closes {@code channel} once what was written to it before has gone out: one end closing must not cut off the
     * bytes the relay still holds for the other (an empty write completes after every earlier one, splices included).
     */
    private static void closeAfterPendingWrites(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    @Override
    public void close() {
        servers.forEach(Channel::close);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * {@code copy|splice LISTEN:TARGET...}: relays until stopped (by its pid: {@code bench/kafka-relay.sh}). Two event
     * loops, one per core of the project's box, as the gateway's.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: TcpRelay copy|splice LISTEN_PORT:TARGET_PORT...");
            System.exit(2);
        }
        Mode mode = Mode.valueOf(args[0].toUpperCase(Locale.ROOT));
        List<Route> routes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            routes.add(Route.parse(args[i]));
        }
        TcpRelay relay = start(mode, 2, routes);
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close));
        routes.forEach(route -> System.out.printf("relay %d -> %d (%s)%n", route.listenPort(), route.targetPort(),
                mode.name().toLowerCase(Locale.ROOT)));
        Thread.currentThread().join();
    }
}
