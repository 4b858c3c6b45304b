package io.sluice.gateway.produce;

import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.format.Timestamps;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.Header;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns produce bodies into {@link ProduceRecord}s. A body is a JSON array of records, or an object
 * {@code {"format", "key_format", "value_format", "header_format", "records": [...]}} whose formats win over the
 * query parameters' (and so do its schema fields, {@code "value_schema_id"} and the others of
 * {@link RecordWriting#SCHEMA_PARAMETERS}: a half written with a schema is parsed as {@code json}, and the records
 * come with the {@link RecordWriting} in force, to be converted once the schema is looked up); each record is {@code {"key", "value", "headers", "partition", "timestamp"}} where headers are an
 * object of name → value (or null) or an array of {@code {"key", "value"}} (repeated names kept in order), and the
 * timestamp is ms since the epoch or an ISO-8601 instant. Any other field is refused, naming it: a misspelt
 * {@code "partiton"} would otherwise be a record sent to a partition nobody chose. Every problem is an
 * INVALID_REQUEST / INVALID_RECORD naming the record and, for unparseable JSON, the line and column.
 */
@Component
final class RecordParser {

    private static final Set<String> ENVELOPE_FIELDS = envelopeFields();
    private static final Set<String> RECORD_FIELDS = new TreeSet<>(Set.of("key", "value", "headers", "partition",
            "timestamp"));
    private static final Set<String> TOPIC_RECORD_FIELDS = new TreeSet<>(Set.of("topic", "key", "value", "headers",
            "partition", "timestamp"));
    private static final Set<String> HEADER_FIELDS = new TreeSet<>(Set.of("key", "value"));

    private final JsonMapper json;
    private final Clock clock;

    RecordParser(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    private static Set<String> envelopeFields() {
        Set<String> fields = new TreeSet<>(Set.of("format", "key_format", "value_format", "header_format", "records"));
        fields.addAll(RecordWriting.SCHEMA_PARAMETERS);
        return fields;
    }

    /** A body's records, and how they are written: the request's {@link RecordWriting} with the body's fields. */
    record Parsed<T>(List<T> records, RecordWriting writing) {
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

    /**
     * The records of a JSON produce body, as {@link #records(JsonNode, Formats)} makes them from the body's tree, but
     * read token by token for the shapes clients send: no tree of the whole body, no node and string per field (the
     * tree and the records built from it were 13 % of a gateway's CPU at 100 one-KiB records per request). A body
     * the streaming path does not take (formats after {@code "records"}, a field given twice, any mistake at all) is
     * parsed again as a tree, so every answer, and the wording of every problem, is the tree's.
     */
    List<ProduceRecord> records(byte[] body, Formats formats) {
        return records(body, RecordWriting.DEFAULT.withFormats(formats)).records();
    }

    /**
     * The records of a JSON produce body written as {@code writing} says, laid over by the body's fields. A body
     * with schemas is read as a tree: converting its values with their schema costs more than the tree.
     */
    Parsed<ProduceRecord> records(byte[] body, RecordWriting writing) {
        if (!writing.anySchema() && !writing.formats().anySchema()) {
            List<ProduceRecord> streamed = stream(body, writing.formats());
            if (streamed != null) {
                return new Parsed<>(streamed, writing);
            }
        }
        return records(parse(body), writing);
    }

    /** The records of {@code body} read token by token, or null when the tree has to decide. */
    List<ProduceRecord> stream(byte[] body, Formats formats) {
        try (JsonParser p = json.createParser(body)) {
            JsonToken first = p.nextToken();
            List<ProduceRecord> records;
            if (first == JsonToken.START_ARRAY) {
                records = streamRecords(p, formats);
            } else if (first == JsonToken.START_OBJECT) {
                records = streamEnvelope(p, formats);
            } else {
                return null;
            }
            return records.isEmpty() || p.nextToken() != null ? null : records;
        } catch (NotStreamable | JacksonException | SluiceException e) {
            return null;
        }
    }

    /** {@code {"format": …, "records": [...]}} with every format before the records, each field once. */
    private List<ProduceRecord> streamEnvelope(JsonParser p, Formats formats) {
        String[] given = new String[4];
        List<ProduceRecord> records = null;
        Set<String> seen = new HashSet<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (!seen.add(name)) {
                throw NotStreamable.INSTANCE;
            }
            int format = switch (name) {
                case "format" -> 0;
                case "key_format" -> 1;
                case "value_format" -> 2;
                case "header_format" -> 3;
                case "records" -> -1;
                default -> throw NotStreamable.INSTANCE;
            };
            if (format >= 0 && records == null && value == JsonToken.VALUE_STRING) {
                given[format] = p.getString();
            } else if (format < 0 && value == JsonToken.START_ARRAY) {
                Formats overlaid = formats.with(given[0], given[1], given[2], given[3]);
                if (overlaid.anySchema()) {
                    throw NotStreamable.INSTANCE;
                }
                records = streamRecords(p, overlaid);
            } else if (format < 0 || records != null || value != JsonToken.VALUE_NULL) {
                throw NotStreamable.INSTANCE;
            }
        }
        if (token != JsonToken.END_OBJECT || records == null) {
            throw NotStreamable.INSTANCE;
        }
        return records;
    }

    /** The parser is on the records' START_ARRAY. */
    private List<ProduceRecord> streamRecords(JsonParser p, Formats formats) {
        List<ProduceRecord> records = new ArrayList<>();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.START_OBJECT) {
            records.add(streamRecord(p, formats));
        }
        if (token != JsonToken.END_ARRAY) {
            throw NotStreamable.INSTANCE;
        }
        return records;
    }

