package io.sluice.gateway.web;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpResources;

/**
 * Which of Netty's transports the gateway's event loops run on: its HTTP server and internal clients, its Kafka
 * listener and its internal streams, as {@code sluice.gateway.transport} says (docs/operations.md, "The gateway's
 * transport"). {@link #AUTO}, the default, leaves the choice to Reactor Netty: io_uring where the kernel allows it,
 * else epoll. The others are for an operator who must not use io_uring (a kernel or a security policy that allows it
 * but should not be trusted with it) or must use it; a transport named but not available here stops the gateway as
 * it starts, with the reason, rather than running on another one.
 *
 * <p>Read from the gateway's environment (every property source: a JVM option, {@code SLUICE_GATEWAY_TRANSPORT},
 * application.yml) once it is prepared, before anything starts an event loop ({@link #installer}).
 */
public enum GatewayTransport {

    /** Reactor Netty's choice: io_uring where the kernel allows it, else epoll. */
    AUTO("auto"),
    IO_URING("io_uring"),
    EPOLL("epoll"),
    /** Java's own selector: no native library at all. */
    NIO("nio");

    public static final String PROPERTY = "sluice.gateway.transport";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayTransport.class);

    private final String value;

    GatewayTransport(String value) {
        this.value = value;
    }

    /**
     * The transport a value names; blank is {@link #AUTO}.
     *
     * @throws IllegalArgumentException for any other value, naming the property and the values it takes
     */
    public static GatewayTransport parse(String value) {
        String given = value == null ? "" : value.trim();
        if (given.isEmpty()) {
            return AUTO;
        }
        for (GatewayTransport transport : values()) {
            if (transport.value.equals(given.toLowerCase(Locale.ROOT))) {
                return transport;
            }
        }
        throw new IllegalArgumentException(PROPERTY + " must be one of auto, io_uring, epoll or nio, not '" + given
                + "'");
    }

    /** Why this machine cannot run this transport; null when it can. */
    String unavailability() {
        return switch (this) {
            case AUTO, NIO -> null;
            case IO_URING -> IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause());
            case EPOLL -> Epoll.isAvailable() ? null : String.valueOf(Epoll.unavailabilityCause());
        };
    }

    /**
     * Event loops of this transport for Reactor Netty, {@code threads} of them, named {@code <prefix>-<value>-N} as
     * Reactor Netty names its own; null for {@link #AUTO}, which keeps Reactor Netty's.
     *
     * @throws IllegalStateException when this machine cannot run this transport
     */
    LoopResources loops(String prefix, int threads) {
        if (this == AUTO) {
            return null;
        }
        String reason = unavailability();
        if (reason != null) {
            throw new IllegalStateException(PROPERTY + " is " + value + ", which this machine cannot run: " + reason);
        }
        IoHandlerFactory handlers = switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
        return new Loops(new MultiThreadIoEventLoopGroup(threads, daemonThreads(prefix + "-" + value), handlers));
    }

    /**
     * Installs {@code transport}'s loops, {@code threads} each, as Reactor Netty's global resources for HTTP (the
     * server and the internal clients and streams) and for TCP (the Kafka listener); nothing for {@link #AUTO}.
     */
    static void install(GatewayTransport transport, int threads) {
        LoopResources http = transport.loops("reactor-http", threads);
        if (http == null) {
            return;
        }
        HttpResources.set(http);
        TcpResources.set(transport.loops("reactor-tcp", threads));
        LOG.info("Event loops on {} ({}={}), {} each for HTTP and for Kafka", transport.value, PROPERTY,
                transport.value, threads);
    }

    /**
     * Installs the transport the gateway's environment names as soon as that environment is prepared, before any
     * bean (and so any server, client or stream) exists; a bad value or a transport this machine cannot run ends the
     * start with the reason.
     */
    public static ApplicationListener<ApplicationEnvironmentPreparedEvent> installer(int threads) {
        return event -> install(parse(event.getEnvironment().getProperty(PROPERTY)), threads);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return task -> {
            Thread thread = new FastThreadLocalThread(task, prefix + "-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * One group of loops for servers and clients, as Reactor Netty's own resources with colocation: a client called
     * on one of the loops connects on that loop.
     */
    private static final class Loops implements LoopResources {

        private final EventLoopGroup group;
        private final EventLoopGroup colocated;

        Loops(EventLoopGroup group) {
            this.group = group;
            this.colocated = LoopResources.colocate(group);
        }

        @Override
        public EventLoopGroup onServer(boolean useNative) {
            return group;
        }

        @Override
        public EventLoopGroup onClient(boolean useNative) {
            return colocated;
        }

        @Override
        public boolean daemon() {
            return true;
        }

        @Override
        public boolean isDisposed() {
            return group.isShuttingDown();
        }

        @Override
        public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
            return Mono.create(sink -> group.shutdownGracefully(quietPeriod.toMillis(), timeout.toMillis(),
                    TimeUnit.MILLISECONDS).addListener(done -> sink.success()));
        }
    }
}
