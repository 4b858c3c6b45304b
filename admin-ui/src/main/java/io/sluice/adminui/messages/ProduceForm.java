package io.sluice.adminui.messages;

import io.sluice.adminui.gateway.GatewayRequests.HeaderValue;
import io.sluice.adminui.gateway.GatewayRequests.ProduceRecord;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * The produce form as posted. A key or value in {@code json} must parse as JSON here (the API takes a JSON value
 * there, not its text); {@code string} and {@code binary} (base64) are sent as typed, and the gateway checks them.
 * A blank key means no key; a blank partition lets the gateway choose.
 */
record ProduceForm(String key, String keyFormat, String value, String valueFormat, String headers,
                   String partition) {

    static ProduceForm empty() {
        return new ProduceForm("", "string", "", "json", "", "");
    }

    static final class BadRecord extends RuntimeException {
        BadRecord(String message) {
            super(message);
        }
    }

    public String keyFormatOrDefault() {
        return keyFormat == null || keyFormat.isBlank() ? "string" : keyFormat;
    }

    public String valueFormatOrDefault() {
        return valueFormat == null || valueFormat.isBlank() ? "json" : valueFormat;
    }

    ProduceRecord record(JsonMapper json) {
        JsonNode keyNode = key == null || key.isEmpty() ? null : node("Key", key, keyFormatOrDefault(), json);
        JsonNode valueNode = node("Value", value == null ? "" : value, valueFormatOrDefault(), json);
        return new ProduceRecord(keyNode, valueNode, headerValues(), partitionNumber());
    }

    private static JsonNode node(String what, String text, String format, JsonMapper json) {
        if (!"json".equals(format)) {
            return StringNode.valueOf(text);
        }
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw new BadRecord(what + " is not valid JSON (choose the string format for plain text): "
                    + e.getOriginalMessage());
        }
    }

    private List<HeaderValue> headerValues() {
        List<HeaderValue> values = new ArrayList<>();
        if (headers == null) {
            return null;
        }
        int line = 0;
        for (String raw : headers.split("\\R")) {
            line++;
            if (raw.isBlank()) {
                continue;
            }
            int colon = raw.indexOf(':');
            if (colon <= 0) {
                throw new BadRecord("Header line " + line + " must be name: value, was '" + raw.strip() + "'");
            }
            values.add(new HeaderValue(raw.substring(0, colon).strip(), raw.substring(colon + 1).strip()));
        }
        return values.isEmpty() ? null : values;
    }

    private Integer partitionNumber() {
        if (partition == null || partition.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(partition.strip());
        } catch (NumberFormatException e) {
            throw new BadRecord("Partition must be a number or blank (the gateway chooses), was '" + partition + "'");
        }
    }
}
