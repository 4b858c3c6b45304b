package io.sluice.gateway.security;

import io.sluice.security.ClientCertificate;
import io.sluice.security.Credentials;
import io.sluice.security.PrincipalMappingRules;
import io.sluice.security.Credentials.Outcome;
import io.sluice.security.SaslSignIn;
import io.sluice.security.SluicePrincipal;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import reactor.core.publisher.Mono;

/**
 * Turns an HTTP request's credentials into a principal: {@code Authorization: Basic} and {@code Authorization: Bearer}
 * through the {@link Credentials} every listener checks (the Kafka listeners' SASL too, {@link SaslSignIn}), or, on
 * an SSE request only, a stream token in {@code ?access_token=}; without any of those, the TLS client certificate the
 * handshake verified (with {@code server.ssl.client-auth} {@code want} or {@code need}), its subject mapped to a
 * principal by {@code sluice.security.tls.principal-mapping-rules}, as the Kafka listeners map theirs. Says nothing
 * about why credentials failed: the caller answers every failure alike.
 */
final class Authenticator {

    static final String ACCESS_TOKEN = "access_token";

    private final Credentials credentials;
    private final StreamTokens streamTokens;
    private final PrincipalMappingRules principalRules;

    Authenticator(Credentials credentials, StreamTokens streamTokens, PrincipalMappingRules principalRules) {
        this.credentials = credentials;
        this.streamTokens = streamTokens;
        this.principalRules = principalRules;
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
                return Mono.just(certificate(request, keys));
            }
            return Mono.just(isStream(request)
                    ? streamTokens.verify(token).<Outcome>map(p -> new Outcome.Authenticated(p, keys))
                            .orElse(new Outcome.Failed(keys))
                    : new Outcome.Failed(keys));
        }
        if (startsWithScheme(authorization, "Basic")) {
            Optional<BasicCredentials> basic = basicCredentials(request);
            if (basic.isEmpty()) {
                return Mono.just(new Outcome.Failed(keys));
            }
            return credentials.password(basic.get().name(), basic.get().password(), keys);
        }
        if (startsWithScheme(authorization, "Bearer")) {
            return credentials.bearer(authorization.substring("Bearer".length()).strip(), keys);
        }
        return Mono.just(new Outcome.Failed(keys));
    }

    /** The principal of the request's verified client certificate; Missing without one, Failed if no rule maps it. */
    private Outcome certificate(ServerHttpRequest request, List<String> keys) {
        SslInfo tls = request.getSslInfo();
        X509Certificate[] chain = tls == null ? null : tls.getPeerCertificates();
        if (chain == null || chain.length == 0) {
            return new Outcome.Missing();
        }
        return switch (ClientCertificate.of(chain[0], principalRules)) {
            case ClientCertificate.Mapped mapped -> new Outcome.Authenticated(mapped.principal(), keys);
            case ClientCertificate.Unmapped unmapped -> new Outcome.Failed(keys);
            case ClientCertificate.Absent absent -> new Outcome.Missing();
        };
    }

    boolean acceptsPasswords() {
        return credentials.acceptsPasswords();
    }

    boolean acceptsBearerTokens() {
        return credentials.acceptsBearerTokens();
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
