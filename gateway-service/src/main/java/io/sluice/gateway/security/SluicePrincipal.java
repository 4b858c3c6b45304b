package io.sluice.gateway.security;

import java.util.Objects;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who a request is from, in Kafka's form {@code User:<name>}. A request is from {@link #ANONYMOUS} when security is
 * off; with it on, the authentication filter sets the principal on the exchange before any controller runs (and
 * a Kafka connection's SASL sign-in sets it on the connection).
 */
public record SluicePrincipal(String name) {

    public static final SluicePrincipal ANONYMOUS = new SluicePrincipal("ANONYMOUS");

    static final String ATTRIBUTE = SluicePrincipal.class.getName();

    public SluicePrincipal {
        Objects.requireNonNull(name, "name");
    }

    /** The exchange's principal: set by the authentication filter, or {@link #ANONYMOUS} when security is off. */
    public static SluicePrincipal of(ServerWebExchange exchange) {
        SluicePrincipal principal = exchange.getAttribute(ATTRIBUTE);
        return principal != null ? principal : ANONYMOUS;
    }

    @Override
    public String toString() {
        return "User:" + name;
    }
}
