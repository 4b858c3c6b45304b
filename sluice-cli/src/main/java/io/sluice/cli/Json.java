package io.sluice.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper: request records are written with the API's snake_case names and without null members; answers
 * are read as trees, because {@code -o json} prints them as the gateway sent them and tables name only the few
 * members they show.
 */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private Json() {
    }

    static String pretty(JsonNode node) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    static String compact(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** A member as text for a table cell: strings as they are, null and missing as "-", anything else as JSON. */
    static String cell(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "-";
        }
        if (node.isString()) {
            return node.asString();
        }
        if (node.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode item : node) {
                text.append(text.isEmpty() ? "" : ",").append(cell(item));
            }
            return text.toString();
        }
        return compact(node);
    }
}
