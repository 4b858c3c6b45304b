package io.sluice.internal.client;

import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS side of internal calls: whom an {@code https://} peer must be (a certificate the trust managers accept, for
 * the host name in its URL) and, for mutual TLS, the certificate this process presents. A service builds it from its
 * SSL bundle ({@code sluice.internal-tls.bundle}, docs/security.md); calls to {@code http://} URLs do not use it.
 *
 * @param keyManagers   this process's certificate and key; null to present none (the peer then needs the secret)
 * @param trustManagers the cluster's CA
 */
public record InternalTls(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers) {

    public InternalTls {
        Objects.requireNonNull(trustManagers, "trustManagers");
    }
}
