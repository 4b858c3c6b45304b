package io.sluice.security;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * TLS on a Kafka listener, the same at a gateway and at a partition service: the listener's own SSL bundle setting,
 * else the HTTP server's ({@code server.ssl.bundle}), so a process that serves HTTPS serves Kafka over TLS too;
 * {@code none} for plaintext.
 */
public final class KafkaTls {

    private KafkaTls() {
    }

    /** The bundle the listener serves TLS with: its own {@code setting}, else the HTTP server's; null for plaintext. */
    public static SslBundle bundle(String setting, Environment environment, SslBundles bundles) {
        String name = setting != null ? setting : environment.getProperty("server.ssl.bundle");
        return name == null || name.isBlank() || name.equals("none") ? null : bundles.getBundle(name);
    }

    /** The listener's TLS, with the bundle's certificate. */
    public static SslContext server(SslBundle bundle) {
        try {
            return SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory()).build();
        } catch (SSLException e) {
            throw new IllegalStateException("The Kafka listener's TLS bundle cannot be used: " + e.getMessage(), e);
        }
    }

    /** A client's TLS to another Kafka listener of the cluster, trusting {@code trust} (the cluster's CA). */
    public static SslContext client(TrustManagerFactory trust) {
        try {
            return SslContextBuilder.forClient().trustManager(trust).endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS to the gateways' Kafka listeners cannot be set up: "
                    + e.getMessage(), e);
        }
    }
}
