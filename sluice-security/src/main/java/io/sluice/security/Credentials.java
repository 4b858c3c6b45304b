package io.sluice.security;

import java.util.List;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Checks what a client presents: a user name and password against {@link BasicUsers} (HTTP Basic, SASL PLAIN), a JWT
 * through the decoder, its principal claim naming the user (HTTP Bearer, SASL OAUTHBEARER). Says nothing about why
 * credentials failed: the caller answers every failure alike.
 */
public final class Credentials {

    /** What a client presented and how it fared; {@code throttleKeys} are the keys its failures count against. */
    public sealed interface Outcome {
        record Authenticated(SluicePrincipal principal, List<String> throttleKeys) implements Outcome {
        }

        record Failed(List<String> throttleKeys) implements Outcome {
        }

        record Missing() implements Outcome {
        }
    }

    private final BasicUsers users;
    private final ReactiveJwtDecoder jwts;
    private final String principalClaim;

    /** {@code users} and {@code jwts} may be null: that scheme is then refused. */
    public Credentials(BasicUsers users, ReactiveJwtDecoder jwts, String principalClaim) {
        this.users = users;
        this.jwts = jwts;
        this.principalClaim = principalClaim;
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

    /** A user name and password against the users file. */
    public Mono<Outcome> password(String name, String password, List<String> keys) {
        if (users == null) {
            return Mono.just(new Outcome.Failed(keys));
        }
        // bcrypt is tens of milliseconds of CPU: never on the event loop.
        return Mono.fromCallable(() -> users.verify(name, password)
                        .<Outcome>map(p -> new Outcome.Authenticated(p, keys)).orElse(new Outcome.Failed(keys)))
                .subscribeOn(Schedulers.boundedElastic());
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
                            : new Outcome.Authenticated(new SluicePrincipal(name), keys);
                })
                .onErrorResume(invalid -> Mono.just(new Outcome.Failed(keys)));
    }

    /** The names of the users file's users; none without a users file (bearer tokens name their own). */
    public List<String> userNames() {
        return users == null ? List.of() : users.names();
    }

    public boolean acceptsPasswords() {
        return users != null;
    }

    public boolean acceptsBearerTokens() {
        return jwts != null;
    }
}
