package io.sluice.gateway.security;

import io.sluice.gateway.format.Formats;
import io.sluice.security.SecurityProperties;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * CORS for browser clients of the listed origins (none listed: this filter does nothing) (Spring's {@link CorsWebFilter}), first of the gateway's filters:
 * a preflight is answered before authentication, and refusals (401, 403, 429) carry the CORS headers so that a page
 * can read them. Credentials (the Authorization header) are allowed; the headers a client needs to read are exposed.
 */
final class CorsFilter extends CorsWebFilter implements Ordered {

    private final boolean enabled;

    CorsFilter(SecurityProperties.Cors settings) {
        super(source(settings));
        this.enabled = !settings.allowedOrigins().isEmpty();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return enabled ? super.filter(exchange, chain) : chain.filter(exchange);
    }

    private static UrlBasedCorsConfigurationSource source(SecurityProperties.Cors settings) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(settings.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT,
                "Last-Event-ID", "Idempotency-Key", Formats.MASK_HEADER));
        cors.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION, HttpHeaders.WWW_AUTHENTICATE,
                "Sluice-Cursor"));
        cors.setAllowCredentials(true);
        cors.setMaxAge(settings.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/v1/**", cors);
        return source;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
