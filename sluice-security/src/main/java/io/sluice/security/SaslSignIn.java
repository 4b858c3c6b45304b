package io.sluice.security;

import io.sluice.internal.scram.ScramMechanism;
import io.sluice.protocol.ErrorCode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Sign-in on the Kafka listener (SASL): PLAIN checks a user name and password against the users file (or the user's
 * SCRAM credential), OAUTHBEARER a JWT against the JWT settings — the same credentials as HTTP Basic and Bearer,
 * through the same {@link Credentials} — and SCRAM-SHA-256 and SCRAM-SHA-512 ({@link ScramServer}) against the
 * cluster's SCRAM credentials ({@link ScramCredentialCache}); all with the same brute-force throttle: failed sign-ins
 * count per client address and user name over both protocols together. Every failure is answered alike (SASL_AUTHENTICATION_FAILED with one message), a
 * throttled one included, so that the answer gives nothing away. While security is off there are no mechanisms.
 *
 * <p>Thread-safe.
 */
public final class SaslSignIn {

    public static final String PLAIN = "PLAIN";
    public static final String OAUTHBEARER = "OAUTHBEARER";
    static final String FAILED = "Authentication failed: invalid credentials, or too many failed sign-ins";

    private final Credentials credentials;
    private final LoginThrottle throttle;
    private final ScramCredentialCache scram;
    private final byte[] unknownUserKey;
    private final SecureRandom random = new SecureRandom();

    /** Both null while security is off; no SCRAM. */
    public SaslSignIn(Credentials credentials, LoginThrottle throttle) {
        this(credentials, throttle, null, null);
    }

    /**
     * @param scram         the cluster's SCRAM credentials; null: no SCRAM (and always while security is off)
     * @param clusterSecret what made-up salts of unknown users are derived from, so that every listener of the cluster
     *                      makes the same; null: a random key of this process
     */
    public SaslSignIn(Credentials credentials, LoginThrottle throttle, ScramCredentialCache scram,
                      String clusterSecret) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.scram = credentials == null ? null : scram;
        this.unknownUserKey = unknownUserKey(clusterSecret, random);
    }

    /** Whether Kafka clients must sign in (security is on). */
    public boolean required() {
        return credentials != null;
    }

    /** The SASL mechanisms clients may use, in Kafka's names. */
    public List<String> mechanisms() {
        List<String> mechanisms = new ArrayList<>(2);
        if (credentials != null && credentials.acceptsPasswords()) {
            mechanisms.add(PLAIN);
        }
        if (credentials != null && credentials.acceptsBearerTokens()) {
            mechanisms.add(OAUTHBEARER);
        }
        if (scram != null) {
            for (ScramMechanism mechanism : ScramMechanism.values()) {
                mechanisms.add(mechanism.mechanismName());
            }
        }
        return mechanisms;
    }

    /** A new server side of a SCRAM exchange of {@code mechanism}, against the cluster's credentials. */
    public ScramServer scramServer(ScramMechanism mechanism) {
        if (scram == null) {
            throw ErrorCode.SECURITY_DISABLED.exception("SCRAM is not offered");
        }
        return new ScramServer(mechanism, scram::find, unknownUserKey, random);
    }

    /**
     * The first round of a SCRAM sign-in: the server-first message, or SASL_AUTHENTICATION_FAILED when the client's
     * address or the user it names is throttled.
     */
    public Mono<byte[]> scramFirst(ScramServer server, byte[] clientFirst, InetAddress from) {
        byte[] answer = server.first(clientFirst);
        List<String> keys = keys(from);
        keys.add("user:" + server.user());
        return throttle.retryAfter(keys).isPresent()
                ? Mono.error(ErrorCode.SASL_AUTHENTICATION_FAILED.exception(FAILED)) : Mono.just(answer);
    }

    /** The principal and server-final message of a SCRAM sign-in the client proved. */
    public record ScramSignedIn(SluicePrincipal principal, byte[] serverFinal) {
    }

    /**
     * The last round of a SCRAM sign-in: the principal and the server-final message when the client proved the
     * password, else SASL_AUTHENTICATION_FAILED, counted against the throttle as a wrong PLAIN password is.
     */
    public Mono<ScramSignedIn> scramFinal(ScramServer server, byte[] clientFinal, InetAddress from) {
        List<String> keys = keys(from);
        keys.add("user:" + server.user());
        if (throttle.retryAfter(keys).isPresent()) {
            return Mono.error(ErrorCode.SASL_AUTHENTICATION_FAILED.exception(FAILED));
        }
        Optional<byte[]> serverFinal = server.last(clientFinal);
        if (serverFinal.isEmpty()) {
            throttle.failed(keys);
            return Mono.error(ErrorCode.SASL_AUTHENTICATION_FAILED.exception(FAILED));
        }
        throttle.succeeded(keys);
        return Mono.just(new ScramSignedIn(new SluicePrincipal(server.user()), serverFinal.get()));
    }

    private static byte[] unknownUserKey(String clusterSecret, SecureRandom random) {
        if (clusterSecret == null || clusterSecret.isEmpty()) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            return key;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(("sluice-scram-unknown-users|" + clusterSecret)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Who signed in, and until when the credential is good ({@code expiresAt}: a token's {@code exp}; null for a
     * password, which does not expire).
     */
    public record SignedIn(SluicePrincipal principal, Instant expiresAt) {
    }

    /** The principal {@code user} signs in as with {@code password}, or SASL_AUTHENTICATION_FAILED. */
    public Mono<SignedIn> plain(String user, String password, InetAddress from) {
        List<String> keys = keys(from);
        keys.add("user:" + user);
        return signIn(keys, () -> credentials.password(user, password, keys));
    }

    /** The principal a bearer token names and when the token expires, or SASL_AUTHENTICATION_FAILED. */
    public Mono<SignedIn> oauthBearer(String token, InetAddress from) {
        List<String> keys = keys(from);
        return signIn(keys, () -> credentials.bearer(token, keys));
    }

    private Mono<SignedIn> signIn(List<String> keys,
                                         java.util.function.Supplier<Mono<Credentials.Outcome>> check) {
        if (credentials == null) {
            return Mono.error(ErrorCode.SECURITY_DISABLED.exception("Security is off: no SASL sign-in is needed"));
        }
        if (throttle.retryAfter(keys).isPresent()) {
            return Mono.error(ErrorCode.SASL_AUTHENTICATION_FAILED.exception(FAILED));
        }
        return Mono.defer(check).flatMap(outcome -> {
            if (outcome instanceof Credentials.Outcome.Authenticated(SluicePrincipal principal, List<String> k,
                                                                     Instant expiresAt)) {
                throttle.succeeded(k);
                return Mono.just(new SignedIn(principal, expiresAt));
            }
            throttle.failed(keys);
            return Mono.error(ErrorCode.SASL_AUTHENTICATION_FAILED.exception(FAILED));
        });
    }

    private static List<String> keys(InetAddress from) {
        List<String> keys = new ArrayList<>(2);
        Optional.ofNullable(from).ifPresent(address -> keys.add("address:" + address.getHostAddress()));
        return keys;
    }
}