    /** The parser is on the record's START_OBJECT. */
    private ProduceRecord streamRecord(JsonParser p, Formats formats) {
        Integer partition = null;
        Long timestamp = null;
        byte[] key = null;
        byte[] value = null;
        List<Header> headers = List.of();
        int seen = 0;
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken given = p.nextToken();
            int field = switch (name) {
                case "key" -> 1;
                case "value" -> 2;
                case "headers" -> 4;
                case "partition" -> 8;
                case "timestamp" -> 16;
                default -> throw NotStreamable.INSTANCE;
            };
            if ((seen & field) != 0) {
                throw NotStreamable.INSTANCE;
            }
            seen |= field;
            switch (field) {
                case 1 -> key = streamBytes(p, given, formats.keys());
                case 2 -> value = streamBytes(p, given, formats.values());
                case 4 -> headers = given == JsonToken.VALUE_NULL ? List.of()
                        : headers(p.readValueAsTree(), 0, formats.headers());
                case 8 -> partition = given == JsonToken.VALUE_NULL ? null : streamPartition(p, given);
                default -> timestamp = given == JsonToken.VALUE_NULL ? null : streamTimestamp(p, given);
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw NotStreamable.INSTANCE;
        }
        return new ProduceRecord(partition, key, value, headers, timestamp != null ? timestamp : clock.millis());
    }

    private byte[] streamBytes(JsonParser p, JsonToken given, RecordFormat format) {
        if (given == JsonToken.VALUE_NULL) {
            return null;
        }
        if (given == JsonToken.VALUE_STRING) {
            return format.serialize(p.getString(), json, "value");
        }
        if (format != RecordFormat.JSON) {
            throw NotStreamable.INSTANCE;
        }
        return format.serialize(p.<JsonNode>readValueAsTree(), json, "value");
    }

    private static int streamPartition(JsonParser p, JsonToken given) {
        if (given != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                || p.getIntValue() < 0) {
            throw NotStreamable.INSTANCE;
        }
        return p.getIntValue();
    }

    private static long streamTimestamp(JsonParser p, JsonToken given) {
        if (given == JsonToken.VALUE_STRING) {
            return Timestamps.parse(p.getString(), "timestamp");
        }
        if (given != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 0) {
            throw NotStreamable.INSTANCE;
        }
        return p.getLongValue();
    }

    /** The streaming path leaves the body to the tree (no stack trace: it is not an error, just a way out). */
    private static final class NotStreamable extends RuntimeException {
        static final NotStreamable INSTANCE = new NotStreamable();

        private NotStreamable() {
            super(null, null, false, false);
        }
    }

    List<ProduceRecord> records(JsonNode body, Formats formats) {
        return records(body, RecordWriting.DEFAULT.withFormats(formats)).records();
    }

    Parsed<ProduceRecord> records(JsonNode body, RecordWriting writing) {
        return each(body, writing, (node, index, given) -> record(node, index, given, RECORD_FIELDS));
    }

    /**
     * The records of an atomic produce ({@code POST /v1/records}): a body as {@link #records(JsonNode, Formats)} takes,
     * each record naming its {@code "topic"} too.
     */
    Parsed<TopicRecord> topicRecords(byte[] body, RecordWriting writing) {
        return each(parse(body), writing, (node, index, given) -> {
            ProduceRecord record = record(node, index, given, TOPIC_RECORD_FIELDS);
            JsonNode topic = node.get("topic");
            if (topic == null || !topic.isString() || topic.asString().isEmpty()) {
                throw ErrorCode.INVALID_RECORD.exception("Record " + index + " must name its topic (\"topic\": a "
                        + "non-empty string)");
            }
            return new TopicRecord(topic.asString(), record);
        });
    }

    /** One record of a body, made from its JSON object. */
    @FunctionalInterface
    private interface RecordReader<T> {
        T read(JsonNode node, int index, Formats formats);
    }

    private <T> Parsed<T> each(JsonNode body, RecordWriting writing, RecordReader<T> reader) {
        JsonNode records = body;
        if (body.isObject()) {
            refuseUnknownFields(body, ENVELOPE_FIELDS, "The request body");
            writing = writing.with(body);
            records = body.get("records");
        }
        Formats formats = writing.parsing();
        if (records == null || !records.isArray()) {
            throw ErrorCode.INVALID_REQUEST.exception("The body must be a JSON array of records or an object with a "
                    + "\"records\" array");
        }
        if (records.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("The request has no records");
        }
        List<T> parsed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            parsed.add(reader.read(records.get(i), i, formats));
        }
        return new Parsed<>(parsed, writing);
    }

    ProduceRecord record(JsonNode node, int index, Formats formats) {
        return record(node, index, formats, RECORD_FIELDS);
    }

    private ProduceRecord record(JsonNode node, int index, Formats formats, Set<String> fields) {
        if (node == null || !node.isObject()) {
            throw ErrorCode.INVALID_RECORD.exception("Record " + index + " must be a JSON object");
        }
        refuseUnknownFields(node, fields, "Record " + index);
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

    private static void refuseUnknownFields(JsonNode object, Set<String> known, String what) {
        for (String field : object.propertyNames()) {
            if (!known.contains(field)) {
                throw ErrorCode.INVALID_REQUEST.exception(what + " has an unknown field '" + field + "'; the fields "
                        + "there are " + String.join(", ", known));
            }
        }
    }
}
