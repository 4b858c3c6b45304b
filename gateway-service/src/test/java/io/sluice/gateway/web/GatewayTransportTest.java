package io.sluice.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

/**
 * The gateway carries Netty's io_uring transport, so that Reactor Netty, which prefers it to epoll, runs the gateway's
 * servers and clients on io_uring wherever the kernel allows it (docs/operations.md, "The gateway's transport").
 */
class GatewayTransportTest {

    @Test
    void whereTheKernelAllowsIoUringTheGatewaysServersAndClientsRunOnIt() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring is not available here: " + IoUring.unavailabilityCause());
        // Native loops, as Reactor Netty gives the gateway's HTTP server, Kafka listener and internal clients theirs.
        LoopResources loops = LoopResources.create("gateway-transport-test", 1, true);
        try {
            EventLoopGroup group = loops.onServer(LoopResources.DEFAULT_NATIVE);

            assertThat(loops.onChannelClass(ServerSocketChannel.class, group))
                    .isEqualTo(IoUringServerSocketChannel.class);
            assertThat(loops.onChannelClass(SocketChannel.class, group)).isEqualTo(IoUringSocketChannel.class);
        } finally {
            loops.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
