package io.sluice.adminui.live;

import io.sluice.adminui.gateway.GatewayViews.ConsumedRecord;
import io.sluice.adminui.messages.Display;
import io.sluice.adminui.messages.RecordView;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Renders the gateway's SSE events as HTML for the live tail: a record as a table row, an error as a problem. */
@Component
class RowRenderer {

    private final ITemplateEngine templates;
    private final JsonMapper json;

    RowRenderer(ITemplateEngine templates, JsonMapper json) {
        this.templates = templates;
        this.json = json;
    }

    String record(String data) {
        ConsumedRecord record = json.readValue(data, ConsumedRecord.class);
        return oneLine(templates.process("live-row", Set.of("row"),
                new Context(Locale.ROOT, Map.of("r", RecordView.of(record, Display.JSON)))));
    }

    /** An {@code error} event's problem (or any text) as a line for the page. */
    String problem(String data) {
        String text = data;
        try {
            JsonNode problem = json.readTree(data);
            if (problem.isObject() && problem.has("detail")) {
                text = problem.get("detail").asString();
            }
        } catch (JacksonException e) {
            // not JSON: shown as it came
        }
        return oneLine(templates.process("live-row", Set.of("problem"),
                new Context(Locale.ROOT, Map.of("text", text))));
    }

    /**
     * The HTML on one line, newlines as character references: an SSE data line loses its first space in the browser
     * (the field separator), which would eat the indentation of pretty-printed JSON.
     */
    private static String oneLine(String html) {
        return html.replace("\r", "").replace("\n", "&#10;");
    }
}
