package io.sluice.web;

import io.sluice.internal.InternalPaths;
import io.sluice.internal.client.InternalTls;
import io.sluice.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
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
 * The closed internal plane: while security is on, a request to an internal route ({@link InternalPaths#PREFIX}) is
 * let through when its connection presented a client certificate (mutual TLS, {@code server.ssl.client-auth=want} or
 * {@code need}) that the internal TLS bundle's truststore — the cluster's CA — accepts, checked here again so that a
 * server bundle trusting other CAs opens nothing; or when it carries the cluster secret in
 * {@link InternalPaths#CLUSTER_SECRET_HEADER}. Anything else is answered 401 SASL_AUTHENTICATION_FAILED before any
 * handler runs, so it changes nothing. The secret comparison takes the same time wherever the values differ. With no
 * secret configured and no client certificate, every internal call is refused (closed, not open, by mistake). Public
 * and actuator routes are not this filter's business.
 */
final class ClusterSecretFilter implements WebFilter, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSecretFilter.class);

    private final byte[] secret;
    private final X509TrustManager clusterCa;
    private final JsonMapper json;

    /** @param tls the cluster's internal TLS; null: client certificates open nothing */
    ClusterSecretFilter(ClusterSecurityProperties properties, InternalTls tls, JsonMapper json) {
        this.clusterCa = tls == null ? null : x509(tls.trustManagers());
        String configured = properties.clientSecret();
        this.secret = configured == null ? null : configured.getBytes(StandardCharsets.UTF_8);
        this.json = json;
        if (secret == null) {
            LOG.warn("sluice.security.enabled is true but sluice.security.cluster-secret is not set: every internal "
                    + "call to this process without a client certificate (mutual TLS) is refused");
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
        if (hasVerifiedClientCertificate(exchange)) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(InternalPaths.CLUSTER_SECRET_HEADER);
        if (secret != null && presented != null
                && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.UTF_8))) {
            return chain.filter(exchange);
        }
        LOG.debug("Refused an internal call without a client certificate or the cluster secret from {}", exchange.getRequest().getRemoteAddress());
        exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(Problems.of(ErrorCode.SASL_AUTHENTICATION_FAILED,
                "This is an internal route of the cluster: it needs the cluster's client certificate or secret"));
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }

    private boolean hasVerifiedClientCertificate(ServerWebExchange exchange) {
        SslInfo ssl = exchange.getRequest().getSslInfo();
        X509Certificate[] chain = ssl == null ? null : ssl.getPeerCertificates();
        if (clusterCa == null || chain == null || chain.length == 0) {
            return false;
        }
        try {
            clusterCa.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
            return true;
        } catch (CertificateException e) {
            LOG.debug("A client certificate not issued by the cluster's CA: {}", e.getMessage());
            return false;
        }
    }

    private static X509TrustManager x509(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("The internal TLS bundle has no X.509 trust manager");
    }
}
