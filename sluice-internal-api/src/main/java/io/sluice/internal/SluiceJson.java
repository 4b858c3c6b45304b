package io.sluice.internal;

import io.sluice.protocol.ErrorCode;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The JSON conventions of Sluice's HTTP APIs, internal and public: snake_case names (as Kafka's configs and the
 * Confluent REST Proxy use), unknown fields ignored so that older readers accept newer writers. An {@link ErrorCode} is
 * written as its name and read by it; a name this reader does not know (a newer writer's) reads as
 * UNKNOWN_SERVER_ERROR, for the same reason.
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
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(new SimpleModule("sluice-error-codes").addDeserializer(ErrorCode.class,
                        new ErrorCodeDeserializer()));
    }

    private static final class ErrorCodeDeserializer extends ValueDeserializer<ErrorCode> {

        @Override
        public ErrorCode deserialize(JsonParser parser, DeserializationContext context) {
            return ErrorCode.forName(parser.getValueAsString());
        }
    }
}
