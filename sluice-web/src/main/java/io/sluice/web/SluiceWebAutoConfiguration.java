package io.sluice.web;

import io.sluice.internal.SluiceJson;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Applies Sluice's web conventions to any service that has this module on its classpath. */
@AutoConfiguration
@Import(ProblemHandler.class)
public class SluiceWebAutoConfiguration {

    @Bean
    JsonMapperBuilderCustomizer sluiceJsonConventions() {
        return SluiceJson::configure;
    }
}
