package io.sluice.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Turns a request's credentials into a principal: {@code Authorization: Basic} against {@link BasicUsers},
 * {@code Authorization: Bearer} through the JWT decoder, or, on an SSE request only, a stream token in
 * {@code ?access_token=}; and the same passwords and tokens for the Kafka listener's SASL ({@link SaslSignIn}). Says nothing about why credentials failed: the caller answers every failure alike.
 */
final class Authenticator {

    static final String ACCESS_TOKEN = "access_token";

    /** What a request presented and how it fared; {@code throttleKeys} are the keys its failures count against. */
    sealed interface Outcome {
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
    private final StreamTokens streamTokens;

    /** {@code users} and {@code jwts} may be null: that scheme is then refused. */
    Authenticator(BasicUsers users, ReactiveJwtDecoder jwts, String principalClaim, StreamTokens streamTokens) {
        this.users = users;
        this.jwts = jwts;
        this.principalClaim = principalClaim;
        this.streamTokens = streamTokens;
    }

    /** The keys this request's failures would be counted under, known before anything is checked. */
    List<String> throttleKeys(ServerHttpRequest request) {
        List<String> keys = new ArrayList<>(2);
        if (request.getRemoteAddress() != null && request.getRemoteAddress().getAddress() != null) {
            keys.add("address:" + request.getRemoteAddress().getAddress().getHostAddress());
        }
        basicCredentials(request).ifPresent(credentials -> keys.add("user:" + credentials.name()));
        return keys;
    }

    Mono<Outcome> authenticate(ServerHttpRequest request) {
        List<String> keys = throttleKeys(request);
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            String token = request.getQueryParams().getFirst(ACCESS_TOKEN);
            if (token == null) {
                return Mono.just(new Outcome.Missing());
            }
            return Mono.just(isStream(request)
                    ? streamTokens.verify(token).<Outcome>map(p -> new Outcome.Authenticated(p, keys))
                            .orElse(new Outcome.Failed(keys))
                    : new Outcome.Failed(keys));
        }
        if (startsWithScheme(authorization, "Basic")) {
            Optional<BasicCredentials> credentials = basicCredentials(request);
            if (credentials.isEmpty()) {
                return Mono.just(new Outcome.Failed(keys));
            }
            return password(credentials.get().name(), credentials.get().password(), keys);
        }
        if (startsWithScheme(authorization, "Bearer")) {
            return bearer(authorization.substring("Bearer".length()).strip(), keys);
        }
        return Mono.just(new Outcome.Failed(keys));
    }

    /** A user name and password against the users file (HTTP Basic, and SASL/PLAIN on the Kafka listener). */
    Mono<Outcome> password(String name, String password, List<String> keys) {
        if (users == null) {
            return Mono.just(new Outcome.Failed(keys));
        }
        // bcrypt is tens of milliseconds of CPU: never on the event loop.
        return Mono.fromCallable(() -> users.verify(name, password)
                        .<Outcome>map(p -> new Outcome.Authenticated(p, keys)).orElse(new Outcome.Failed(keys)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** A JWT through the decoder, its principal claim naming the user (HTTP Bearer, and SASL/OAUTHBEARER). */
    Mono<Outcome> bearer(String token, List<String> keys) {
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

    boolean acceptsPasswords() {
        return users != null;
    }

    boolean acceptsBearerTokens() {
        return jwts != null;
    }

    /** A GET asking for Server-Sent Events: the only requests a stream token is good for. */
    static boolean isStream(ServerHttpRequest request) {
        return HttpMethod.GET.equals(request.getMethod())
                && request.getHeaders().getAccept().stream().anyMatch(MediaType.TEXT_EVENT_STREAM::equalsTypeAndSubtype);
    }

    private static boolean startsWithScheme(String authorization, String scheme) {
        return authorization.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1);
    }

    private record BasicCredentials(String name, String password) {
    }

    /** The name and password of a well-formed Basic header; empty for none or a malformed one. */
    private static Optional<BasicCredentials> basicCredentials(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !startsWithScheme(authorization, "Basic")) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 1 ? Optional.empty()
                    : Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
