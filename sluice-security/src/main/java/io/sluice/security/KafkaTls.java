package io.sluice.security;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

/**
 * TLS on a Kafka listener, the same at a gateway and at a partition service: the listener's own SSL bundle setting,
 * else the HTTP server's ({@code server.ssl.bundle}), so a process that serves HTTPS serves Kafka over TLS too;
 * {@code none} for plaintext. With {@code sluice.security.tls.client-auth} {@code required} or {@code requested} the
 * listener asks its clients for a certificate, checked against the bundle's trust store, and tells the connection
 * what it says once the handshake is done ({@link #onHandshake}).
 */
public final class KafkaTls {

    private KafkaTls() {
    }

    /** The bundle the listener serves TLS with: its own {@code setting}, else the HTTP server's; null for plaintext. */
    public static SslBundle bundle(String setting, Environment environment, SslBundles bundles) {
        String name = setting != null ? setting : environment.getProperty("server.ssl.bundle");
        return name == null || name.isBlank() || name.equals("none") ? null : bundles.getBundle(name);
    }

    /** The listener's TLS, with the bundle's certificate, asking for no client certificate. */
    public static SslContext server(SslBundle bundle) {
        return server(bundle, SecurityProperties.ClientAuth.NONE);
    }

    /**
     * The listener's TLS, with the bundle's certificate; unless {@code clientAuth} is NONE it asks clients for a
     * certificate and trusts those the bundle's trust store does. A bundle without a trust store cannot check them:
     * that stops the start.
     */
    public static SslContext server(SslBundle bundle, SecurityProperties.ClientAuth clientAuth) {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory());
            if (clientAuth != SecurityProperties.ClientAuth.NONE) {
                if (bundle.getStores().getTrustStore() == null) {
                    throw new IllegalStateException("sluice.security.tls.client-auth is " + clientAuth.name()
                            .toLowerCase(Locale.ROOT) + " but the Kafka listener's SSL bundle has no trust store to check "
                            + "client certificates with (spring.ssl.bundle.*.<name>.truststore)");
                }
                builder.trustManager(bundle.getManagers().getTrustManagerFactory())
                        .clientAuth(clientAuth == SecurityProperties.ClientAuth.REQUIRED ? ClientAuth.REQUIRE
                                : ClientAuth.OPTIONAL);
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("The Kafka listener's TLS bundle cannot be used: " + e.getMessage(), e);
        }
    }

    /** A client's TLS to another Kafka listener of the cluster, trusting {@code trust} (the cluster's CA). */
    public static SslContext client(TrustManagerFactory trust) {
        return client(trust, null);
    }

    /**
     * A client's TLS to another Kafka listener of the cluster, trusting {@code trust} (the cluster's CA) and
     * presenting {@code key}'s certificate when that listener asks for one ({@code key} null: none).
     */
    public static SslContext client(TrustManagerFactory trust, KeyManagerFactory key) {
        try {
            return SslContextBuilder.forClient().trustManager(trust).keyManager(key)
                    .endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("TLS to the gateways' Kafka listeners cannot be set up: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Once {@code channel}'s TLS handshake is done, hands {@code done} what the client's certificate says (mapped by
     * {@code rules}); when the listener refused the handshake (a certificate its trust store does not accept, none
     * where one is required), hands {@code refused} why (a connection closed before a handshake is neither). Nothing
     * for a channel without TLS; either consumer may be null. Netty completes the handshake on the channel's event
     * loop before it passes on any byte the client sent, so the certificate is known before the connection's first
     * request.
     */
    public static void onHandshake(Channel channel, PrincipalMappingRules rules, Consumer<ClientCertificate> done,
                                   Consumer<String> refused) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null) {
            return;
        }
        tls.handshakeFuture().addListener(handshake -> {
            if (handshake.isSuccess()) {
                if (done != null) {
                    done.accept(ClientCertificate.of(tls.engine().getSession(), rules));
                }
                return;
            }
            for (Throwable cause = handshake.cause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof SSLHandshakeException refusal) {
                    if (refused != null) {
                        refused.accept(refusal.getMessage());
                    }
                    return;
                }
            }
        });
    }
}
