package io.sluice.cli;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns one input line into one record of a produce request: the line is the value, or {@code KEY SEP VALUE} with a
 * key separator (the first occurrence splits; a line without it has no key). Key and value are written in their
 * format: {@code string} as a JSON string of the text, {@code json} as the JSON the text is (checked here, so that a
 * bad line is named with its file and line number), {@code binary} as the base64 text, which the gateway decodes.
 *
 * @param keySeparator null when lines carry no key
 * @param headers      header name to value, on every record
 * @param partition    null to let the gateway partition (by key, else sticky)
 */
record ProduceInput(String keySeparator, RecordFormat keyFormat, RecordFormat valueFormat, Map<String, String> headers,
                    Integer partition) {

    ProduceInput {
        headers = Map.copyOf(headers);
    }

    /** @throws InputException naming {@code where} (file:line) when the line cannot be a record */
    ObjectNode record(String line, String where) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        String value = line;
        if (keySeparator != null) {
            int at = line.indexOf(keySeparator);
            if (at >= 0) {
                record.set("key", node(line.substring(0, at), keyFormat, where, "key"));
                value = line.substring(at + keySeparator.length());
            }
        }
        record.set("value", node(value, valueFormat, where, "value"));
        if (!headers.isEmpty()) {
            ObjectNode object = record.putObject("headers");
            headers.forEach(object::put);
        }
        if (partition != null) {
            record.put("partition", partition);
        }
        return record;
    }

    private static JsonNode node(String text, RecordFormat format, String where, String what) {
        if (format != RecordFormat.json) {
            return JsonNodeFactory.instance.stringNode(text);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new InputException(where + ": the " + what + " is empty, not JSON (--" + what + "-format json)");
            }
            return node;
        } catch (JacksonException e) {
            throw new InputException(where + ": the " + what + " is not JSON (--" + what + "-format json): "
                    + e.getOriginalMessage());
        }
    }
}
