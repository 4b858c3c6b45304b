package io.sluice.adminui.messages;

import io.sluice.adminui.gateway.GatewayViews.ConsumedRecord;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders what pages receive as SSE events into HTML, one line each: a record as a table row (the live tail, search
 * matches), an error as a problem, the search's progress.
 */
@Component
public class RowRenderer {

    private final ITemplateEngine templates;
    private final JsonMapper json;

    RowRenderer(ITemplateEngine templates, JsonMapper json) {
        this.templates = templates;
        this.json = json;
    }

    /** A gateway SSE {@code record} event's data as a row, shown as JSON where it is JSON. */
    public String record(String data) {
        return row(json.readValue(data, ConsumedRecord.class), Display.JSON);
    }

    String row(ConsumedRecord record, Display display) {
        return fragment("record-row", "row", Map.of("r", RecordView.of(record, display)));
    }

    /** An {@code error} event's problem (or any text) as a line for the page. */
    public String problem(String data) {
        String text = data;
        try {
            JsonNode problem = json.readTree(data);
            if (problem.isObject() && problem.has("detail")) {
                text = problem.get("detail").asString();
            }
        } catch (JacksonException e) {
            // not JSON: shown as it came
        }
        return fragment("record-row", "problem", Map.of("text", text));
    }

    String fragment(String template, String fragment, Map<String, Object> variables) {
        return oneLine(templates.process(template, Set.of(fragment), new Context(Locale.ROOT, variables)));
    }

    /**
     * The HTML on one line, newlines as character references: an SSE data line loses its first space in the browser
     * (the field separator), which would eat the indentation of pretty-printed JSON.
     */
    private static String oneLine(String html) {
        return html.replace("\r", "").replace("\n", "&#10;");
    }
}
