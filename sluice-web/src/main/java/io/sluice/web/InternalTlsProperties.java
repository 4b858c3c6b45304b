package io.sluice.web;

import io.sluice.internal.client.InternalTls;
import java.security.KeyStoreException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * TLS for the calls a service makes to its peers, {@code sluice.internal-tls.*}: the SSL bundle ({@code
 * spring.ssl.bundle.*}) whose truststore holds the cluster's CA and whose keystore, if it has one, is the certificate
 * this process presents for mutual TLS. Usually the same bundle the service serves HTTPS from ({@code
 * server.ssl.bundle}). Unset: calls to {@code https://} peers trust the JDK's default CAs and present nothing.
 *
 * <p>The bundle is read once, when the service starts: a renewed certificate is served at once (the server reloads
 * its bundle) but presented to peers after a restart.
 *
 * @param bundle the SSL bundle's name
 */
@ConfigurationProperties("sluice.internal-tls")
public record InternalTlsProperties(String bundle) {

    /** The client side of internal TLS from the named bundle; null when none is named. */
    public InternalTls tls(SslBundles bundles) {
        if (bundle == null || bundle.isBlank()) {
            return null;
        }
        SslBundle ssl = bundles.getBundle(bundle);
        try {
            boolean hasKey = ssl.getStores().getKeyStore() != null && ssl.getStores().getKeyStore().size() > 0;
            return new InternalTls(hasKey ? ssl.getManagers().getKeyManagerFactory() : null,
                    ssl.getManagers().getTrustManagerFactory());
        } catch (KeyStoreException e) {
            throw new IllegalStateException("SSL bundle '" + bundle + "' has an unreadable keystore", e);
        }
    }
}
