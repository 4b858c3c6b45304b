package io.sluice.security;

import io.sluice.protocol.ErrorCode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Sign-in on the Kafka listener (SASL): PLAIN checks a user name and password against the users file, OAUTHBEARER a
 * JWT against the JWT settings — the same credentials as HTTP Basic and Bearer, through the same
 * {@link Credentials}, and the same brute-force throttle: failed sign-ins count per client address and user name
 * over both protocols together. Every failure is answered alike (SASL_AUTHENTICATION_FAILED with one message), a
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

    /** Both null while security is off. */
    public SaslSignIn(Credentials credentials, LoginThrottle throttle) {
        this.credentials = credentials;
        this.throttle = throttle;
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
        return mechanisms;
    }

    /** The principal {@code user} signs in as with {@code password}, or SASL_AUTHENTICATION_FAILED. */
    public Mono<SluicePrincipal> plain(String user, String password, InetAddress from) {
        List<String> keys = keys(from);
        keys.add("user:" + user);
        return signIn(keys, () -> credentials.password(user, password, keys));
    }

    /** The principal a bearer token names, or SASL_AUTHENTICATION_FAILED. */
    public Mono<SluicePrincipal> oauthBearer(String token, InetAddress from) {
        List<String> keys = keys(from);
        return signIn(keys, () -> credentials.bearer(token, keys));
    }

    private Mono<SluicePrincipal> signIn(List<String> keys,
                                         java.util.function.Supplier<Mono<Credentials.Outcome>> check) {
        if (credentials == null) {
            return Mono.error(ErrorCode.SECURITY_DISABLED.exception("Security is off: no SASL sign-in is needed"));
        }
        if (throttle.retryAfter(keys).isPresent()) {
            return Mono.error(ErrorCode.SASL_AUTHENTICATION_FAILED.exception(FAILED));
        }
        return Mono.defer(check).flatMap(outcome -> {
            if (outcome instanceof Credentials.Outcome.Authenticated(SluicePrincipal principal, List<String> k)) {
                throttle.succeeded(k);
                return Mono.just(principal);
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
