package io.sluice.web;

import io.sluice.internal.SluiceJson;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies Sluice's web conventions to any service that has this module on its classpath, and closes its internal
 * routes to callers that are not part of the cluster (neither a client certificate the server's TLS verified nor the
 * cluster secret) when {@code sluice.security.enabled=true}.
 */
@AutoConfiguration
@Import(ProblemHandler.class)
@EnableConfigurationProperties({ClusterSecurityProperties.class, InternalTlsProperties.class})
public class SluiceWebAutoConfiguration {

    /** First of the customizers, so that a service's own (the gateway's strict public input) are laid over it. */
    @Bean
    @Order(0)
    JsonMapperBuilderCustomizer sluiceJsonConventions() {
        return SluiceJson::configure;
    }

    /** Who may call internal routes: cluster members while security is on, everybody otherwise. */
    @Bean
    ClusterAdmission clusterAdmission(ClusterSecurityProperties properties, InternalTlsProperties tls,
                                      SslBundles bundles) {
        return properties.enabled() ? ClusterAdmission.closed(properties, tls.tls(bundles)) : ClusterAdmission.open();
    }

    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    ClusterSecretFilter clusterSecretFilter(ClusterAdmission admission, JsonMapper json) {
        return new ClusterSecretFilter(admission, json);
    }

    /** The plumbing of internal routes served by Reactor Netty directly (a service's data path). */
    @Bean
    InternalRoutes internalRoutes(ClusterAdmission admission, JsonMapper json) {
        return new InternalRoutes(admission, json);
    }
}
