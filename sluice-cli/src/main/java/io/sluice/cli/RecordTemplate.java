package io.sluice.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * How {@code sluice consume} prints a record: a template of text and fields in braces, e.g.
 * {@code "{partition}:{offset} {key} {value}"}. Fields: {@code topic}, {@code partition}, {@code offset},
 * {@code timestamp} (ms), {@code time} (ISO-8601), {@code key}, {@code value}, {@code headers} ({@code k=v,...}),
 * {@code key_format}, {@code value_format}. A string key or value prints as its text, JSON as compact JSON, binary as
 * base64, none as {@code null}. {@code \t}, {@code \n} and {@code \\} are escapes; {@code {{} is a brace.
 */
final class RecordTemplate {

    static final String DEFAULT = "{value}";
    static final Set<String> FIELDS = Set.of("topic", "partition", "offset", "timestamp", "time", "key", "value",
            "headers", "key_format", "value_format");

    private final List<Function<JsonNode, String>> parts;

    private RecordTemplate(List<Function<JsonNode, String>> parts) {
        this.parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException naming the field or the place when the template is not valid */
    static RecordTemplate parse(String template) {
        List<Function<JsonNode, String>> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                char escaped = template.charAt(++i);
                text.append(switch (escaped) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case '\\' -> '\\';
                    default -> throw new IllegalArgumentException("Unknown escape \\" + escaped + " in the template"
                            + " (\\t, \\n, \\\\)");
                });
            } else if (c == '{' && template.startsWith("{{", i)) {
                text.append('{');
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("Unclosed { at character " + (i + 1) + " of the template");
                }
                String field = template.substring(i + 1, close);
                if (!FIELDS.contains(field)) {
                    throw new IllegalArgumentException("Unknown field {" + field + "} in the template; the fields are "
                            + String.join(", ", FIELDS.stream().sorted().toList()));
                }
                String literal = text.toString();
                parts.add(record -> literal);
                text.setLength(0);
                parts.add(record -> field(record, field));
                i = close;
            } else {
                text.append(c);
            }
        }
        String literal = text.toString();
        parts.add(record -> literal);
        return new RecordTemplate(parts);
    }

    String render(JsonNode record) {
        StringBuilder line = new StringBuilder();
        for (Function<JsonNode, String> part : parts) {
            line.append(part.apply(record));
        }
        return line.toString();
    }

    private static String field(JsonNode record, String field) {
        return switch (field) {
            case "time" -> record.path("timestamp").isNumber()
                    ? Instant.ofEpochMilli(record.path("timestamp").asLong()).toString() : "null";
            case "headers" -> {
                List<String> headers = new ArrayList<>();
                for (JsonNode header : record.path("headers")) {
                    headers.add(header.path("key").asString() + "=" + text(header.path("value")));
                }
                yield String.join(",", headers);
            }
            default -> text(record.path(field));
        };
    }

    private static String text(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "null";
        }
        return value.isString() ? value.asString() : Json.compact(value);
    }
}
