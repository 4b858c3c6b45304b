package io.sluice.gateway.security;

import io.sluice.security.SluicePrincipal;
import org.springframework.web.server.ServerWebExchange;

/** The principal of an HTTP exchange, as the authentication filter set it. */
final class Principals {

    static final String ATTRIBUTE = SluicePrincipal.class.getName();

    private Principals() {
    }

    /** The exchange's principal: the authentication filter's; {@link SluicePrincipal#ANONYMOUS} with security off. */
    static SluicePrincipal of(ServerWebExchange exchange) {
        SluicePrincipal principal = exchange.getAttribute(ATTRIBUTE);
        return principal != null ? principal : SluicePrincipal.ANONYMOUS;
    }
}
