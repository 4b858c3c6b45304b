package io.sluice.security;

import java.util.Objects;

/**
 * Who a request is from, in Kafka's form {@code User:<name>}. A request is from {@link #ANONYMOUS} when security is
 * off; with it on, the gateway's authentication filter sets the principal on an HTTP exchange before any controller
 * runs, and a Kafka connection's SASL sign-in sets it on the connection, at a gateway or a partition service.
 */
public record SluicePrincipal(String name) {

    public static final SluicePrincipal ANONYMOUS = new SluicePrincipal("ANONYMOUS");

    public SluicePrincipal {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return "User:" + name;
    }
}
