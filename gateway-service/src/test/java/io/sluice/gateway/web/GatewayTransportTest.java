package io.sluice.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.mock.env.MockEnvironment;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpResources;
import reactor.netty.tcp.TcpServer;

/**
 * The gateway's transport (docs/operations.md, "The gateway's transport"): by default Reactor Netty's choice, io_uring
 * wherever the kernel allows it since the gateway carries Netty's io_uring transport; {@code sluice.gateway.transport}
 * names one instead, or stops the start when it names what this machine cannot run.
 */
class GatewayTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

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
            loops.disposeLater().block(WAIT);
        }
    }

    @ParameterizedTest
    @CsvSource({"auto, AUTO", "io_uring, IO_URING", "epoll, EPOLL", "nio, NIO", "' EPOLL ', EPOLL", "'', AUTO"})
    void parseTakesTheDocumentedValuesAndBlankAsAuto(String value, GatewayTransport expected) {
        assertThat(GatewayTransport.parse(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kqueue", "io-uring", "uring", "native"})
    void parseRefusesAnyOtherValueNamingThePropertyAndItsValues(String value) {
        assertThatThrownBy(() -> GatewayTransport.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sluice.gateway.transport must be one of auto, io_uring, epoll or nio, not '" + value + "'");
    }

    @Test
    void autoKeepsReactorNettysOwnLoops() {
        assertThat(GatewayTransport.AUTO.loops("reactor-http", 1)).isNull();
    }

    @Test
    void epollLoopsServeAndConnectOnEpoll() {
        assumeTrue(Epoll.isAvailable(), () -> "epoll is not available here: " + Epoll.unavailabilityCause());
        assertChannels(GatewayTransport.EPOLL.loops("test", 1), EpollServerSocketChannel.class, EpollSocketChannel.class);
    }

    @Test
    void ioUringLoopsServeAndConnectOnIoUring() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring is not available here: " + IoUring.unavailabilityCause());
        assertChannels(GatewayTransport.IO_URING.loops("test", 1), IoUringServerSocketChannel.class,
                IoUringSocketChannel.class);
    }

    @Test
    void nioLoopsServeAndConnectOnJavasSelector() {
        assertChannels(GatewayTransport.NIO.loops("test", 1), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    @Test
    void whenEpollIsNamedTheHttpServerItsClientsAndTheKafkaListenerRunOnEpollLoops() {
        assumeTrue(Epoll.isAvailable(), () -> "epoll is not available here: " + Epoll.unavailabilityCause());
        try {
            GatewayTransport.install(GatewayTransport.EPOLL, 1);
            // Servers as the gateway makes them: on Reactor Netty's global resources, which the install replaced.
            DisposableServer http = HttpServer.create().host("127.0.0.1").port(0)
                    .handle((request, response) -> response.sendString(Mono.fromSupplier(
                            () -> Thread.currentThread().getName())))
                    .bindNow(WAIT);
            DisposableServer kafka = TcpServer.create().host("127.0.0.1").port(0).bindNow(WAIT);
            try {
                String answeredOn = HttpClient.create().get().uri("http://127.0.0.1:" + http.port() + "/")
                        .responseContent().aggregate().asString().block(WAIT);

                assertThat(http.channel()).isInstanceOf(EpollServerSocketChannel.class);
                assertThat(answeredOn).startsWith("reactor-http-epoll-");
                assertThat(kafka.channel()).isInstanceOf(EpollServerSocketChannel.class);
                assertThat(HttpResources.get().onChannelClass(SocketChannel.class, HttpResources.get().onClient(true)))
                        .isEqualTo(EpollSocketChannel.class);
            } finally {
                http.disposeNow(WAIT);
                kafka.disposeNow(WAIT);
            }
        } finally {
            HttpResources.reset();
            TcpResources.reset();
        }
    }

    @Test
    void aBadValueInTheGatewaysEnvironmentStopsTheStart() {
        MockEnvironment environment = new MockEnvironment().withProperty("sluice.gateway.transport", "kqueue");
        ApplicationEnvironmentPreparedEvent prepared = new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), new SpringApplication(), new String[0], environment);

        assertThatThrownBy(() -> GatewayTransport.installer(1).onApplicationEvent(prepared))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sluice.gateway.transport must be one of");
    }

    private static void assertChannels(LoopResources loops, Class<?> server, Class<?> client) {
        try {
            assertThat(loops.onChannelClass(ServerSocketChannel.class, loops.onServer(true))).isEqualTo(server);
            assertThat(loops.onChannelClass(SocketChannel.class, loops.onClient(true))).isEqualTo(client);
            assertThat(loops.daemon()).isTrue();
        } finally {
            loops.disposeLater().block(WAIT);
        }
    }
}
