package io.sluice.gateway.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.web.QueryBinder;
import io.sluice.internal.acl.AclApi;
import io.sluice.internal.acl.AclBindingFilter;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's security beans. The {@link Authorizer} always exists (with security off it allows everything and
 * checks nothing); the filters exist, and the ACLs are read, only with {@code sluice.security.enabled=true}.
 */
@Configuration(proxyBeanMethods = false)
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
            cache.withMetrics(meters).start();
        }
        return cache;
    }

    @Bean
    Authorizer authorizer(SecurityProperties properties, AclCache acls, AuditLog audit) {
        return new Authorizer(properties.enabled(), properties.superUsers(), acls, audit);
    }

    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    AuthorizationFilter authorizationFilter(Authorizer authorizer, AuditLog audit, ProblemResponses problems) {
        return new AuthorizationFilter(authorizer, audit, problems);
    }

    /** Passes everything through unless {@code sluice.security.cors.allowed-origins} lists some. */
    @Bean
    CorsFilter corsFilter(SecurityProperties properties) {
        return new CorsFilter(properties.cors());
    }

    /** Per-principal quotas over HTTP and the Kafka listener: none while security is off. */
    @Bean
    Quotas quotas(SecurityProperties properties, MeterRegistry meters) {
        return new Quotas(properties, meters, System::nanoTime);
    }

    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    QuotaFilter quotaFilter(Quotas quotas, ProblemResponses problems) {
        return new QuotaFilter(quotas, problems);
    }

    /** Who can sign in, over HTTP and the Kafka listener: null while security is off. */
    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    Authenticator authenticator(SecurityProperties properties, StreamTokens streamTokens) {
        BasicUsers users = properties.basic().usersFile() != null ? BasicUsers.read(properties.basic().usersFile()) : null;
        ReactiveJwtDecoder jwts = properties.jwt().configured() ? JwtDecoders.of(properties.jwt()) : null;
        if (users == null && jwts == null) {
            throw new IllegalStateException("sluice.security.enabled is true but no one can sign in: set "
                    + "sluice.security.basic.users-file, or sluice.security.jwt.jwk-set-uri or public-key-file");
        }
        return new Authenticator(users, jwts, properties.jwt().principalClaim(), streamTokens);
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
    SaslSignIn saslSignIn(ObjectProvider<Authenticator> authenticator, ObjectProvider<LoginThrottle> throttle) {
        return new SaslSignIn(authenticator.getIfAvailable(), throttle.getIfAvailable());
    }
}
