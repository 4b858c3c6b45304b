package io.sluice.web;

import io.sluice.internal.SluiceJson;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

/** Applies Sluice's web conventions to any service that has this module on its classpath. */
@AutoConfiguration
@Import(ProblemHandler.class)
public class SluiceWebAutoConfiguration {

    /** First of the customizers, so that a service's own (the gateway's strict public input) are laid over it. */
    @Bean
    @Order(0)
    JsonMapperBuilderCustomizer sluiceJsonConventions() {
        return SluiceJson::configure;
    }
}
