package io.sluice.bench.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The relay against a real target on loopback, in both modes: what a client sends reaches the target unchanged, and
 * what the target answers (megabytes, so both the copy and the splice run many rounds) reaches the client unchanged
 * and in order, as a broker's answers do while its connection stays open.
 */
class TcpRelayTest {

    private static final int ANSWER_BYTES = 8 * 1024 * 1024 + 13;

    private ServerSocket target;
    private final CompletableFuture<byte[]> requestSeen = new CompletableFuture<>();

    @BeforeEach
    void aTargetThatAnswersOneRequestWithAPattern() throws IOException {
        assumeTrue(Epoll.isAvailable(), "the relay is epoll only");
        target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket socket = target.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] request = new byte[in.readInt()];
                in.readFully(request);
                requestSeen.complete(request);
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < ANSWER_BYTES; sent += chunk.length) {
                    int length = Math.min(chunk.length, ANSWER_BYTES - sent);
                    for (int i = 0; i < length; i++) {
                        chunk[i] = pattern(sent + i);
                    }
                    out.write(chunk, 0, length);
                }
                out.flush();
                in.read(); // until the client closes, as a broker keeps its connection
            } catch (IOException e) {
                requestSeen.completeExceptionally(e);
            }
        });
    }

    @AfterEach
    void closeTarget() throws IOException {
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TcpRelay.Mode.class)
    void bytesPassBothWaysUnchangedAndInOrder(TcpRelay.Mode mode) throws Exception {
        try (TcpRelay relay = TcpRelay.start(mode, 2, List.of(new TcpRelay.Route(0, target.getLocalPort())));
             Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.boundPort(0))) {
            client.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            byte[] request = "fetch, please".getBytes(StandardCharsets.US_ASCII);
            out.writeInt(request.length);
            out.write(request);
            out.flush();

            InputStream in = client.getInputStream();
            byte[] buffer = new byte[100_000];
            long received = 0;
            long mismatches = 0;
            while (received < ANSWER_BYTES) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, ANSWER_BYTES - received));
                assertThat(n).as("bytes before the end of stream").isPositive();
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != pattern(received + i)) {
                        mismatches++;
                    }
                }
                received += n;
            }

            assertThat(requestSeen.get(10, TimeUnit.SECONDS)).isEqualTo(request);
            assertThat(received).isEqualTo(ANSWER_BYTES);
            assertThat(mismatches).isZero();
        }
    }

    /** A byte sequence whose every offset is told apart from its neighbours, so a lost or repeated run shows. */
    private static byte pattern(long offset) {
        return (byte) (offset * 31 + (offset >>> 8));
    }
}
