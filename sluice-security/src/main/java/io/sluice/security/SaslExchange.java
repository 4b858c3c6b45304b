package io.sluice.security;

import io.sluice.internal.scram.ScramMechanism;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.SaslMessages;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import reactor.core.publisher.Mono;

/**
 * A Kafka connection's SASL sign-in, the same at every Kafka listener (a gateway's, a partition service's):
 * SaslHandshake names the mechanism, answered with the ones offered ({@link SaslSignIn}: PLAIN with a users file,
 * OAUTHBEARER with JWT settings) and UNSUPPORTED_SASL_MECHANISM if it is not among them; SaslAuthenticate then carries
 * the credentials, which {@link SaslSignIn} checks. SCRAM-SHA-256 and SCRAM-SHA-512 take two SaslAuthenticate
 * rounds ({@link ScramServer}, kept on the connection between them): the first answers the client-first message with
 * the salt, iterations and nonce, the second checks the proof and answers with the server's signature. Success signs
 * the connection in as {@code User:<name>}, for good:
 * no re-authentication is asked (session lifetime 0). A failure is SASL_AUTHENTICATION_FAILED and ends the connection
 * after the answer.
 *
 * <p>Both handshake versions are offered, since librdkafka will not sign in with a broker that does not list version
 * 0, but only a version 1 handshake is taken: its tokens then travel in SaslAuthenticate requests. A version 0
 * handshake (raw tokens would follow, unframed; no client of the last seven years sends one when version 1 is offered)
 * is answered UNSUPPORTED_VERSION.
 *
 * <p>One more mechanism, {@value #FORWARDED}, is taken but never offered: a partition service that forwards a
 * signed-in client's requests to a gateway signs its connection in as that client's principal with the cluster
 * secret ({@link #forwardedCredentials}). It is taken only where a cluster secret is set, and only with it.
 */
public final class SaslExchange {

    /** The mechanism of a partition service forwarding a signed-in client's requests. */
    public static final String FORWARDED = "SLUICE-FORWARDED";

    /** What the exchange needs of a connection. Its methods run one request at a time. */
    public interface Connection {

        /** The mechanism the handshake chose; null before it. */
        String mechanism();

        void mechanism(String chosen);

        boolean signedIn();

        void signedIn(SluicePrincipal principal);

        /** Ends the connection once the answer to the request being handled is sent. */
        void closeAfterAnswer();

        /** The client's address, for the sign-in throttle; null when unknown. */
        InetAddress address();

        /** The SCRAM exchange between its two SaslAuthenticate rounds; null outside one. */
        ScramServer scram();

        void scram(ScramServer exchange);
    }

    /**
     * A connection's SASL state kept on its own, for a listener whose connections have no session object to keep it:
     * set by the exchange (from the thread that checks the credentials), read by the connection.
     */
    public static final class State implements Connection {

        private final Supplier<InetAddress> address;
        private volatile String mechanism;
        private volatile SluicePrincipal principal;
        private volatile boolean closing;
        private volatile ScramServer scram;

        /** {@code principal}: already signed in (security off: {@link SluicePrincipal#ANONYMOUS}), or null. */
        public State(SluicePrincipal principal, Supplier<InetAddress> address) {
            this.principal = principal;
            this.address = address;
        }

        /** The signed-in principal; null before the sign-in. */
        public SluicePrincipal principal() {
            return principal;
        }

        /** Whether the connection ends once the answer being handled is sent (a failed sign-in). */
        public boolean closing() {
            return closing;
        }

        @Override
        public String mechanism() {
            return mechanism;
        }

        @Override
        public void mechanism(String chosen) {
            mechanism = chosen;
        }

        @Override
        public boolean signedIn() {
            return principal != null;
        }

        @Override
        public void signedIn(SluicePrincipal who) {
            principal = who;
        }

        @Override
        public void closeAfterAnswer() {
            closing = true;
        }

        @Override
        public InetAddress address() {
            return address.get();
        }

        @Override
        public ScramServer scram() {
            return scram;
        }

        @Override
        public void scram(ScramServer exchange) {
            scram = exchange;
        }
    }

    private final SaslSignIn signIn;
    private final byte[] forwardingSecret;

