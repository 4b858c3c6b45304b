package io.sluice.gateway.security;

import io.sluice.protocol.ErrorCode;
import io.sluice.security.Credentials;
import io.sluice.security.LoginThrottle;
import io.sluice.security.SluicePrincipal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Authentication of every public request while security is on, before any controller sees it. A request with good
 * credentials goes on with its {@link SluicePrincipal} on the exchange (and its {@code access_token}, if it used one,
 * taken out of the URI, so that nothing downstream can log or echo it). Anything else is answered here:
 * <ul>
 *   <li>no credentials, or wrong, malformed or expired ones: 401 SASL_AUTHENTICATION_FAILED with
 *       {@code WWW-Authenticate} naming the schemes, and the same detail for every cause;</li>
 *   <li>an address or user name with too many recent failures: 429 THROTTLED with {@code Retry-After}.</li>
 * </ul>
 * The API's own documents, static assets, CORS preflights and the actuator are not authenticated (the actuator
 * belongs on a management port that only the platform reaches: docs/security.md).
 */
final class AuthenticationFilter implements WebFilter, Ordered {

    /** After CORS (which answers preflights), before everything else. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationFilter.class);
    private static final String FAILED = "Authentication failed";
    private static final List<String> OPEN_PREFIXES = List.of("/v1/openapi.", "/v1/docs", "/webjars/", "/actuator/");

    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final ProblemResponses problems;
    private final String challenge;

    AuthenticationFilter(Authenticator authenticator, LoginThrottle throttle, ProblemResponses problems,
                         boolean basic, boolean bearer) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.problems = problems;
        List<String> schemes = new ArrayList<>(2);
        if (basic) {
            schemes.add("Basic realm=\"sluice\", charset=\"UTF-8\"");
        }
        if (bearer) {
            schemes.add("Bearer realm=\"sluice\"");
        }
        this.challenge = String.join(", ", schemes);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (isOpen(request)) {
            return chain.filter(exchange);
        }
        Optional<Duration> wait = throttle.retryAfter(authenticator.throttleKeys(request));
        if (wait.isPresent()) {
            return problems.write(exchange, ErrorCode.THROTTLED, "Too many failed sign-ins; try again later",
                    ProblemResponses.retryAfter(wait.get()));
        }
        return authenticator.authenticate(request).flatMap(outcome -> switch (outcome) {
            case Credentials.Outcome.Authenticated(SluicePrincipal principal, List<String> keys, var expiresAt) -> {
                throttle.succeeded(keys);
                ServerWebExchange authenticated = exchange.mutate().request(withoutAccessToken(request)).build();
                authenticated.getAttributes().put(Principals.ATTRIBUTE, principal);
                yield chain.filter(authenticated);
            }
            case Credentials.Outcome.Failed(List<String> keys) -> {
                throttle.failed(keys);
                LOG.debug("Failed authentication from {}", request.getRemoteAddress());
                yield unauthorized(exchange, FAILED);
            }
            case Credentials.Outcome.Missing() -> unauthorized(exchange, "Authentication required");
        });
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return problems.write(exchange, ErrorCode.SASL_AUTHENTICATION_FAILED, detail, headers);
    }

    private static boolean isOpen(ServerHttpRequest request) {
        if (HttpMethod.OPTIONS.equals(request.getMethod())
                && request.getHeaders().containsHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD)) {
            return true;
        }
        String path = request.getPath().pathWithinApplication().value();
        return OPEN_PREFIXES.stream().anyMatch(path::startsWith);
    }

    private static ServerHttpRequest withoutAccessToken(ServerHttpRequest request) {
        if (!request.getQueryParams().containsKey(Authenticator.ACCESS_TOKEN)) {
            return request;
        }
        URI uri = UriComponentsBuilder.fromUri(request.getURI()).replaceQueryParam(Authenticator.ACCESS_TOKEN)
                .build(true).toUri();
        return request.mutate().uri(uri).build();
    }
}
