package io.sluice.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Only a refused connection proves a process gone; an answer, or silence, proves nothing of the kind. */
class ConnectionProbeTest {

    private final ConnectionProbe probe = new ConnectionProbe(Duration.ofMillis(300), null);

    @Test
    void aPortNobodyListensOnRefuses() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertThat(probe.refusesConnections("http://127.0.0.1:" + port + "/").block(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aServerThatAnswersDoesNotRefuse() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answering = Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                    socket.getInputStream().read(new byte[1024]);
                    out.write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the probe has its answer or gave up; either way the test asserts on the probe
                }
            });
            assertThat(probe.refusesConnections("http://127.0.0.1:" + server.getLocalPort() + "/")
                    .block(Duration.ofSeconds(5))).isFalse();
            answering.join(5_000);
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersDoesNotRefuse() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(probe.refusesConnections("http://127.0.0.1:" + silent.getLocalPort() + "/")
                    .block(Duration.ofSeconds(5))).isFalse();
        }
    }
}
