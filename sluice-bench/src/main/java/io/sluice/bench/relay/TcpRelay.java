package io.sluice.bench.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FileRegion;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.AbstractReferenceCounted;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
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
 *       loop and level-triggered. Netty 4.2 deprecates {@code spliceTo} and {@code EpollMode} (removed from 5.x);</li>
 *   <li>{@link Mode#PROBE}: the same kernel pipe without them. The target's channel reads one byte at a time, only
 *       when asked (the probe: it says the target's bytes are there); that byte is written into the relay's pipe, as
 *       much of the rest as the socket holds (up to the pipe's 64 KiB) is spliced after it, and the pipe's bytes go to
 *       the client as a {@link FileRegion} of the client's outbound buffer, which splices them out in order with
 *       anything written before. The next probe is asked for once they are out, so a slow client holds the bytes in
 *       the kernel. One byte in 64 KiB passes through user space. The one-byte reads are set with
 *       {@code ChannelOption.RCVBUF_ALLOCATOR}, which Netty 4.2 deprecates too.</li>
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
        COPY, SPLICE, PROBE
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
    /** A pipe's default capacity: what one probe moves at most. */
    private static final int PIPE_BYTES = 64 * 1024;

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
                    .handler(switch (mode) {
                        case COPY -> new Pump(client);
                        case SPLICE -> new ChannelInboundHandlerAdapter();
                        case PROBE -> new Prober(client);
                    });
            if (mode == Mode.SPLICE) {
                connect.option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
            }
            if (mode == Mode.PROBE) {
                connect.option(ChannelOption.AUTO_READ, false)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1).maxMessagesPerRead(1));
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
                if (mode == Mode.PROBE) {
                    target.read(); // the first probe
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
     * {@link Mode#PROBE}'s target side: each byte its channel reads (one per read, only when asked) goes into the
     * connection's pipe with as much of what follows as the target's socket holds, and the pipe's bytes go to the
     * client as one {@link PipeRegion}; once they are out, the next byte is asked for.
     */
    private static final class Prober extends ChannelInboundHandlerAdapter {

        private final Channel client;
        private final ByteBuffer probe = ByteBuffer.allocateDirect(1);
        private FileDescriptor[] pipe;

        Prober(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) throws IOException {
            ByteBuf in = (ByteBuf) message;
            try {
                probe.put(0, in.readByte());
            } finally {
                in.release();
            }
            if (pipe == null) {
                pipe = FileDescriptor.pipe();
            }
            int inPipe = pipe[1].write(probe, 0, 1);
            int target = ((UnixChannel) ctx.channel()).fd().intValue();
            // 0 when the socket holds nothing more now (EAGAIN), or when the target closed: the next probe sees that.
            inPipe += Native.splice(target, -1, pipe[1].intValue(), -1, PIPE_BYTES - 1);
            client.writeAndFlush(new PipeRegion(pipe[0], ((UnixChannel) client).fd(), inPipe))
                    .addListener((ChannelFutureListener) out -> {
                        if (out.isSuccess()) {
                            ctx.read();
                        } else {
                            ctx.close();
                        }
                    });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws IOException {
            closeAfterPendingWrites(client);
            if (pipe != null) {
                pipe[0].close();
                pipe[1].close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * {@code count} bytes already in a pipe, spliced into the client's socket when the client's outbound buffer
     * reaches them; a full socket moves nothing, and Netty tries again when it is writable. The bytes are in the pipe
     * before this is written, so it never waits on the target.
     */
    private static final class PipeRegion extends AbstractReferenceCounted implements FileRegion {

        private final FileDescriptor from;
        private final FileDescriptor to;
        private final long count;
        private long transferred;

        PipeRegion(FileDescriptor from, FileDescriptor to, long count) {
            this.from = from;
            this.to = to;
            this.count = count;
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        @Deprecated
        public long transfered() {
            return transferred;
        }

        @Override
        public long transferred() {
            return transferred;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public long transferTo(WritableByteChannel target, long position) throws IOException {
            int moved = Native.splice(from.intValue(), -1, to.intValue(), -1, count - transferred);
            transferred += moved;
            return moved;
        }

        @Override
        public FileRegion retain() {
            super.retain();
            return this;
        }

        @Override
        public FileRegion retain(int increment) {
            super.retain(increment);
            return this;
        }

        @Override
        public FileRegion touch() {
            return this;
        }

        @Override
        public FileRegion touch(Object hint) {
            return this;
        }

        @Override
        protected void deallocate() {
            // the pipe is the connection's, closed with it
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
     * {@code copy|splice|probe LISTEN:TARGET...}: relays until stopped (by its pid: {@code bench/kafka-relay.sh}). Two event
     * loops, one per core of the project's box, as the gateway's.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: TcpRelay copy|splice|probe LISTEN_PORT:TARGET_PORT...");
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
