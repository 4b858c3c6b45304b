package io.sluice.gateway.format;

import com.fasterxml.jackson.annotation.JsonValue;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.WireFormat;
import io.sluice.schema.WirePayload;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a record key or value is written in JSON bodies, chosen per request ({@code format}, {@code key_format},
 * {@code value_format}):
 * <ul>
 *   <li>{@code json}: any JSON value; stored as its compact JSON text (UTF-8).</li>
 *   <li>{@code string}: a JSON string; stored as its UTF-8 bytes.</li>
 *   <li>{@code binary}: a base64 JSON string; stored as the decoded bytes.</li>
 * </ul>
 * JSON {@code null} (or a missing field) is a null key or value in every format.
 *
 * <p>{@code avro}, {@code protobuf} and {@code json_schema} are values written with a registered schema of that type,
 * in Confluent's wire format ({@link WireFormat}: magic byte 0, the schema id, Protobuf's message indexes, the
 * payload), read and written as their JSON: Avro's JSON encoding, Protobuf's JSON mapping, the JSON Schema document
 * itself. A produce converts with the schema it names ({@code value_schema_id}, {@code value_subject}); a read decodes
 * with the schema the value's id names, once looked up ({@link KnownSchemas}). {@code schema} is any of the three:
 * a read decodes with whatever schema the id names and tags the value with that schema's format, for a topic whose
 * records' types the reader does not know (a console browsing it).
 *
 * <p>Reading renders stored bytes in the asked format when they allow it, and otherwise falls back, telling the
 * reader which rendering it got ({@link RenderedValue#format}): under {@code json}, bytes that are not JSON are a
 * {@code string} when they are UTF-8 and {@code binary} (base64) when not; under {@code string}, bytes that are not
 * UTF-8 are {@code binary}. A value asked for in a schema's format that is not in the wire format, or whose id names no
 * known schema of that type, or that its schema does not decode, falls back as under {@code json}. A topic of mixed
 * content stays readable, and no client mistakes base64 for text.
 */
public enum RecordFormat {
    JSON(null),
    STRING(null),
    BINARY(null),
    AVRO(SchemaType.AVRO),
    PROTOBUF(SchemaType.PROTOBUF),
    JSON_SCHEMA(SchemaType.JSON),
    /** A registered schema of any type: read as that type's format. */
    SCHEMA(null);

    private static final String NAMES = "json, string, binary, avro, protobuf, json_schema or schema";

    private final SchemaType schemaType;

    RecordFormat(SchemaType schemaType) {
        this.schemaType = schemaType;
    }

    /** The type of the registered schemas this format is written with; null for json, string, binary and schema. */
    public SchemaType schemaType() {
        return schemaType;
    }

    /** Whether values in this format are written and read with a registered schema: avro … json_schema, schema. */
    public boolean withSchema() {
        return schemaType != null || this == SCHEMA;
    }

    /** The format of values written with a schema of {@code type}. */
    public static RecordFormat of(SchemaType type) {
        return switch (type) {
            case AVRO -> AVRO;
            case PROTOBUF -> PROTOBUF;
            case JSON -> JSON_SCHEMA;
        };
    }

    /** @param value null: {@code fallback} */
    public static RecordFormat parse(String value, String parameter, RecordFormat fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_REQUEST.exception(parameter + " must be " + NAMES + ", was '" + value + "'");
        }
    }

    /** A header value's format: string or binary (header values are bytes, never JSON documents). */
    public static RecordFormat parseHeaderFormat(String value, String parameter) {
        if (value == null) {
            return STRING;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "string" -> STRING;
            case "binary" -> BINARY;
            default -> throw ErrorCode.INVALID_REQUEST.exception(parameter + " must be string or binary, was '" + value
                    + "'");
        };
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The stored bytes of {@code node}; {@code what} names it in errors ("value of record 3"). A schema's format is
     * stored as {@code json} here: its conversion with the schema comes after, once the schema is looked up.
     */
    public byte[] serialize(JsonNode node, JsonMapper json, String what) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isString()) {
            return serialize(node.asString(), json, what);
        }
        if (this == JSON || withSchema()) {
            return json.writeValueAsBytes(node);
        }
        throw ErrorCode.INVALID_RECORD.exception("The " + what + (this == STRING
                ? " must be a JSON string with format string" : " must be a base64 string with format binary"));
    }

    /** The stored bytes of a JSON string {@code text}, as {@link #serialize(JsonNode, JsonMapper, String)} stores it. */
    public byte[] serialize(String text, JsonMapper json, String what) {
        return switch (this) {
            case JSON, AVRO, PROTOBUF, JSON_SCHEMA, SCHEMA -> jsonString(text, json);
            case STRING -> text.getBytes(StandardCharsets.UTF_8);
            case BINARY -> {
                try {
                    yield Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw ErrorCode.INVALID_RECORD.exception("The " + what + " is not valid base64: " + e.getMessage());
                }
            }
        };
    }

    /**
     * The JSON text of a string, as {@code json.writeValueAsBytes} writes it, without a mapper call per value: the
     * mapper's per-call set-up cost more than the escaping itself (a fifth of a gateway's CPU at 100 one-KiB values
     * per request). A string with surrogates — a pair, or a lone one from a {@code \uD800} escape — goes through the
     * mapper, whose handling of those is the rule.
     */
    static byte[] jsonString(String text, JsonMapper json) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return json.writeValueAsBytes(text);
            }
        }
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        byte[] quoted = new byte[escaped.length + 2];
        quoted[0] = '"';
        System.arraycopy(escaped, 0, quoted, 1, escaped.length);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    /**
     * {@code bytes} as a reader gets them, in this format or the fallback the bytes force (see the class comment). A
     * {@code json} value is checked and made compact in one streaming pass, without building a tree.
     */
    public RenderedValue render(byte[] bytes, JsonMapper json) {
        return render(bytes, json, KnownSchemas.NONE);
    }

    /**
     * {@code bytes} as a reader gets them, decoded with the schema their id names when this is a schema's format and
     * {@code schemas} know it (see the class comment for the fallbacks).
     */
    public RenderedValue render(byte[] bytes, JsonMapper json, KnownSchemas schemas) {
        if (bytes == null) {
            return RenderedValue.nullIn(this);
        }
        if (withSchema()) {
            RenderedValue decoded = decode(bytes, json, schemas);
            return decoded != null ? decoded : JSON.render(bytes, json);
        }
        if (this == JSON) {
            String compact = compactJson(bytes, json);
            return compact != null ? RenderedValue.json(compact) : STRING.render(bytes, json);
        }
        if (this == STRING) {
            int scan = StringBytes.scan(bytes);
            if ((scan & StringBytes.NON_ASCII) == 0 || isUtf8(bytes)) {
                return RenderedValue.string(bytes, (scan & StringBytes.ESCAPES) == 0);
            }
        }
        return RenderedValue.binary(bytes);
    }

    /**
     * {@code bytes} as a reader gets them with {@code masks} applied first: a value in a schema's wire format is masked
     * once decoded, and concealed whole when it is not decoded (its bytes may hold anything); any other value has its
     * bytes masked and is rendered as {@link #render(byte[], JsonMapper, KnownSchemas)} renders them.
     */
    public RenderedValue render(byte[] bytes, JsonMapper json, KnownSchemas schemas, Masks masks) {
        if (bytes == null || masks.isEmpty()) {
            return render(bytes, json, schemas);
        }
        if (bytes.length >= WireFormat.HEADER_SIZE && bytes[0] == WireFormat.MAGIC) {
            RenderedValue decoded = withSchema() ? decode(bytes, json, schemas) : null;
            return decoded == null ? render(masks.concealed(bytes), json, schemas)
                    : RenderedValue.decoded(decoded.format(), decoded.schemaId(), masks.json(decoded.jsonText(), json));
        }
        return render(masks.bytes(bytes, json), json, schemas);
    }

    /**
     * {@code bytes} decoded with their schema, or null when they are not in the wire format, or their schema is not
     * known or of another type than this format's, or does not decode them.
     */
    private RenderedValue decode(byte[] bytes, JsonMapper json, KnownSchemas schemas) {
        if (bytes.length < WireFormat.HEADER_SIZE || bytes[0] != WireFormat.MAGIC) {
            return null;
        }
        ByteBuffer value = ByteBuffer.wrap(bytes);
        int id = WireFormat.schemaId(value);
        ParsedSchema schema = schemas.schema(id);
        if (schema == null || (schemaType != null && schema.type() != schemaType)) {
            return null;
        }
        try {
            WirePayload payload = WireFormat.decode(value, schema.type());
            String text = schema.toJson(payload.payload(), payload.messageIndexes());
            // A JSON Schema payload is the JSON its producer wrote, whitespace and all: made compact, as every rendered
            // value is (an NDJSON line is one record).
            String compact = compactJson(text.getBytes(StandardCharsets.UTF_8), json);
            return compact == null ? null : RenderedValue.decoded(of(schema.type()), id, compact);
        } catch (InvalidPayloadException e) {
            return null;
        }
    }

    /** The compact text of the one JSON value {@code bytes} hold; null when they hold anything else. */
    private static String compactJson(byte[] bytes, JsonMapper json) {
        StringWriter text = new StringWriter(bytes.length);
        try (JsonParser parser = json.createParser(bytes); JsonGenerator out = json.createGenerator(text)) {
            if (parser.nextToken() == null) {
                return null;
            }
            out.copyCurrentStructure(parser);
            if (parser.nextToken() != null) {
                return null;
            }
        } catch (JacksonException e) {
            return null;
        }
        return text.toString();
    }

    /** Whether {@code bytes} are well-formed UTF-8. */
    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
