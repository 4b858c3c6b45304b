package io.sluice.security;

import io.sluice.internal.scram.ScramMechanism;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.SaslMessages;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import reactor.core.publisher.Mono;

/**
 * A Kafka connection's SASL sign-in, the same at every Kafka listener (a gateway's, a partition service's):
 * SaslHandshake names the mechanism, answered with the ones offered ({@link SaslSignIn}: PLAIN with a users file,
 * OAUTHBEARER with JWT settings) and UNSUPPORTED_SASL_MECHANISM if it is not among them; SaslAuthenticate then carries
 * the credentials, which {@link SaslSignIn} checks. SCRAM-SHA-256 and SCRAM-SHA-512 take two SaslAuthenticate
 * rounds ({@link ScramServer}, kept on the connection between them): the first answers the client-first message with
 * the salt, iterations and nonce, the second checks the proof and answers with the server's signature. Success signs
 * the connection in as {@code User:<name>}. A failure is SASL_AUTHENTICATION_FAILED and ends the connection after the
 * answer.
 *
 * <p>Re-authentication (KIP-368): SaslAuthenticate answers how long the sign-in lasts ({@code session_lifetime_ms}),
 * as Kafka's brokers compute it: an OAUTHBEARER sign-in until its token expires, any sign-in at most
 * {@code sluice.security.sasl.max-session-lifetime} (Kafka's {@code connections.max.reauth.ms}; 0: no limit), and
 * 0 — for good — when neither applies. Before the session ends the client signs in again on the same connection
 * (SaslHandshake, then SaslAuthenticate), with the same mechanism and as the same principal, or the sign-in fails and
 * the connection ends; once it has ended, any request but those two closes the connection ({@link #refusal}).
 *
 * <p>A connection may already be signed in by its TLS client certificate ({@link State#signedInByCertificate}); a
 * SASL sign-in over it replaces that principal, as on Kafka's SASL_SSL listeners.
 *
 * <p>Both handshake versions are offered, since librdkafka will not sign in with a broker that does not list version
 * 0, but only a version 1 handshake is taken: its tokens then travel in SaslAuthenticate requests. A version 0
 * handshake (raw tokens would follow, unframed; no client of the last seven years sends one when version 1 is offered)
 * is answered UNSUPPORTED_VERSION.
 *
 * <p>One more mechanism, {@value #FORWARDED}, is taken but never offered: a partition service that forwards a
 * signed-in client's requests to a gateway signs its connection in as that client's principal with the cluster
 * secret ({@link #forwardedCredentials}). It is taken only where a cluster secret is set, and only with it; its
 * session does not end (the client's own session is held to its lifetime where the client is connected).
 */
public final class SaslExchange {

    /** The mechanism of a partition service forwarding a signed-in client's requests. */
    public static final String FORWARDED = "SLUICE-FORWARDED";

