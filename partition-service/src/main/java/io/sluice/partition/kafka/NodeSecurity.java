package io.sluice.partition.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.client.InternalTls;
import io.sluice.internal.quota.QuotaApi;
import io.sluice.internal.scram.ScramApi;
import io.sluice.security.AclAuthorizer;
import io.sluice.security.AclCache;
import io.sluice.security.AuditLog;
import io.sluice.security.Credentials;
import io.sluice.security.KafkaThrottle;
import io.sluice.security.KafkaTls;
import io.sluice.security.LoginThrottle;
import io.sluice.security.PrincipalMappingRules;
import io.sluice.security.QuotaCache;
import io.sluice.security.Quotas;
import io.sluice.security.SaslExchange;
import io.sluice.security.SaslSignIn;
import io.sluice.security.ScramCredentialCache;
import io.sluice.security.SecurityProperties;
import java.time.Clock;
import org.springframework.boot.ssl.SslBundle;

/**
 * What the node's Kafka listener applies to its clients, as the gateways do and with their implementation
 * ({@code sluice-security}): with {@code sluice.security.enabled}, SASL sign-in against the same users file and JWT
 * settings and the cluster's SCRAM credentials ({@link SaslExchange}; the credentials in a copy of this node's own,
 * {@link ScramCredentialCache}), the cluster's ACLs in a copy of this node's own ({@link AclCache}, refreshed from
 * the coordinator) asked of {@link AclAuthorizer}, each denial an audit line, and the client quotas (the configured
 * ones and those set through Kafka or HTTP, in a copy like the ACLs', {@link QuotaCache}) answered with
 * {@code throttle_time_ms} ({@link KafkaThrottle}); TLS on the listener with the node's certificate whenever it
 * serves HTTPS ({@link KafkaTls}), asking for client certificates with {@code sluice.security.tls.client-auth} and
 * signing a client in by its certificate's principal ({@link PrincipalMappingRules}). Requests it forwards to a gateway travel over TLS when its own listener speaks it
 * (trusting the cluster's CA), signed in as the client's principal with the cluster secret
 * ({@link SaslExchange#FORWARDED}).
 */
final class NodeSecurity implements AutoCloseable {

    final SaslExchange sasl;
    final AclAuthorizer acls;
    /** How a client certificate names its principal. */
    final PrincipalMappingRules principalRules;
    final KafkaThrottle throttle;
    /** The secret a forwarded sign-in carries; null while security is off. */
    final String clusterSecret;
    /** The listener's TLS; null for plaintext. */
    final SslContext serverTls;
    /** TLS to the gateways' Kafka listeners; null for plaintext. */
    final SslContext upstreamTls;
    private final AclCache cache;
    private final QuotaCache quotas;
    private final ScramCredentialCache scram;
    private final boolean enabled;
    /** Why the listener cannot serve safely as configured; null when it can. */
    private final String unusable;

    private NodeSecurity(SaslExchange sasl, AclAuthorizer acls, PrincipalMappingRules principalRules,
                         KafkaThrottle throttle, String clusterSecret,
                         SslContext serverTls, SslContext upstreamTls, AclCache cache, QuotaCache quotas,
                         ScramCredentialCache scram, boolean enabled, String unusable) {
        this.sasl = sasl;
        this.acls = acls;
        this.principalRules = principalRules;
        this.throttle = throttle;
        this.clusterSecret = clusterSecret;
        this.serverTls = serverTls;
        this.upstreamTls = upstreamTls;
        this.cache = cache;
        this.quotas = quotas;
        this.scram = scram;
        this.enabled = enabled;
        this.unusable = unusable;
    }

    /**
     * @param clusterSecret the cluster secret (null while security is off, or when the cluster has none)
     * @param tls           the listener's bundle, null for plaintext
     * @param internalTls   the cluster's CA, trusted when forwarding over TLS; null when none is configured
     */
    static <C extends AclApi & QuotaApi & ScramApi> NodeSecurity of(SecurityProperties properties,
                                                                    String clusterSecret, SslBundle tls,
                                                                    InternalTls internalTls, C coordinator,
                                                                    MeterRegistry meters) {
        boolean enabled = properties.enabled();
        String unusable = enabled && clusterSecret == null ? "sluice.security.enabled is on but "
                + "sluice.security.cluster-secret is not set, so the node could not forward its signed-in clients' "
                + "requests to a gateway as them"
                : tls != null && internalTls == null ? "the listener serves TLS but no cluster CA is configured "
                + "(sluice.internal-tls.bundle) to reach the gateways' Kafka listeners over TLS" : null;
        ScramCredentialCache scram = new ScramCredentialCache(coordinator, properties.scram().refreshInterval(),
                Clock.systemUTC());
        Credentials credentials = enabled ? Credentials.of(properties).withScram(scram) : null;
        SaslSignIn signIn = new SaslSignIn(credentials,
                enabled ? new LoginThrottle(properties.loginThrottling(), Clock.systemUTC()) : null, scram,
                clusterSecret);
        AuditLog audit = new AuditLog(meters);
        AclCache cache = new AclCache(coordinator, properties.acls().refreshInterval(), Clock.systemUTC());
        QuotaCache stored = new QuotaCache(coordinator, properties.acls().refreshInterval(), Clock.systemUTC());
        Quotas quotas = new Quotas(properties, stored, meters, System::nanoTime);
        return new NodeSecurity(new SaslExchange(signIn, null, properties.sasl().maxSessionLifetime(),
                Clock.systemUTC()), new AclAuthorizer(enabled, properties.superUsers(), cache, audit),
                properties.tls().rules(), new KafkaThrottle(quotas), enabled ? clusterSecret : null,
                tls == null ? null : KafkaTls.server(tls, properties.tls().clientAuth()),
                // The node's certificate, for gateways whose listeners ask for one; the forward then signs in.
                tls == null || internalTls == null ? null
                        : KafkaTls.client(internalTls.trustManagers(), internalTls.keyManagers()), cache,
                stored, scram, enabled, unusable).withMetrics(meters);
    }

    private NodeSecurity withMetrics(MeterRegistry meters) {
        if (enabled) {
            cache.withMetrics(meters, "partition");
            quotas.withMetrics(meters, "partition");
            scram.withMetrics(meters, "partition");
        }
        return this;
    }

    /** Why the listener cannot serve safely as configured (it then does not start); null when it can. */
    String unusable() {
        return unusable;
    }

    /** Starts reading the ACLs and the SCRAM credentials, with security on. */
    void start() {
        if (enabled) {
            cache.start();
            quotas.start();
            scram.start();
        }
    }

    /** Kafka's name for what the listener speaks: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    String protocol() {
        return (sasl.required() ? "SASL_" : "") + (serverTls != null ? "SSL" : "PLAINTEXT");
    }

    @Override
    public void close() {
        cache.close();
        quotas.close();
        scram.close();
    }
}
