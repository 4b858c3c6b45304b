package io.sluice.internal;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON conventions of Sluice's HTTP APIs, internal and public: snake_case names (as Kafka's configs and the
 * Confluent REST Proxy use), unknown fields ignored so that older readers accept newer writers.
 */
public final class SluiceJson {

    private static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

    private SluiceJson() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Applies the conventions to a builder (the services hand Spring's builder to this). */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