    /** What a connection may ask before it signed in, while security is on. */
    private static final Set<ApiKeys> BEFORE_SIGN_IN = EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE,
            ApiKeys.SASL_AUTHENTICATE);

    /**
     * A connection's sign-in: who it is, how it signed in, until when, and a SASL exchange in progress. Set by the
     * exchange (from the thread that checks the credentials) and read by the connection's requests, which are handled
     * one at a time; hence volatile.
     */
    public static final class State {

        private final Supplier<InetAddress> address;
        private volatile String mechanism;
        private volatile SluicePrincipal principal;
        /** The mechanism of the SASL sign-in in force; null: none (not signed in, by certificate, security off). */
        private volatile String signedInWith;
        /** When the SASL session ends (epoch milliseconds); {@link Long#MAX_VALUE}: never. */
        private volatile long sessionEndsAt = Long.MAX_VALUE;
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

        public boolean signedIn() {
            return principal != null;
        }

        /**
         * The client's TLS certificate was verified and maps to {@code who}: the connection is signed in as it, unless
         * it signed in with SASL already.
         */
        public void signedInByCertificate(SluicePrincipal who) {
            if (signedInWith == null) {
                principal = who;
            }
        }

        /** Whether the connection ends once the answer being handled is sent (a failed sign-in). */
        public boolean closing() {
            return closing;
        }

        /** Ends the connection once the answer to the request being handled is sent. */
        public void closeAfterAnswer() {
            closing = true;
        }

        /** The mechanism the handshake chose, while its SaslAuthenticate rounds are to come; null otherwise. */
        public String mechanism() {
            return mechanism;
        }

        void mechanism(String chosen) {
            mechanism = chosen;
        }

        /** The client's address, for the sign-in throttle; null when unknown. */
        InetAddress address() {
            return address.get();
        }

        void signedIn(SluicePrincipal who, String with, long endsAt) {
            principal = who;
            signedInWith = with;
            sessionEndsAt = endsAt;
            mechanism = null;
        }

        /** Whether the SASL session has ended at {@code now} (epoch milliseconds). */
        boolean ended(long now) {
            return now >= sessionEndsAt;
        }

        /** The SCRAM exchange between its two SaslAuthenticate rounds; null outside one. */
        ScramServer scram() {
            return scram;
        }

        void scram(ScramServer exchange) {
            scram = exchange;
        }
    }

    private final SaslSignIn signIn;
    private final byte[] forwardingSecret;
    private final Duration maxSessionLifetime;
    private final Clock clock;

    /** {@code forwardingSecret}: the cluster secret, with which {@value #FORWARDED} is taken; null: it is not. */
    public SaslExchange(SaslSignIn signIn, String forwardingSecret) {
        this(signIn, forwardingSecret, Duration.ZERO, Clock.systemUTC());
    }

    /**
     * @param maxSessionLifetime how long a sign-in lasts at most ({@code sluice.security.sasl.max-session-lifetime});
     *                           zero: no limit but a token's own
     * @param clock              what session ends and token expiries are measured with
     */
    public SaslExchange(SaslSignIn signIn, String forwardingSecret, Duration maxSessionLifetime, Clock clock) {
        this.signIn = signIn;
        this.forwardingSecret = forwardingSecret == null || forwardingSecret.isEmpty() ? null
                : forwardingSecret.getBytes(StandardCharsets.UTF_8);
        this.maxSessionLifetime = maxSessionLifetime;
        this.clock = clock;
    }

    /** Whether clients must sign in before anything but ApiVersions and SASL (security is on). */
    public boolean required() {
        return signIn.required();
    }

    /** The mechanisms offered, in Kafka's names. */
    public List<String> mechanisms() {
        return signIn.mechanisms();
    }

    /**
     * Why {@code connection} may not ask {@code api} now — it has not signed in and asks more than ApiVersions and
     * SASL, or its SASL session has ended and it asks anything but to sign in again — or null when it may. A listener
     * closes a connection that asks what it may not, as Kafka's brokers do.
     */
    public String refusal(State connection, ApiKeys api) {
        if (!connection.signedIn()) {
            return BEFORE_SIGN_IN.contains(api) ? null : api + " before SASL authentication";
        }
        boolean signingInAgain = api == ApiKeys.SASL_HANDSHAKE
                || api == ApiKeys.SASL_AUTHENTICATE && connection.mechanism() != null;
        return connection.ended(clock.millis()) && !signingInAgain
                ? api + " after its SASL session ended, without signing in again (KIP-368)" : null;
    }

    public SaslHandshakeResponseData handshake(SaslHandshakeRequestData data, short version, State connection) {
        SaslHandshakeResponseData answer = new SaslHandshakeResponseData().setMechanisms(signIn.mechanisms());
        if (version < 1) {
            return answer.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        }
        if (connection.mechanism() != null) {
            return answer.setErrorCode(Errors.ILLEGAL_SASL_STATE.code());
        }
        boolean forwarded = FORWARDED.equals(data.mechanism()) && forwardingSecret != null && signIn.required();
        if (!forwarded && !signIn.mechanisms().contains(data.mechanism())) {
            return answer.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
        String before = connection.signedInWith;
        if (before != null && !before.equals(data.mechanism())) {
            // Kafka's brokers take no other mechanism when a connection signs in again, and end it.
            connection.closeAfterAnswer();
            return answer.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
        }
        connection.mechanism(data.mechanism());
        return answer;
    }

    public Mono<SaslAuthenticateResponseData> authenticate(SaslAuthenticateRequestData data, State connection) {
        String mechanism = connection.mechanism();
        if (mechanism == null) {
            connection.closeAfterAnswer();
            return Mono.just(new SaslAuthenticateResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate comes once, after a SaslHandshake"));
        }
        var scram = ScramMechanism.ofName(mechanism);
        if (scram.isPresent()) {
            return scramRound(scram.get(), data.authBytes(), connection);
        }
        Mono<SaslSignIn.SignedIn> signedIn;
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
                .map(done -> complete(connection, mechanism, done, new byte[0]))
                .onErrorResume(e -> failed(e, connection));
    }

    /**
     * Signs {@code connection} in as {@code done} says and answers with the session's lifetime; a sign-in again as
     * another principal fails instead, as at Kafka's brokers.
     */
    private SaslAuthenticateResponseData complete(State connection, String mechanism, SaslSignIn.SignedIn done,
                                                  byte[] authBytes) {
        SluicePrincipal before = connection.principal();
        if (connection.signedInWith != null && !done.principal().equals(before)) {
            throw Errors.SASL_AUTHENTICATION_FAILED.exception("Cannot change principals during re-authentication "
                    + "from " + before + " to " + done.principal());
        }
        long now = clock.millis();
        long lifetime = FORWARDED.equals(mechanism) ? -1 : sessionLifetime(done.expiresAt(), now);
        connection.signedIn(done.principal(), mechanism, lifetime < 0 ? Long.MAX_VALUE : now + lifetime);
        return new SaslAuthenticateResponseData().setAuthBytes(authBytes).setSessionLifetimeMs(Math.max(0,
                lifetime));
    }

    /**
     * Milliseconds the session lasts from {@code now}, as Kafka's brokers compute it: the credential's remaining life,
     * at most the configured maximum; -1 when neither limits it (it lasts for good).
     */
    private long sessionLifetime(Instant credentialExpires, long now) {
        boolean limited = !maxSessionLifetime.isZero();
        if (credentialExpires == null) {
            return limited ? maxSessionLifetime.toMillis() : -1;
        }
        long remaining = Math.max(0, credentialExpires.toEpochMilli() - now);
        return limited ? Math.min(remaining, maxSessionLifetime.toMillis()) : remaining;
    }

    /** One of SCRAM's two rounds: the first keeps the exchange on the connection, the second signs it in or not. */
    private Mono<SaslAuthenticateResponseData> scramRound(ScramMechanism mechanism, byte[] message,
                                                          State connection) {
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
                    .map(done -> complete(connection, mechanism.mechanismName(),
                            new SaslSignIn.SignedIn(done.principal(), null), done.serverFinal()))
                    .onErrorResume(e -> failed(e, connection));
        } catch (IllegalArgumentException malformed) {
            connection.scram(null);
            return failed(Errors.SASL_AUTHENTICATION_FAILED.exception(malformed.getMessage()), connection);
        }
    }

    private static Mono<SaslAuthenticateResponseData> failed(Throwable e, State connection) {
        connection.closeAfterAnswer();
        var failure = KafkaErrors.exception(e);
        return Mono.just(new SaslAuthenticateResponseData().setAuthBytes(new byte[0])
                .setErrorCode(Errors.forException(failure).code()).setErrorMessage(failure.getMessage()));
    }

    /** The authentication bytes of {@value #FORWARDED}: the cluster secret, NUL, the principal's name. */
    public static byte[] forwardedCredentials(String clusterSecret, SluicePrincipal principal) {
        return (clusterSecret + '\0' + principal.name()).getBytes(StandardCharsets.UTF_8);
    }

    private Mono<SaslSignIn.SignedIn> forwarded(byte[] message) {
        int nul = -1;
        for (int i = 0; i < message.length && nul < 0; i++) {
            nul = message[i] == 0 ? i : -1;
        }
        byte[] secret = nul < 0 ? message : Arrays.copyOfRange(message, 0, nul);
        if (forwardingSecret == null || nul < 1 || nul == message.length - 1
                || !MessageDigest.isEqual(secret, forwardingSecret)) {
            return Mono.error(Errors.SASL_AUTHENTICATION_FAILED.exception(SaslSignIn.FAILED));
        }
        return Mono.just(new SaslSignIn.SignedIn(new SluicePrincipal(new String(message, nul + 1,
                message.length - nul - 1, StandardCharsets.UTF_8)), null));
    }
}