    /** {@code forwardingSecret}: the cluster secret, with which {@value #FORWARDED} is taken; null: it is not. */
    public SaslExchange(SaslSignIn signIn, String forwardingSecret) {
        this.signIn = signIn;
        this.forwardingSecret = forwardingSecret == null || forwardingSecret.isEmpty() ? null
                : forwardingSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether clients must sign in before anything but ApiVersions and SASL (security is on). */
    public boolean required() {
        return signIn.required();
    }

    /** The mechanisms offered, in Kafka's names. */
    public List<String> mechanisms() {
        return signIn.mechanisms();
    }

    public SaslHandshakeResponseData handshake(SaslHandshakeRequestData data, short version, Connection connection) {
        SaslHandshakeResponseData answer = new SaslHandshakeResponseData().setMechanisms(signIn.mechanisms());
        if (version < 1) {
            return answer.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        }
        if (connection.mechanism() != null || connection.signedIn() && signIn.required()) {
            return answer.setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
        }
        boolean forwarded = FORWARDED.equals(data.mechanism()) && forwardingSecret != null && signIn.required();
        if (!forwarded && !signIn.mechanisms().contains(data.mechanism())) {
            return answer.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
        connection.mechanism(data.mechanism());
        return answer;
    }

    public Mono<SaslAuthenticateResponseData> authenticate(SaslAuthenticateRequestData data, Connection connection) {
        String mechanism = connection.mechanism();
        if (mechanism == null || connection.signedIn()) {
            connection.closeAfterAnswer();
            return Mono.just(new SaslAuthenticateResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate comes once, after a SaslHandshake"));
        }
        var scram = ScramMechanism.ofName(mechanism);
        if (scram.isPresent()) {
            return scramRound(scram.get(), data.authBytes(), connection);
        }
        Mono<SluicePrincipal> signedIn;
        try {
            signedIn = switch (mechanism) {
                case SaslSignIn.PLAIN -> {
                    SaslMessages.Plain plain = SaslMessages.plain(data.authBytes());
                    if (!plain.authorizationId().isEmpty() && !plain.authorizationId().equals(plain.user())) {
                        yield Mono.error(Errors.SASL_AUTHENTICATION_FAILED.exception(
                                "A user may only act as itself"));
                    }
                    yield signIn.plain(plain.user(), plain.password(), connection.address());
                }
                case SaslSignIn.OAUTHBEARER -> signIn.oauthBearer(SaslMessages.oauthBearerToken(data.authBytes()),
                        connection.address());
                case FORWARDED -> forwarded(data.authBytes());
                default -> Mono.error(Errors.UNSUPPORTED_SASL_MECHANISM.exception(mechanism));
            };
        } catch (IllegalArgumentException malformed) {
            signedIn = Mono.error(Errors.SASL_AUTHENTICATION_FAILED.exception(malformed.getMessage()));
        }
        return signedIn
                .map(principal -> {
                    connection.signedIn(principal);
                    return new SaslAuthenticateResponseData().setAuthBytes(new byte[0]).setSessionLifetimeMs(0);
                })
                .onErrorResume(e -> failed(e, connection));
    }

    /** One of SCRAM's two rounds: the first keeps the exchange on the connection, the second signs it in or not. */
    private Mono<SaslAuthenticateResponseData> scramRound(ScramMechanism mechanism, byte[] message,
                                                          Connection connection) {
        ScramServer exchange = connection.scram();
        try {
            if (exchange == null) {
                ScramServer started = signIn.scramServer(mechanism);
                return signIn.scramFirst(started, message, connection.address())
                        .map(serverFirst -> {
                            connection.scram(started);
                            return new SaslAuthenticateResponseData().setAuthBytes(serverFirst)
                                    .setSessionLifetimeMs(0);
                        })
                        .onErrorResume(e -> failed(e, connection));
            }
            connection.scram(null);
            return signIn.scramFinal(exchange, message, connection.address())
                    .map(done -> {
                        connection.signedIn(done.principal());
                        return new SaslAuthenticateResponseData().setAuthBytes(done.serverFinal())
                                .setSessionLifetimeMs(0);
                    })
                    .onErrorResume(e -> failed(e, connection));
        } catch (IllegalArgumentException malformed) {
            connection.scram(null);
            return failed(Errors.SASL_AUTHENTICATION_FAILED.exception(malformed.getMessage()), connection);
        }
    }

    private static Mono<SaslAuthenticateResponseData> failed(Throwable e, Connection connection) {
        connection.closeAfterAnswer();
        var failure = KafkaErrors.exception(e);
        return Mono.just(new SaslAuthenticateResponseData().setAuthBytes(new byte[0])
                .setErrorCode(Errors.forException(failure).code()).setErrorMessage(failure.getMessage()));
    }

    /** The authentication bytes of {@value #FORWARDED}: the cluster secret, NUL, the principal's name. */
    public static byte[] forwardedCredentials(String clusterSecret, SluicePrincipal principal) {
        return (clusterSecret + '\0' + principal.name()).getBytes(StandardCharsets.UTF_8);
    }

    private Mono<SluicePrincipal> forwarded(byte[] message) {
        int nul = -1;
        for (int i = 0; i < message.length && nul < 0; i++) {
            nul = message[i] == 0 ? i : -1;
        }
        byte[] secret = nul < 0 ? message : Arrays.copyOfRange(message, 0, nul);
        if (forwardingSecret == null || nul < 1 || nul == message.length - 1
                || !MessageDigest.isEqual(secret, forwardingSecret)) {
            return Mono.error(Errors.SASL_AUTHENTICATION_FAILED.exception(SaslSignIn.FAILED));
        }
        return Mono.just(new SluicePrincipal(new String(message, nul + 1, message.length - nul - 1,
                StandardCharsets.UTF_8)));
    }
}
