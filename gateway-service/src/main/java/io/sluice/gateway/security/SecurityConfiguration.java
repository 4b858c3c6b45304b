package io.sluice.gateway.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.web.QueryBinder;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.quota.QuotaApi;
import io.sluice.internal.scram.ScramApi;
import io.sluice.security.AclAuthorizer;
import io.sluice.security.AclCache;
import io.sluice.security.AuditLog;
import io.sluice.security.Credentials;
import io.sluice.security.KafkaThrottle;
import io.sluice.security.LoginThrottle;
import io.sluice.security.QuotaCache;
import io.sluice.security.Quotas;
import io.sluice.security.SaslExchange;
import io.sluice.security.SaslSignIn;
import io.sluice.security.ScramCredentialCache;
import io.sluice.security.SecurityProperties;
import io.sluice.web.ClusterSecurityProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's security beans. The {@link Authorizer} always exists (with security off it allows everything and
 * checks nothing); the filters exist, and the ACLs are read, only with {@code sluice.security.enabled=true}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

    @Bean
    StreamTokens streamTokens(SecurityProperties properties, Clock clock) {
        return new StreamTokens(properties.streamTokens(), clock);
    }

    @Bean
    ProblemResponses securityProblemResponses(JsonMapper json) {
        return new ProblemResponses(json);
    }

    @Bean
    AuditLog auditLog(MeterRegistry meters) {
        return new AuditLog(meters);
    }

    @Bean
    QueryBinder<AclBindingFilter> aclFilterParameters() {
        return AclAdmin.filters();
    }

    @Bean(destroyMethod = "close")
    AclCache aclCache(AclApi coordinator, SecurityProperties properties, Clock clock, MeterRegistry meters) {
        AclCache cache = new AclCache(coordinator, properties.acls().refreshInterval(), clock);
        if (properties.enabled()) {
            cache.withMetrics(meters, "gateway").start();
        }
        return cache;
    }

    /** The cluster's SCRAM users, read with security on (and offered whenever changed through this gateway). */
    @Bean(destroyMethod = "close")
    ScramCredentialCache scramCredentialCache(ScramApi coordinator, SecurityProperties properties, Clock clock,
                                              MeterRegistry meters) {
        ScramCredentialCache cache = new ScramCredentialCache(coordinator, properties.scram().refreshInterval(), clock);
        if (properties.enabled()) {
            cache.withMetrics(meters, "gateway").start();
        }
        return cache;
    }

    @Bean
    Authorizer authorizer(SecurityProperties properties, AclCache acls, AuditLog audit) {
        return new Authorizer(new AclAuthorizer(properties.enabled(), properties.superUsers(), acls, audit));
    }

    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    AuthorizationFilter authorizationFilter(Authorizer authorizer, AuditLog audit, ProblemResponses problems) {
        return new AuthorizationFilter(authorizer, audit, problems);
    }

    /** Masks the reads of every principal not unmasked, with {@code sluice.gateway.masking.enforce}. */
    @Bean
    @ConditionalOnBooleanProperty("sluice.gateway.masking.enforce")
    MaskEnforcementFilter maskEnforcementFilter(GatewayProperties properties) {
        return new MaskEnforcementFilter(properties.masking());
    }

    /** Passes everything through unless {@code sluice.security.cors.allowed-origins} lists some. */
    @Bean
    CorsFilter corsFilter(SecurityProperties properties) {
        return new CorsFilter(properties.cors());
    }

    @Bean(destroyMethod = "close")
    QuotaCache quotaCache(QuotaApi coordinator, SecurityProperties properties, Clock clock, MeterRegistry meters) {
        QuotaCache cache = new QuotaCache(coordinator, properties.acls().refreshInterval(), clock);
        if (properties.enabled()) {
            cache.withMetrics(meters, "gateway").start();
        }
        return cache;
    }

    /** Client quotas over HTTP and the Kafka listener, configured and stored: none while security is off. */
    @Bean
    Quotas quotas(SecurityProperties properties, QuotaCache stored, MeterRegistry meters) {
        return new Quotas(properties, stored, meters, System::nanoTime);
    }

    /** The quotas on the Kafka listener: {@code throttle_time_ms} (KIP-219). */
    @Bean
    KafkaThrottle kafkaThrottle(Quotas quotas) {
        return new KafkaThrottle(quotas);
    }

    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    QuotaFilter quotaFilter(Quotas quotas, ProblemResponses problems) {
        return new QuotaFilter(quotas, problems);
    }

    /**
     * Who can sign in, over HTTP and the Kafka listener (the users file, JWTs, and passwords of SCRAM users): null
     * while security is off.
     */
    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    Credentials credentials(SecurityProperties properties, ScramCredentialCache scram) {
        return Credentials.of(properties).withScram(scram);
    }

    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    Authenticator authenticator(Credentials credentials, StreamTokens streamTokens, SecurityProperties properties) {
        return new Authenticator(credentials, streamTokens, properties.tls().rules());
    }

    /** Failed sign-ins counted per address and user name, over HTTP and the Kafka listener together. */
    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    LoginThrottle loginThrottle(SecurityProperties properties, Clock clock) {
        return new LoginThrottle(properties.loginThrottling(), clock);
    }

    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    AuthenticationFilter authenticationFilter(Authenticator authenticator, LoginThrottle throttle,
                                              ProblemResponses problems) {
        return new AuthenticationFilter(authenticator, throttle, problems, authenticator.acceptsPasswords(),
                authenticator.acceptsBearerTokens());
    }

    @Bean
    SaslSignIn saslSignIn(ObjectProvider<Credentials> credentials, ObjectProvider<LoginThrottle> throttle,
                          ScramCredentialCache scram, ClusterSecurityProperties cluster) {
        return new SaslSignIn(credentials.getIfAvailable(), throttle.getIfAvailable(), scram, cluster.clientSecret());
    }

    /**
     * Kafka's SASL exchange, its sessions ending after {@code sluice.security.sasl.max-session-lifetime} (KIP-368);
     * partition services forwarding signed-in clients sign in with the cluster secret.
     */
    @Bean
    SaslExchange saslExchange(SaslSignIn signIn, ClusterSecurityProperties cluster, SecurityProperties properties,
                              Clock clock) {
        return new SaslExchange(signIn, cluster.clientSecret(), properties.sasl().maxSessionLifetime(), clock);
    }
}
