package io.sluice.security;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a TLS client's certificate says about who it is, at any listener that asks for one (the Kafka listeners
 * under {@code sluice.security.tls.client-auth}, the gateway's HTTPS under {@code server.ssl.client-auth}): none was
 * presented, its subject maps to a principal by {@link PrincipalMappingRules}, or no rule maps it. The certificate has
 * been verified by the handshake against the listener's trust store before any of this is asked.
 */
public sealed interface ClientCertificate {

    /** The client presented no certificate. */
    record Absent() implements ClientCertificate {
    }

    /** The certificate's subject (RFC 2253) mapped to {@code principal}. */
    record Mapped(SluicePrincipal principal, String subject) implements ClientCertificate {
    }

    /** No rule maps the certificate's subject: the client is not signed in by it. */
    record Unmapped(String subject) implements ClientCertificate {
    }

    /** What {@code session}'s peer presented, mapped by {@code rules}. */
    static ClientCertificate of(SSLSession session, PrincipalMappingRules rules) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return new Absent();
        }
        return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? of(leaf, rules) : new Absent();
    }

    /** What {@code leaf} (a verified client certificate) says, mapped by {@code rules}. */
    public static ClientCertificate of(X509Certificate leaf, PrincipalMappingRules rules) {
        String subject = leaf.getSubjectX500Principal().getName();
        return rules.name(subject).<ClientCertificate>map(name -> new Mapped(new SluicePrincipal(name), subject))
                .orElse(new Unmapped(subject));
    }
}
