package io.sluice.gateway.kafka;

import io.sluice.security.SaslExchange;
import io.sluice.security.SluicePrincipal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One client connection to the Kafka listener and who it is ({@link #signIn}). With security off every connection is
 * {@link SluicePrincipal#ANONYMOUS}; with it on a connection has no principal until it signs in with SASL
 * (SaslHandshake picks the mechanism, SaslAuthenticate checks the credentials) or by its TLS client certificate, and
 * before that it may only ask ApiVersions and those two. A failed sign-in ends the connection once its answer is
 * sent, as Kafka's does.
 *
 * <p>What an API keeps between a connection's requests (its fetch session, what was read ahead for it, its share
 * sessions, what its transactional producers added by producing) is the connection's {@link #state}, one object of
 * each type, which the API makes on first use; state that must not outlive the connection is released when it ends
 * ({@link #closed}). So the listener knows no API's state.
 *
 * <p>Requests of a connection are handled one at a time ({@link KafkaListener}), so the state below changes between
 * requests only; it is volatile for the threads that handle successive requests. The per-API state is guarded by the
 * session, since the connection's end comes from another thread.
 */
public final class KafkaSession {

    private final long id;
    private final SocketAddress remote;
    private final SaslExchange.State signIn;
    // Guarded by this.
    private final Map<Class<?>, Object> states = new HashMap<>();
    private final List<Runnable> releases = new ArrayList<>();
    private boolean ended;

    KafkaSession(long id, SocketAddress remote, boolean signInRequired) {
        this.id = id;
        this.remote = remote;
        this.signIn = new SaslExchange.State(signInRequired ? null : SluicePrincipal.ANONYMOUS, this::address);
    }

    /** The signed-in principal, {@link SluicePrincipal#ANONYMOUS} with security off. */
    public SluicePrincipal principal() {
        SluicePrincipal signedIn = signIn.principal();
        if (signedIn == null) {
            throw new IllegalStateException(this + " has not signed in");
        }
        return signedIn;
    }

    public boolean signedIn() {
        return signIn.signedIn();
    }

    /** The connection's sign-in, which the SASL exchange and the TLS handshake set. */
    public SaslExchange.State signIn() {
        return signIn;
    }

    /** The client's host as Kafka's group APIs show it: {@code /address}. */
    public String clientHost() {
        return remote instanceof InetSocketAddress address ? "/" + address.getAddress().getHostAddress()
                : String.valueOf(remote);
    }

    /** The connection's state of {@code type}, made by {@code create} on first use; it needs no release. */
    public <T> T state(Class<T> type, Supplier<? extends T> create) {
        return state(type, create, made -> {
        });
    }

    /**
     * The connection's state of {@code type}, made by {@code create} on first use; {@code release} is applied to it
     * once, when the connection ends, or as soon as it is made if the connection has ended already (a request still
     * being handled when its connection dropped), so that what it holds is never kept past the connection.
     */
    public <T> T state(Class<T> type, Supplier<? extends T> create, Consumer<? super T> release) {
        T made;
        synchronized (this) {
            Object known = states.get(type);
            if (known != null) {
                return type.cast(known);
            }
            made = create.get();
            states.put(type, made);
            if (!ended) {
                releases.add(() -> release.accept(made));
                return made;
            }
        }
        release.accept(made);
        return made;
    }

    /** The connection ended: its state is released (what was read ahead dropped, share sessions ended), once. */
    void closed() {
        List<Runnable> ending;
        synchronized (this) {
            ended = true;
            ending = List.copyOf(releases);
            releases.clear();
        }
        ending.forEach(Runnable::run);
    }

    /** Whether the connection ends once the answer being handled is sent (a failed sign-in). */
    boolean closing() {
        return signIn.closing();
    }

    private InetAddress address() {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    @Override
    public String toString() {
        return "Kafka connection #" + id + " from " + remote;
    }
}
