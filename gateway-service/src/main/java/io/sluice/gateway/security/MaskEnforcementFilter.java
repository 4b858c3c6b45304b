package io.sluice.gateway.security;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Formats;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * With {@code sluice.gateway.masking.enforce}, masks every HTTP read of a principal not among the unmasked ones, as if
 * it had asked ({@link Formats#MASK_HEADER} set to {@code true}, whatever it sent): the rules then apply to its pages,
 * streams, polls and takes, and it may not read masked topics' stored batches. After authentication, which names the
 * principal (anonymous with security off, so that enforcement then masks every reader).
 */
final class MaskEnforcementFilter implements WebFilter, Ordered {

    static final int ORDER = AuthenticationFilter.ORDER + 1;

    private final Set<String> unmasked;

    MaskEnforcementFilter(GatewayProperties.Masking masking) {
        this.unmasked = Set.copyOf(masking.unmaskedPrincipals());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (unmasked.contains(Principals.of(exchange).toString())) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(request -> request.headers(headers ->
                headers.set(Formats.MASK_HEADER, "true"))).build());
    }
}
