package io.sluice.web;

import io.sluice.internal.client.InternalTls;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call an internal route: while security is on, a caller whose connection presented a client certificate
 * that the internal TLS bundle's truststore — the cluster's CA — accepts (checked here again, so that a server bundle
 * trusting other CAs opens nothing), or one that sends the cluster secret. The secret comparison takes the same time
 * wherever the values differ. With no secret configured and no client certificate, nobody is admitted (closed, not
 * open, by mistake). With security off, everybody is ({@link #open()}).
 *
 * <p>One per service, used by the WebFlux filter ({@link ClusterSecretFilter}) and by the data path's plain Reactor
 * Netty routes ({@link InternalRoutes}) alike.
 */
public final class ClusterAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterAdmission.class);

    private final boolean enabled;
    private final byte[] secret;
    private final X509TrustManager clusterCa;

    private ClusterAdmission(boolean enabled, String secret, InternalTls tls) {
        this.enabled = enabled;
        this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.clusterCa = tls == null ? null : x509(tls.trustManagers());
    }

    /** Security off: every caller is admitted. */
    public static ClusterAdmission open() {
        return new ClusterAdmission(false, null, null);
    }

    /** @param tls the cluster's internal TLS; null: client certificates admit nobody */
    public static ClusterAdmission closed(ClusterSecurityProperties properties, InternalTls tls) {
        if (properties.clientSecret() == null) {
            LOG.warn("sluice.security.enabled is true but sluice.security.cluster-secret is not set: every internal "
                    + "call to this process without a client certificate (mutual TLS) is refused");
        }
        return new ClusterAdmission(true, properties.clientSecret(), tls);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * @param presentedSecret the {@code Sluice-Cluster-Secret} header, or null
     * @param chain the client certificates the connection presented, or null
     */
    public boolean admits(String presentedSecret, X509Certificate[] chain) {
        // The secret first: comparing it is cheap, while checking a chain is a PKIX validation, and the data path asks
        // on every request of callers that send both.
        if (!enabled || secret != null && presentedSecret != null
                && MessageDigest.isEqual(secret, presentedSecret.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        return verified(chain);
    }

    private boolean verified(X509Certificate[] chain) {
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
