package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The link proxy against a tiny echo server: bytes pass both ways; a cut resets what is open and what comes; heal
 * restores; a one-way link holds one direction; a delay delays. Times are printed, and asserted only where the
 * proxy guarantees them (a delay is never shorter than asked) or with bounds far beyond any machine's stall.
 */
class LinkProxyTest {

    private static final String CLIENT = "client";
    private static final String ECHO = "echo";
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private EchoServer echo;
    private Links links;
    private LinkProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        links = Links.create(socket -> CLIENT);
        proxy = links.proxy(ECHO, echo.url());
    }

    @AfterEach
    void stop() throws IOException {
        links.close();
        echo.close();
    }

    @Test
    void bytesPassBothWaysUnchanged() throws IOException {
        byte[] data = new byte[1 << 20];
        new Random(47).nextBytes(data);
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            Thread writer = Thread.ofVirtual().start(() -> write(socket, data));
            byte[] back = socket.getInputStream().readNBytes(data.length);
            report("1 MiB echoed through the proxy in %.1f ms", millisSince(started));
            assertThat(back).isEqualTo(data);
            join(writer);
        }
    }

    @Test
    void cutResetsOpenConnectionsAndNewOnesUntilHealed() throws IOException {
        try (Socket open = connect()) {
            assertThat(roundTrip(open, "before")).isEqualTo("before");

            long cutAt = System.nanoTime();
            links.cut(CLIENT, ECHO);
            assertThat(readEnds(open)).as("the open connection is reset").isTrue();
            report("open connection ended %.1f ms after the cut", millisSince(cutAt));
        }
        try (Socket fresh = connect()) {
            try {
                fresh.getOutputStream().write("lost".getBytes());
            } catch (IOException e) {
                // reset before the write: as good as after it
            }
            assertThat(readEnds(fresh)).as("a new connection is reset on arrival").isTrue();
        }
        assertThat(proxy.resetOnArrival()).isEqualTo(1);
        assertThat(echo.received()).as("bytes that reached the echo server").isEqualTo("before".length());

        links.heal(CLIENT, ECHO);
        try (Socket healed = connect()) {
            assertThat(roundTrip(healed, "after")).isEqualTo("after");
        }
    }

    @Test
    void oneWayHoldsRequestsUntilHealedAndThenDeliversThem() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "a")).isEqualTo("a");
            links.oneWay(CLIENT, ECHO);
            socket.getOutputStream().write("held".getBytes());
            socket.setSoTimeout(500);
            assertThat(readsNothing(socket)).isTrue();
            assertThat(echo.received()).as("the held bytes did not reach the server").isEqualTo(1);

            long healedAt = System.nanoTime();
            links.heal(CLIENT, ECHO);
            socket.setSoTimeout((int) PATIENCE.toMillis());
            assertThat(new String(socket.getInputStream().readNBytes(4))).isEqualTo("held");
            report("held bytes echoed %.1f ms after heal", millisSince(healedAt));
        }
    }

    @Test
    void oneWayAnswersAreHeldWhileRequestsArrive() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "a")).isEqualTo("a");
            links.oneWay(ECHO, CLIENT);
            socket.getOutputStream().write("req".getBytes());
            Waits.await("the request to reach the server", PATIENCE, () -> echo.received() == 4 ? Boolean.TRUE : null);
            socket.setSoTimeout(500);
            assertThat(readsNothing(socket)).as("the answer is held").isTrue();

            links.heal(CLIENT, ECHO);
            socket.setSoTimeout((int) PATIENCE.toMillis());
            assertThat(new String(socket.getInputStream().readNBytes(3))).isEqualTo("req");
        }
    }

    @Test
    void dropHoldsBothWaysAndHealDeliversInOrder() throws IOException {
        try (Socket socket = connect()) {
            links.drop(CLIENT, ECHO);
            socket.getOutputStream().write("one".getBytes());
            socket.getOutputStream().write("two".getBytes());
            socket.setSoTimeout(500);
            assertThat(readsNothing(socket)).isTrue();
            assertThat(echo.received()).isZero();
            links.heal(ECHO, CLIENT);
            socket.setSoTimeout((int) PATIENCE.toMillis());
            assertThat(new String(socket.getInputStream().readNBytes(6))).isEqualTo("onetwo");
        }
    }

    @Test
    void delayDelaysEachDirectionByAtLeastItsAmount() throws IOException {
        try (Socket socket = connect()) {
            long direct = timedRoundTrip(socket);
            links.delay(CLIENT, ECHO, Duration.ofMillis(200));
            links.delay(ECHO, CLIENT, Duration.ofMillis(100));
            long delayed = timedRoundTrip(socket);
            links.heal(CLIENT, ECHO);
            long healed = timedRoundTrip(socket);
            report("round trip: %.1f ms undelayed, %.1f ms with 200 + 100 ms of delay, %.1f ms healed",
                    direct / 1e6, delayed / 1e6, healed / 1e6);
            assertThat(Duration.ofNanos(delayed)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void endOfStreamIsPassedOnAsAHalfClose() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("bye".getBytes());
            socket.shutdownOutput();
            socket.setSoTimeout((int) PATIENCE.toMillis());
            assertThat(new String(socket.getInputStream().readAllBytes())).isEqualTo("bye");
        }
    }

    /** The default links find the caller in /proc: this JVM is "test", and cutting it from the server resets it. */
    @Test
    void theCallingProcessIsFoundInProc() throws IOException {
        try (Links real = Links.create()) {
            LinkProxy byProc = real.proxy("echo-2", echo.url());
            long started = System.nanoTime();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), byProc.port())) {
                assertThat(roundTrip(socket, "x")).isEqualTo("x");
                report("first round trip with the /proc lookup: %.1f ms", millisSince(started));
                real.cut(Links.TEST, "echo-2");
                assertThat(readEnds(socket)).as("this JVM's connection, cut as the test's").isTrue();
            }
            long lookup = System.nanoTime();
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                 Socket accepted = listener.accept()) {
                assertThat(SocketOwners.serviceOf(accepted.getPort(), accepted.getLocalPort()))
                        .isEqualTo(SocketOwners.TEST);
                assertThat(client.isConnected()).isTrue();
            }
            report("a /proc owner lookup: %.1f ms", millisSince(lookup));
        }
    }

    // ---------------------------------------------------------------- helpers

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout((int) PATIENCE.toMillis());
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes());
        return new String(socket.getInputStream().readNBytes(text.length()));
    }

    private static long timedRoundTrip(Socket socket) throws IOException {
        long started = System.nanoTime();
        assertThat(roundTrip(socket, "ping")).isEqualTo("ping");
        return System.nanoTime() - started;
    }

    /** Whether the connection ends (reset, or end of stream) within the patience. */
    private static boolean readEnds(Socket socket) throws IOException {
        socket.setSoTimeout((int) PATIENCE.toMillis());
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether a read times out (its socket's timeout) with nothing read. */
    private static boolean readsNothing(Socket socket) throws IOException {
        try {
            socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    @Test
    void aDestinationThatIsDownIsRefusedUntilItListensAgain() throws IOException {
        int port = echo.port();
        echo.close();
        try (Socket first = connect()) {
            first.setSoTimeout((int) PATIENCE.toMillis());
            assertThat(readEndOrReset(first)).as("the first caller after the death is reset").isTrue();
        }
        long down = System.nanoTime();
        ConnectException refused = Waits.await("a refused connect through the proxy", PATIENCE, () -> {
            try (Socket socket = connect()) {
                return null;
            } catch (ConnectException e) {
                return e;
            } catch (IOException e) {
                return null;
            }
        });
        report("refused %.1f ms after the first caller found the destination down: %s", millisSince(down), refused);

        echo = new EchoServer(port);
        long up = System.nanoTime();
        byte[] echoed = Waits.await("an echo through the proxy again", PATIENCE, () -> {
            try (Socket socket = connect()) {
                socket.setSoTimeout((int) PATIENCE.toMillis());
                socket.getOutputStream().write(new byte[] {4, 7});
                return socket.getInputStream().readNBytes(2);
            } catch (IOException e) {
                return null;
            }
        });
        report("listening again %.1f ms after the destination did", millisSince(up));
        assertThat(echoed).containsExactly(4, 7);
    }

    /**
     * A caller that connects just after the proxy closed is never joined to the destination. Closing a server socket
     * that a virtual thread is blocked accepting on only wakes that thread, which accepts once more before it sees the
     * socket closed; with every carrier of virtual threads kept busy, the thread cannot leave accept before this
     * caller's connect, so the race is taken every time (a connect refused instead passes as well).
     */
    @Test
    void aCallerThatConnectsAfterCloseIsNeverJoinedToTheDestination() throws Exception {
        try (Socket before = connect()) {
            before.getOutputStream().write(1);
            assertThat(before.getInputStream().read()).as("the proxy accepts and echoes before it closes").isOne();
        }
        AtomicBoolean spin = new AtomicBoolean(true);
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        Thread[] spinners = new Thread[carriers];
        try (Socket after = new Socket()) {
            for (int i = 0; i < carriers; i++) {
                spinners[i] = Thread.ofVirtual().start(() -> {
                    while (spin.get()) {
                        Thread.onSpinWait();
                    }
                });
            }
            proxy.close();
            try {
                after.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), 5_000);
            } catch (ConnectException e) {
                report("refused after close: %s", e);
                return;
            } finally {
                spin.set(false);
                for (Thread spinner : spinners) {
                    join(spinner);
                }
            }
            after.setSoTimeout((int) PATIENCE.toMillis());
            boolean endOrReset;
            try {
                after.getOutputStream().write(new byte[] {4, 7});
                endOrReset = readEndOrReset(after);
            } catch (IOException e) {
                endOrReset = true; // reset before the write
            }
            assertThat(endOrReset).as("a caller accepted after close is reset, not echoed").isTrue();
        } finally {
            spin.set(false);
        }
    }

    private static boolean readEndOrReset(Socket socket) {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static void write(Socket socket, byte[] data) {
        try {
            socket.getOutputStream().write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e6;
    }

    private static void report(String format, Object... args) {
        System.out.println("[links] " + String.format(Locale.ROOT, format, args));
    }

    /**
     * Echoes every byte back on each connection; counts what it received. Closed, it is a dead process: nothing listens
     * on its port and every connection it had is closed.
     */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket server;
        private final AtomicLong received = new AtomicLong();
        private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
        private final Thread acceptor;

        EchoServer() throws IOException {
            this(0);
        }

        /** On {@code port} (0: a free one). */
        EchoServer(int port) throws IOException {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        connections.add(socket);
                        Thread.ofVirtual().start(() -> echo(socket));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        int port() {
            return server.getLocalPort();
        }

        long received() {
            return received.get();
        }

        private void echo(Socket socket) {
            try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    received.addAndGet(read);
                    out.write(Arrays.copyOf(buffer, read));
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                // the client or the proxy went away
            }
        }

        /**
         * Closes the listening socket, waits for the accepting thread to end, then closes every connection. The wait
         * matters: closing a server socket that a virtual thread is blocked accepting on only wakes that thread, and
         * the kernel's socket is closed when the thread leaves {@code accept} — which first tries once more, and takes a
         * connection that arrived meanwhile. Without it, a connection made just after {@code close} could be accepted
         * and echoed by a server the test had stopped, and its caller would wait for an end that never came.
         */
        @Override
        public void close() throws IOException {
            server.close();
            try {
                if (!acceptor.join(PATIENCE)) {
                    throw new IllegalStateException("the echo server's acceptor did not stop within " + PATIENCE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }
}
