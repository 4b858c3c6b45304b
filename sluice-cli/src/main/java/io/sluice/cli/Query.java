package io.sluice.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A query string built parameter by parameter; a null value leaves its parameter out. */
final class Query {

    private final Map<String, String> parameters = new LinkedHashMap<>();

    static Query of() {
        return new Query();
    }

    Query add(String name, Object value) {
        if (value != null) {
            parameters.put(name, value.toString());
        }
        return this;
    }

    /** {@code ?a=1&b=x}, or nothing when empty. */
    @Override
    public String toString() {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    /** A path segment or parameter, percent-encoded (a space as %20, not +). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
