package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of one process (its {@link #destination()}): it listens on a free port of 127.0.0.1
 * and forwards each connection to the destination's real address, asking its {@link Links} how each direction of each
 * connection may pass. Made by {@link Links#proxy}.
 *
 * <p>Each accepted connection is named by the process that opened it (its source), then joined to a new connection
 * to the destination; each direction has a reader and a writer on virtual threads with a small queue of chunks
 * between them (a full queue stops the reader: TCP's flow control does the rest). A writer delivers a chunk only when
 * its link passes and its delay has run from when the chunk was read, so a delay adds latency without limiting
 * throughput, and a held link keeps bytes in order. An end of stream is passed on as a half close once the bytes
 * before it are delivered; an I/O error on either side, or a cut, resets both sides.
 *
 * <p>A destination that refuses the proxy's connection is down (killed, or not started yet), and its callers must see
 * what they would see without the proxy — a refused connect, which Sluice takes as proof that the process is gone
 * ({@code ConnectionProbe}) — not a reset, which proves nothing. So the connection that found it down is reset, and
 * the proxy then closes its listening socket: every later connect is refused by the kernel, as it would be at the
 * destination's own port. It watches the destination's port and listens again on its own as soon as the destination
 * accepts connections again.
 */
public final class LinkProxy implements AutoCloseable {

    private static final int CHUNK = 16 * 1024;
    private static final int QUEUED_CHUNKS = 32;
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int BACKLOG = 200;
    private static final Duration DOWN_CHECK_INTERVAL = Duration.ofMillis(50);

    private final Links links;
    private final String destination;
    private final InetSocketAddress target;
    private final String scheme;
    private final int port;
    /** Replaced when the proxy listens again after its destination was down. */
    private volatile ServerSocket server;
    private final AtomicBoolean refusing = new AtomicBoolean();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger reset = new AtomicInteger();
    private volatile boolean closed;

    private LinkProxy(Links links, String destination, InetSocketAddress target, String scheme, ServerSocket server) {
        this.links = links;
        this.scheme = scheme;
        this.destination = destination;
        this.target = target;
        this.server = server;
        this.port = server.getLocalPort();
    }

    static LinkProxy open(Links links, String destination, URI target) throws IOException {
        ServerSocket server = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
        LinkProxy proxy = new LinkProxy(links, destination,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getPort()), target.getScheme(), server);
        Thread.ofVirtual().name("link-proxy-" + destination).start(proxy::acceptLoop);
        return proxy;
    }

    public String destination() {
        return destination;
    }

    public int port() {
        return port;
    }

    /**
     * The proxy's address as a URL of the target's scheme (bytes pass as they are, TLS included): what the
     * destination's callers are told instead of its own address.
     */
    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + port());
    }

    /** Connections accepted so far, and how many of them were reset when they came (their link was cut). */
    public int acceptedConnections() {
        return accepted.get();
    }

    public int resetOnArrival() {
        return reset.get();
    }

    private void acceptLoop() {
        ServerSocket listening = server;
        while (!closed) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                if (!closed && !refusing.get()) {
                    System.out.println("[links] proxy for " + destination + " stopped accepting: " + e);
                }
                return;
            }
            if (listening.isClosed()) {
                // Accepted after the listening socket was closed (to refuse callers, or by close()): on a virtual
                // thread, closing the socket only wakes the thread blocked in accept, which accepts once more before
                // it sees the socket closed. Such a caller came after the port was shut: it is reset, never joined.
                resetAndClose(client);
                return;
            }
            accepted.incrementAndGet();
            Thread.ofVirtual().name("link-" + destination + "-setup").start(() -> setUp(client));
        }
    }

    private void setUp(Socket client) {
        String source = links.sourceOf(client);
        if (links.isCut(source, destination)) {
            reset.incrementAndGet();
            resetAndClose(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            connectUpstream(upstream);
        } catch (IOException e) {
            // This caller sees a reset; the next ones are refused while the destination is down.
            resetAndClose(client);
            resetAndClose(upstream);
            if (e instanceof ConnectException) {
                refuseWhileDestinationIsDown();
            }
            return;
        }
        new Connection(source, client, upstream).start();
    }

    /**
     * Stops listening until the destination's port accepts connections again, then listens on the same port again.
     * A port that another process took meanwhile is reported, and the proxy stays closed.
     */
    private void refuseWhileDestinationIsDown() {
        if (closed || !refusing.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        Thread.ofVirtual().name("link-" + destination + "-down").start(() -> {
            try {
                while (!closed && !destinationListens()) {
                    Thread.sleep(DOWN_CHECK_INTERVAL);
                }
                ServerSocket again = null;
                for (int attempt = 0; again == null && !closed && attempt < 100; attempt++) {
                    try {
                        again = new ServerSocket();
                        again.setReuseAddress(true);
                        again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
                    } catch (IOException e) {
                        closeQuietly(again);
                        again = null;
                        Thread.sleep(DOWN_CHECK_INTERVAL);
                    }
                }
                if (again == null) {
                    if (!closed) {
                        System.out.println("[links] proxy for " + destination + " could not listen on " + port
                                + " again");
                    }
                    return;
                }
                server = again;
                refusing.set(false);
                if (closed) {
                    closeQuietly(again);
                    return;
                }
                acceptLoop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private boolean destinationListens() {
        try (Socket probe = new Socket()) {
            connectUpstream(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Connects {@code socket} to the destination. A connect to a loopback port nobody listens on can succeed: when the
     * kernel picks that very port as the socket's own (the destination's port is an ephemeral one), TCP's
     * simultaneous open connects the socket to itself. That is the destination being down, and is answered so, as a
     * refused connect.
     */
    private void connectUpstream(Socket socket) throws IOException {
        socket.connect(target, CONNECT_TIMEOUT_MS);
        if (socket.getLocalPort() == socket.getPort() && socket.getLocalAddress().equals(socket.getInetAddress())) {
            throw new ConnectException("Connected to itself on port " + socket.getPort() + ": " + destination
                    + " is down");
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** Stops accepting; connections already through stay until {@link Links#close}. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
    }

    @Override
    public String toString() {
        return "proxy for " + destination + " on " + port() + " → " + target.getPort();
    }

    static void resetAndClose(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // not connected, or closed already
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** Bytes read from one side at a time; none: the end of the stream. */
    private record Chunk(byte[] bytes, long readAtNanos) {

        boolean endOfStream() {
            return bytes.length == 0;
        }
    }

    /** One proxied connection: {@code source} → this proxy → the destination. */
    final class Connection {

        private final String source;
        private final Socket client;
        private final Socket upstream;
        private final AtomicBoolean aborted = new AtomicBoolean();
        private final AtomicInteger directionsEnded = new AtomicInteger();
        private volatile List<Thread> threads = List.of();

        private Connection(String source, Socket client, Socket upstream) {
            this.source = source;
            this.client = client;
            this.upstream = upstream;
        }

        String source() {
            return source;
        }

        String destination() {
            return destination;
        }

        boolean between(String a, String b) {
            return (source.equals(a) && destination.equals(b)) || (source.equals(b) && destination.equals(a));
        }

        private void start() {
            BlockingQueue<Chunk> requests = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            BlockingQueue<Chunk> answers = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            threads = List.of(
                    reader(client, requests, source + "→" + destination),
                    writer(upstream, requests, source, destination),
                    reader(upstream, answers, destination + "→" + source),
                    writer(client, answers, destination, source));
            links.opened(this);
            threads.forEach(Thread::start);
        }

        private Thread reader(Socket from, BlockingQueue<Chunk> chunks, String name) {
            return Thread.ofVirtual().name("link-read-" + name).unstarted(() -> {
                byte[] buffer = new byte[CHUNK];
                try {
                    // Not closed here: closing a socket's stream closes the socket, and the other direction may go on.
                    InputStream in = from.getInputStream();
                    while (true) {
                        int read = in.read(buffer);
                        if (read < 0) {
                            chunks.put(new Chunk(new byte[0], System.nanoTime()));
                            return;
                        }
                        chunks.put(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime()));
                    }
                } catch (IOException e) {
                    abort();
                } catch (InterruptedException e) {
                    // aborted
                }
            });
        }

        private Thread writer(Socket to, BlockingQueue<Chunk> chunks, String from, String toName) {
            return Thread.ofVirtual().name("link-write-" + from + "→" + toName).unstarted(() -> {
                try {
                    OutputStream out = to.getOutputStream();
                    while (true) {
                        Chunk chunk = chunks.take();
                        if (!links.awaitDelivery(from, toName, chunk.readAtNanos(), aborted::get)) {
                            return;
                        }
                        if (chunk.endOfStream()) {
                            to.shutdownOutput();
                            ended();
                            return;
                        }
                        out.write(chunk.bytes());
                    }
                } catch (IOException e) {
                    abort();
                } catch (InterruptedException e) {
                    // aborted
                }
            });
        }

        private void ended() {
            if (directionsEnded.incrementAndGet() == 2 && aborted.compareAndSet(false, true)) {
                try {
                    client.close();
                    upstream.close();
                } catch (IOException e) {
                    // closing
                }
                links.closed(this);
            }
        }

        /** Resets both sides and stops its threads. */
        void abort() {
            if (aborted.compareAndSet(false, true)) {
                resetAndClose(client);
                resetAndClose(upstream);
                threads.forEach(Thread::interrupt);
                links.closed(this);
            }
        }
    }
}
