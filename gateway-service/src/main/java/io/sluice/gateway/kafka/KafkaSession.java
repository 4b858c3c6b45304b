package io.sluice.gateway.kafka;

import io.sluice.gateway.security.SluicePrincipal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One client connection to the Kafka listener and who it is. With security off every connection is
 * {@link SluicePrincipal#ANONYMOUS}; with it on a connection has no principal until it signs in with SASL
 * (SaslHandshake picks the mechanism, SaslAuthenticate checks the credentials), and before that it may only ask
 * ApiVersions and those two. A failed sign-in ends the connection once its answer is sent, as Kafka's does.
 *
 * <p>Requests of a connection are handled one at a time ({@link KafkaListener}), so the state below changes between
 * requests only; it is volatile for the threads that handle successive requests.
 */
final class KafkaSession {

    private final long id;
    private final SocketAddress remote;
    private volatile SluicePrincipal principal;
    private volatile String mechanism;
    private volatile boolean closing;
    private ReadAhead readAhead;
    private final ShareSessions shareSessions = new ShareSessions();
    private final ImplicitAdds implicitAdds = new ImplicitAdds();
    private final FetchSession fetchSession = new FetchSession(
            () -> ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
    private boolean ended;

    KafkaSession(long id, SocketAddress remote, boolean signInRequired) {
        this.id = id;
        this.remote = remote;
        this.principal = signInRequired ? null : SluicePrincipal.ANONYMOUS;
    }

    /** The signed-in principal, {@link SluicePrincipal#ANONYMOUS} with security off. */
    SluicePrincipal principal() {
        SluicePrincipal signedIn = principal;
        if (signedIn == null) {
            throw new IllegalStateException(this + " has not signed in");
        }
        return signedIn;
    }

    boolean signedIn() {
        return principal != null;
    }

    void signedIn(SluicePrincipal who) {
        this.principal = who;
    }

    /** What this connection's transactional producers added to their transactions by producing. */
    ImplicitAdds implicitAdds() {
        return implicitAdds;
    }

    /** The client's host as Kafka's group APIs show it: {@code /address}. */
    String clientHost() {
        return remote instanceof InetSocketAddress address ? "/" + address.getAddress().getHostAddress()
                : String.valueOf(remote);
    }

    /** The SASL mechanism the handshake chose, null before it. */
    String mechanism() {
        return mechanism;
    }

    void mechanism(String chosen) {
        this.mechanism = chosen;
    }

    /** The connection's sections read ahead ({@link FetchApi}), made by {@code create} on first use. */
    synchronized ReadAhead readAhead(Supplier<ReadAhead> create) {
        if (readAhead == null) {
            readAhead = create.get();
            if (ended) {
                readAhead.close();
            }
        }
        return readAhead;
    }

    /** The connection's fetch session ({@link FetchApi}). */
    FetchSession fetchSession() {
        return fetchSession;
    }

    /** The connection's share sessions ({@link ShareFetchApi}, {@link ShareAcknowledgeApi}). */
    ShareSessions shareSessions() {
        return shareSessions;
    }

    /** The connection ended: what was read ahead for it is dropped, and nothing more is. */
    synchronized void closed() {
        ended = true;
        if (readAhead != null) {
            readAhead.close();
        }
    }

    /** Ends the connection once the answer to the request being handled is sent. */
    void closeAfterAnswer() {
        this.closing = true;
    }

    boolean closing() {
        return closing;
    }

    InetAddress address() {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    @Override
    public String toString() {
        return "Kafka connection #" + id + " from " + remote;
    }
}
