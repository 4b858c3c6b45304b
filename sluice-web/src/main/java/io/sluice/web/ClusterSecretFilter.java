package io.sluice.web;

import io.sluice.internal.InternalPaths;
import io.sluice.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The closed internal plane: while security is on, a request to an internal route ({@link InternalPaths#PREFIX})
 * without the cluster secret in {@link InternalPaths#CLUSTER_SECRET_HEADER} is answered 401 SASL_AUTHENTICATION_FAILED
 * before any handler runs, so it changes nothing. The comparison takes the same time wherever the values differ.
 * With no secret configured every internal call is refused (closed, not open, by mistake). Public and actuator routes
 * are not this filter's business.
 */
final class ClusterSecretFilter implements WebFilter, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSecretFilter.class);

    private final byte[] secret;
    private final JsonMapper json;

    ClusterSecretFilter(ClusterSecurityProperties properties, JsonMapper json) {
        String configured = properties.clientSecret();
        this.secret = configured == null ? null : configured.getBytes(StandardCharsets.UTF_8);
        this.json = json;
        if (secret == null) {
            LOG.warn("sluice.security.enabled is true but sluice.security.cluster-secret is not set: every internal "
                    + "call to this process is refused");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().pathWithinApplication().value().startsWith(InternalPaths.PREFIX)) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(InternalPaths.CLUSTER_SECRET_HEADER);
        if (secret != null && presented != null
                && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8))) {
            return chain.filter(exchange);
        }
        LOG.debug("Refused an internal call without the cluster secret from {}", exchange.getRequest().getRemoteAddress());
        exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(Problems.of(ErrorCode.SASL_AUTHENTICATION_FAILED,
                "This is an internal route of the cluster: it needs the cluster secret"));
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }
}
