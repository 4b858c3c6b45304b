package io.sluice.gateway.produce;

import io.sluice.gateway.format.RecordFormat;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.record.Header;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns produce bodies into {@link ProduceRecord}s. A body is a JSON array of records, or an object
 * {@code {"key_format", "value_format", "records": [...]}}; each record is
 * {@code {"key", "value", "headers", "partition", "timestamp"}} where headers are an object of name → string (or
 * null) or an array of {@code {"key", "value"}}. Every problem is an INVALID_REQUEST / INVALID_RECORD naming the
 * record and, for unparseable JSON, the line and column.
 */
@Component
final class RecordParser {

    private final JsonMapper json;
    private final Clock clock;

    RecordParser(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            throw ErrorCode.INVALID_REQUEST.exception("Malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
        }
    }

    List<ProduceRecord> records(JsonNode body, RecordFormat keyFormat, RecordFormat valueFormat) {
        JsonNode records = body;
        if (body.isObject()) {
            keyFormat = body.has("key_format") ? RecordFormat.parse(body.get("key_format").asString(), "key_format") : keyFormat;
            valueFormat = body.has("value_format") ? RecordFormat.parse(body.get("value_format").asString(), "value_format") : valueFormat;
            records = body.get("records");
        }
        if (records == null || !records.isArray()) {
            throw ErrorCode.INVALID_REQUEST.exception("The body must be a JSON array of records or an object with a "
                    + "\"records\" array");
        }
        if (records.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("The request has no records");
        }
        List<ProduceRecord> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            parsed.add(record(records.get(i), i, keyFormat, valueFormat));
        }
        return parsed;
    }

    ProduceRecord record(JsonNode node, int index, RecordFormat keyFormat, RecordFormat valueFormat) {
        if (node == null || !node.isObject()) {
            throw ErrorCode.INVALID_RECORD.exception("Record " + index + " must be a JSON object");
        }
        Integer partition = null;
        if (node.hasNonNull("partition")) {
            JsonNode given = node.get("partition");
            // canConvertToInt first: asInt() throws on values beyond int range (a 500 for a client's mistake).
            if (!given.isIntegralNumber() || !given.canConvertToInt() || given.asInt() < 0) {
                throw ErrorCode.INVALID_RECORD.exception("The partition of record " + index + " must be an integer >= 0");
            }
            partition = given.asInt();
        }
        long timestamp = clock.millis();
        if (node.hasNonNull("timestamp")) {
            JsonNode given = node.get("timestamp");
            if (!given.isIntegralNumber() || !given.canConvertToLong() || given.asLong() < 0) {
                throw ErrorCode.INVALID_RECORD.exception("The timestamp of record " + index
                        + " must be milliseconds since the epoch (an integer >= 0)");
            }
            timestamp = given.asLong();
        }
        byte[] key = keyFormat.serialize(node.get("key"), json, "key of record " + index);
        byte[] value = valueFormat.serialize(node.get("value"), json, "value of record " + index);
        return new ProduceRecord(partition, key, value, headers(node.get("headers"), index), timestamp);
    }

    private static List<Header> headers(JsonNode node, int index) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                headers.add(header(entry.getKey(), entry.getValue(), index));
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                JsonNode name = item.has("key") ? item.get("key") : item.get("name");
                if (name == null || !name.isString()) {
                    throw ErrorCode.INVALID_RECORD.exception("Each header of record " + index + " needs a string \"key\"");
                }
                headers.add(header(name.asString(), item.get("value"), index));
            }
        } else {
            throw ErrorCode.INVALID_RECORD.exception("The headers of record " + index
                    + " must be an object or an array of {\"key\", \"value\"}");
        }
        return headers;
    }

    private static Header header(String name, JsonNode value, int index) {
        if (value == null || value.isNull()) {
            return new Header(name, null);
        }
        if (!value.isString()) {
            throw ErrorCode.INVALID_RECORD.exception("Header '" + name + "' of record " + index + " must be a string or null");
        }
        return new Header(name, value.asString().getBytes(StandardCharsets.UTF_8));
    }
}
