package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The network between a test's processes, as the test decides it: every process is reached through a
 * {@link LinkProxy} of its own (a loopback TCP proxy owned by the test), and the test can cut, drop, delay or make
 * one-way the link between any two named processes, then heal it. The services do not know: they were given the
 * proxy's address where they would have been given the peer's ({@code advertised-url}, {@code coordinator-urls},
 * {@code redis.url}; see {@link SluiceCluster.Builder#withLinks()}).
 *
 * <p>Processes are named as the launcher names them ({@code coordinator}, {@code partition-2}, {@code gateway}), this
 * JVM {@code test}. A proxy tells which process opened a connection by looking up the client's socket in
 * {@code /proc} ({@link SocketOwners}), so one proxy per destination serves every caller and each caller's link is
 * its own.
 *
 * <p>The model is a network of directed links. Bytes from A to B pass, are <em>held</em>, or are delayed. A TCP
 * connection opened by A to B carries A→B bytes (requests) and B→A bytes (answers), so each direction of a connection
 * follows its own link:
 * <ul>
 *   <li>{@link #drop(String, String)}: both directions held — a partition as a firewall that drops packets. Calls
 *       hang until their own timeouts; bytes held are delivered at {@link #heal} to connections both ends still
 *       hold, as TCP's retransmissions would deliver them.</li>
 *   <li>{@link #oneWay(String, String)}: only bytes from one process to the other are held: A's requests to B never
 *       arrive, B's requests to A arrive but A's answers do not.</li>
 *   <li>{@link #cut(String, String)}: every connection between the two is reset, and new ones are reset at once —
 *       a firewall that rejects. (A proxy cannot refuse a connection to one caller and accept it from another, so a
 *       new connection is accepted by the kernel and then reset, where a real rejection would refuse the connect.)
 *       </li>
 *   <li>{@link #delay(String, String, Duration)}: bytes from one to the other arrive that much later.</li>
 * </ul>
 * Known differences from a real network: a connection opened across a dropped link is established (the proxy's
 * kernel accepts it) and then hangs, where a dropped SYN would time the connect out; and of the callers of a process
 * that died, the first to connect after its death is reset, while the later ones are refused as they would be
 * without the proxy (the proxy stops listening until the process listens again; see {@link LinkProxy}).
 *
 * <p>Thread-safe: a test changes links from its thread while the proxies' virtual threads move bytes.
 */
public final class Links implements AutoCloseable {

    /** The name of this JVM, for links from the test itself. */
    public static final String TEST = SocketOwners.TEST;

    private record Direction(String from, String to) {
    }

    private final Function<Socket, String> sources;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Set<String>> cut = new HashSet<>();
    private final Set<Direction> held = new HashSet<>();
    private final Map<Direction, Duration> delays = new HashMap<>();
    private final Map<String, LinkProxy> proxies = new LinkedHashMap<>();
    private final Set<LinkProxy.Connection> connections = ConcurrentHashMap.newKeySet();

    private Links(Function<Socket, String> sources) {
        this.sources = sources;
    }

    /** Links whose callers are found in {@code /proc} ({@link SocketOwners}). */
    public static Links create() {
        return new Links(socket -> SocketOwners.serviceOf(socket.getPort(), socket.getLocalPort()));
    }

    /** Links whose callers are named by {@code sources} (the proxy's own tests). */
    static Links create(Function<Socket, String> sources) {
        return new Links(sources);
    }

    /**
     * Opens a proxy for {@code destination}, listening on a free loopback port and forwarding to {@code target};
     * give its {@link LinkProxy#url()} to every process that should reach the destination through the links.
     */
    public LinkProxy proxy(String destination, URI target) {
        lock.lock();
        try {
            if (proxies.containsKey(destination)) {
                throw new IllegalStateException("a proxy for " + destination + " exists already");
            }
            LinkProxy proxy;
            try {
                proxy = LinkProxy.open(this, destination, target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            proxies.put(destination, proxy);
            return proxy;
        } finally {
            lock.unlock();
        }
    }

    /** The proxy in front of {@code destination}. */
    public LinkProxy proxyOf(String destination) {
        lock.lock();
        try {
            LinkProxy proxy = proxies.get(destination);
            if (proxy == null) {
                throw new IllegalArgumentException("no proxy for " + destination + "; proxies: " + proxies.keySet());
            }
            return proxy;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ faults

    /** Resets every connection between {@code a} and {@code b}, either way, and every new one until healed. */
    public void cut(String a, String b) {
        lock.lock();
        try {
            cut.add(Set.of(a, b));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (LinkProxy.Connection connection : connections) {
            if (connection.between(a, b)) {
                connection.abort();
            }
        }
    }

    /** Holds the bytes between {@code a} and {@code b}, both ways, until healed: calls between them hang. */
    public void drop(String a, String b) {
        oneWay(a, b);
        oneWay(b, a);
    }

    /** Holds the bytes from {@code from} to {@code to} until healed; bytes the other way pass. */
    public void oneWay(String from, String to) {
        change(() -> held.add(new Direction(from, to)));
    }

    /** Delays every byte from {@code from} to {@code to} by {@code delay} (zero: none). */
    public void delay(String from, String to, Duration delay) {
        change(() -> delay.isZero() ? delays.remove(new Direction(from, to)) != null
                : delays.put(new Direction(from, to), delay) == null);
    }

    /** {@link #drop} between {@code process} and each of {@code others}. */
    public void isolate(String process, List<String> others) {
        for (String other : others) {
            drop(process, other);
        }
    }

    /** Every link between {@code a} and {@code b} passes again, both ways and undelayed; held bytes are delivered. */
    public void heal(String a, String b) {
        change(() -> {
            boolean any = cut.remove(Set.of(a, b));
            any |= held.remove(new Direction(a, b)) | held.remove(new Direction(b, a));
            any |= delays.remove(new Direction(a, b)) != null | delays.remove(new Direction(b, a)) != null;
            return any;
        });
    }

    /** Every link passes again. */
    public void healAll() {
        change(() -> {
            cut.clear();
            held.clear();
            delays.clear();
            return true;
        });
    }

    /** The links that do not pass freely now, for reports. */
    public String describe() {
        lock.lock();
        try {
            List<String> parts = new ArrayList<>();
            cut.forEach(pair -> parts.add("cut " + String.join("-", pair.stream().sorted().toList())));
            held.forEach(d -> parts.add("held " + d.from() + "→" + d.to()));
            delays.forEach((d, delay) -> parts.add("delayed " + d.from() + "→" + d.to() + " " + delay.toMillis() + " ms"));
            return parts.isEmpty() ? "all links pass" : String.join(", ", parts);
        } finally {
            lock.unlock();
        }
    }

    /** Closes every proxy and every connection through them. */
    @Override
    public void close() {
        List<LinkProxy> all;
        lock.lock();
        try {
            all = List.copyOf(proxies.values());
            proxies.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(LinkProxy::close);
        connections.forEach(LinkProxy.Connection::abort);
    }

    // ------------------------------------------------------- for the proxies

    String sourceOf(Socket accepted) {
        return sources.apply(accepted);
    }

    boolean isCut(String a, String b) {
        lock.lock();
        try {
            return cut.contains(Set.of(a, b));
        } finally {
            lock.unlock();
        }
    }

    void opened(LinkProxy.Connection connection) {
        connections.add(connection);
        // A cut that came while the connection was being set up.
        if (isCut(connection.source(), connection.destination())) {
            connection.abort();
        }
    }

    void closed(LinkProxy.Connection connection) {
        connections.remove(connection);
    }

    /**
     * Waits until bytes read from {@code from} for {@code to} at {@code readAtNanos} may be delivered: the direction
     * is not held and its delay has passed since they were read. Returns false if {@code aborted} turns true first.
     */
    boolean awaitDelivery(String from, String to, long readAtNanos, BooleanSupplier aborted)
            throws InterruptedException {
        Direction direction = new Direction(from, to);
        lock.lock();
        try {
            while (!aborted.getAsBoolean()) {
                if (held.contains(direction)) {
                    changed.await(100, TimeUnit.MILLISECONDS);
                    continue;
                }
                long wait = readAtNanos + delays.getOrDefault(direction, Duration.ZERO).toNanos() - System.nanoTime();
                if (wait <= 0) {
                    return true;
                }
                changed.awaitNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void change(BooleanSupplier mutation) {
        lock.lock();
        try {
            mutation.getAsBoolean();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
