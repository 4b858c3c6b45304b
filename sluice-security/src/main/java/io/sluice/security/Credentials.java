package io.sluice.security;

import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramMechanism;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Checks what a client presents: a user name and password against {@link BasicUsers} (HTTP Basic, SASL PLAIN) or,
 * for a name the users file does not have, against the user's SCRAM credential ({@link ScramCredentialCache}: the
 * password salted and hashed with the credential's salt and iterations must give its StoredKey); a JWT through the
 * decoder, its principal claim naming the user (HTTP Bearer, SASL OAUTHBEARER). Says nothing about why credentials
 * failed: the caller answers every failure alike.
 */
public final class Credentials {

    /** What a client presented and how it fared; {@code throttleKeys} are the keys its failures count against. */
    public sealed interface Outcome {
        /** {@code expiresAt}: when the credential stops being good (a token's {@code exp}); null: never. */
        record Authenticated(SluicePrincipal principal, List<String> throttleKeys, Instant expiresAt)
                implements Outcome {

            public Authenticated(SluicePrincipal principal, List<String> throttleKeys) {
                this(principal, throttleKeys, null);
            }
        }

        record Failed(List<String> throttleKeys) implements Outcome {
        }

        record Missing() implements Outcome {
        }
    }

    private static final byte[] UNKNOWN_SALT = "no such user".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final BasicUsers users;
    private final ReactiveJwtDecoder jwts;
    private final String principalClaim;
    private final ScramCredentialCache scram;

    /** {@code users} and {@code jwts} may be null: that scheme is then refused. */
    public Credentials(BasicUsers users, ReactiveJwtDecoder jwts, String principalClaim) {
        this(users, jwts, principalClaim, null);
    }

    /** {@code scram}: the cluster's SCRAM credentials, which passwords are also checked against; null: not. */
    public Credentials(BasicUsers users, ReactiveJwtDecoder jwts, String principalClaim, ScramCredentialCache scram) {
        this.users = users;
        this.jwts = jwts;
        this.principalClaim = principalClaim;
        this.scram = scram;
    }

    /** These credentials, with passwords also checked against the cluster's SCRAM credentials. */
    public Credentials withScram(ScramCredentialCache credentials) {
        return new Credentials(users, jwts, principalClaim, credentials);
    }

    /**
     * Who can sign in as {@code properties} say: null while security is off. Security on with neither a users file
     * nor JWT settings fails the start.
     */
    public static Credentials of(SecurityProperties properties) {
        if (!properties.enabled()) {
            return null;
        }
        BasicUsers users = properties.basic().usersFile() != null ? BasicUsers.read(properties.basic().usersFile())
                : null;
        ReactiveJwtDecoder jwts = properties.jwt().configured() ? JwtDecoders.of(properties.jwt()) : null;
        if (users == null && jwts == null) {
            throw new IllegalStateException("sluice.security.enabled is true but no one can sign in: set "
                    + "sluice.security.basic.users-file, or sluice.security.jwt.jwk-set-uri or public-key-file");
        }
        return new Credentials(users, jwts, properties.jwt().principalClaim());
    }

    /**
     * A user name and password against the users file; a name it does not have, against the user's SCRAM credential
     * (SCRAM-SHA-512's if it has both).
     */
    public Mono<Outcome> password(String name, String password, List<String> keys) {
        if (users == null && scram == null) {
            return Mono.just(new Outcome.Failed(keys));
        }
        // bcrypt and SCRAM's iterations are milliseconds of CPU: never on the event loop.
        return Mono.fromCallable(() -> verify(name, password)
                        .<Outcome>map(p -> new Outcome.Authenticated(p, keys)).orElse(new Outcome.Failed(keys)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Every check costs one bcrypt comparison (with a users file) and one SCRAM salting (with SCRAM credentials),
     * whichever kind of user the name is or whether it is one, so that timing does not tell the kinds apart.
     */
    private Optional<SluicePrincipal> verify(String name, String password) {
        boolean inFile = users != null && users.names().contains(name);
        Optional<ScramCredential> credential = inFile || scram == null ? Optional.empty()
                : scram.find(name, ScramMechanism.SCRAM_SHA_512)
                        .or(() -> scram.find(name, ScramMechanism.SCRAM_SHA_256));
        Optional<SluicePrincipal> fromFile = users == null ? Optional.empty()
                : users.verify(name, password).filter(p -> inFile);
        if (credential.isPresent()) {
            return Scram.matches(credential.get(), password) ? Optional.of(new SluicePrincipal(name))
                    : Optional.empty();
        }
        if (scram != null) {
            Scram.saltedPassword(ScramMechanism.SCRAM_SHA_512, ("unknown:" + password).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), UNKNOWN_SALT, ScramMechanism.MIN_ITERATIONS);
        }
        return fromFile;
    }

    /** A JWT through the decoder, its principal claim naming the user. */
    public Mono<Outcome> bearer(String token, List<String> keys) {
        if (jwts == null) {
            return Mono.just(new Outcome.Failed(keys));
        }
        return jwts.decode(token)
                .<Outcome>map(jwt -> {
                    String name = jwt.getClaimAsString(principalClaim);
                    return name == null || name.isBlank() ? new Outcome.Failed(keys)
                            : new Outcome.Authenticated(new SluicePrincipal(name), keys, jwt.getExpiresAt());
                })
                .onErrorResume(invalid -> Mono.just(new Outcome.Failed(keys)));
    }

    /** The names of the users file's users; none without a users file (bearer tokens name their own). */
    public List<String> userNames() {
        return users == null ? List.of() : users.names();
    }

    /** Whether users sign in with a password: a users file, or SCRAM credentials. */
    public boolean acceptsPasswords() {
        return users != null || scram != null;
    }

    public boolean acceptsBearerTokens() {
        return jwts != null;
    }
}
