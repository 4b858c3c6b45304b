package io.sluice.gateway.produce;

import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.format.Timestamps;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.Header;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns produce bodies into {@link ProduceRecord}s. A body is a JSON array of records, or an object
 * {@code {"format", "key_format", "value_format", "header_format", "records": [...]}} whose formats win over the
 * query parameters'; each record is {@code {"key", "value", "headers", "partition", "timestamp"}} where headers are an
 * object of name → value (or null) or an array of {@code {"key", "value"}} (repeated names kept in order), and the
 * timestamp is ms since the epoch or an ISO-8601 instant. Any other field is refused, naming it: a misspelt
 * {@code "partiton"} would otherwise be a record sent to a partition nobody chose. Every problem is an
 * INVALID_REQUEST / INVALID_RECORD naming the record and, for unparseable JSON, the line and column.
 */
@Component
final class RecordParser {

    private static final Set<String> ENVELOPE_FIELDS = new TreeSet<>(Set.of("format", "key_format", "value_format",
            "header_format", "records"));
    private static final Set<String> RECORD_FIELDS = new TreeSet<>(Set.of("key", "value", "headers", "partition",
            "timestamp"));
    private static final Set<String> HEADER_FIELDS = new TreeSet<>(Set.of("key", "value"));

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

    List<ProduceRecord> records(JsonNode body, Formats formats) {
        JsonNode records = body;
        if (body.isObject()) {
            refuseUnknownFields(body, ENVELOPE_FIELDS, "The request body");
            formats = formats.with(text(body, "format"), text(body, "key_format"), text(body, "value_format"),
                    text(body, "header_format"));
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
            parsed.add(record(records.get(i), i, formats));
        }
        return parsed;
    }

    ProduceRecord record(JsonNode node, int index, Formats formats) {
        if (node == null || !node.isObject()) {
            throw ErrorCode.INVALID_RECORD.exception("Record " + index + " must be a JSON object");
        }
        refuseUnknownFields(node, RECORD_FIELDS, "Record " + index);
        Integer partition = null;
        if (node.hasNonNull("partition")) {
            JsonNode given = node.get("partition");
            // canConvertToInt first: asInt() throws on values beyond int range (a 500 for a client's mistake).
            if (!given.isIntegralNumber() || !given.canConvertToInt() || given.asInt() < 0) {
                throw ErrorCode.INVALID_RECORD.exception("The partition of record " + index + " must be an integer >= 0");
            }
            partition = given.asInt();
        }
        long timestamp = node.hasNonNull("timestamp") ? timestamp(node.get("timestamp"), index) : clock.millis();
        byte[] key = formats.keys().serialize(node.get("key"), json, "key of record " + index);
        byte[] value = formats.values().serialize(node.get("value"), json, "value of record " + index);
        return new ProduceRecord(partition, key, value, headers(node.get("headers"), index, formats.headers()), timestamp);
    }

    private static long timestamp(JsonNode given, int index) {
        if (given.isString()) {
            try {
                return Timestamps.parse(given.asString(), "timestamp");
            } catch (SluiceException e) {
                throw ErrorCode.INVALID_RECORD.exception("The timestamp of record " + index + ": " + e.getMessage());
            }
        }
        if (!given.isIntegralNumber() || !given.canConvertToLong() || given.asLong() < 0) {
            throw ErrorCode.INVALID_RECORD.exception("The timestamp of record " + index
                    + " must be milliseconds since the epoch (an integer >= 0) or an ISO-8601 instant string");
        }
        return given.asLong();
    }

    private List<Header> headers(JsonNode node, int index, RecordFormat format) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                headers.add(header(entry.getKey(), entry.getValue(), index, format));
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isObject()) {
                    throw ErrorCode.INVALID_RECORD.exception("Each header of record " + index
                            + " must be an object {\"key\", \"value\"}");
                }
                refuseUnknownFields(item, HEADER_FIELDS, "A header of record " + index);
                JsonNode name = item.get("key");
                if (name == null || !name.isString()) {
                    throw ErrorCode.INVALID_RECORD.exception("Each header of record " + index + " needs a string \"key\"");
                }
                headers.add(header(name.asString(), item.get("value"), index, format));
            }
        } else {
            throw ErrorCode.INVALID_RECORD.exception("The headers of record " + index
                    + " must be an object or an array of {\"key\", \"value\"}");
        }
        return headers;
    }

    private Header header(String name, JsonNode value, int index, RecordFormat format) {
        if (value != null && !value.isNull() && !value.isString()) {
            throw ErrorCode.INVALID_RECORD.exception("Header '" + name + "' of record " + index
                    + " must be a string or null");
        }
        return new Header(name, format.serialize(value, json, "value of header '" + name + "' of record " + index));
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw ErrorCode.INVALID_REQUEST.exception(field + " must be a string");
        }
        return value.asString();
    }

    private static void refuseUnknownFields(JsonNode object, Set<String> known, String what) {
        for (String field : object.propertyNames()) {
            if (!known.contains(field)) {
                throw ErrorCode.INVALID_REQUEST.exception(what + " has an unknown field '" + field + "'; the fields "
                        + "there are " + String.join(", ", known));
            }
        }
    }
}
