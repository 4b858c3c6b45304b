package io.sluice.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The part of {@code sluice.security.*} every service shares: the one switch, and the secret that closes the
 * internal plane. With security on, every internal call carries {@code clusterSecret} and partition services and
 * coordinators refuse internal calls without it; with security off, neither happens.
 *
 * @param enabled       the cluster's one security switch (the gateway reads its other settings)
 * @param clusterSecret shared by every process of the cluster; set it from a secret store or the environment
 *                      ({@code SLUICE_SECURITY_CLUSTER_SECRET}), never on a command line
 */
@ConfigurationProperties("sluice.security")
public record ClusterSecurityProperties(@DefaultValue("false") boolean enabled, String clusterSecret) {

    /** The secret internal calls carry: null while security is off. */
    public String clientSecret() {
        return enabled && clusterSecret != null && !clusterSecret.isEmpty() ? clusterSecret : null;
    }

    @Override
    public String toString() {
        return "ClusterSecurityProperties[enabled=" + enabled + ", clusterSecret=" + (clusterSecret == null ? "unset"
                : "(set)") + "]";
    }
}
