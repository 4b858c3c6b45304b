package io.sluice.web;

import io.sluice.internal.InternalPaths;
import io.sluice.protocol.ErrorCode;
import java.security.cert.X509Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The closed internal plane for the routes WebFlux serves: while security is on, a request to an internal route
 * ({@link InternalPaths#PREFIX}) is let through when {@link ClusterAdmission} admits it (a client certificate of the
 * cluster's CA, {@code server.ssl.client-auth=want} or {@code need}, or the cluster secret in
 * {@link InternalPaths#CLUSTER_SECRET_HEADER}). Anything else is answered 401 SASL_AUTHENTICATION_FAILED before any
 * handler runs, so it changes nothing. Public and actuator routes are not this filter's business. The data path's
 * routes, which WebFlux does not serve, make the same check in {@link InternalRoutes}.
 */
final class ClusterSecretFilter implements WebFilter, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSecretFilter.class);

    private final ClusterAdmission admission;
    private final JsonMapper json;

    ClusterSecretFilter(ClusterAdmission admission, JsonMapper json) {
        this.admission = admission;
        this.json = json;
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
        SslInfo ssl = exchange.getRequest().getSslInfo();
        X509Certificate[] certificates = ssl == null ? null : ssl.getPeerCertificates();
        if (admission.admits(exchange.getRequest().getHeaders().getFirst(InternalPaths.CLUSTER_SECRET_HEADER),
                certificates)) {
            return chain.filter(exchange);
        }
        LOG.debug("Refused an internal call without a client certificate or the cluster secret from {}", exchange.getRequest().getRemoteAddress());
        exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(Problems.of(ErrorCode.SASL_AUTHENTICATION_FAILED, InternalRoutes.NOT_A_MEMBER));
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }
}
