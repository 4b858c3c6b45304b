package io.sluice.gateway.format;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A stored key, value or header value as a reader gets it, in the {@link #format} it is rendered in, kept as bytes
 * until it is written: a {@code string} is written from its UTF-8 bytes (not decoded to a Java string when the
 * generator writes bytes, as the gateway's reads and SSE streams do in UTF-8; copied as they are when rendering found
 * no byte that needs escaping), a {@code binary} as base64 straight from the bytes, a {@code json} value as its
 * compact JSON text, as is a value decoded with its registered schema (which also keeps the schema's id). Readers are
 * the hot path of the gateway, and a JSON tree or a decoded string per record cost
 * more than writing the record itself. Immutable; the bytes are the record's own and must not be changed.
 */
@JsonSerialize(using = RenderedValue.Writer.class)
public final class RenderedValue {

    private final RecordFormat format;
    /** STRING and BINARY: the stored bytes; null for a null value. */
    private final byte[] bytes;
    /** JSON: the compact JSON text. */
    private final String json;
    /** STRING: no byte needs escaping, so the bytes are written between quotes as they are. */
    private final boolean plain;
    /** A schema's format: the id of the schema the value was decoded with; null otherwise. */
    private final Integer schemaId;

    private RenderedValue(RecordFormat format, byte[] bytes, String json, boolean plain, Integer schemaId) {
        this.format = format;
        this.bytes = bytes;
        this.json = json;
        this.plain = plain;
        this.schemaId = schemaId;
    }

    private RenderedValue(RecordFormat format, byte[] bytes, String json, boolean plain) {
        this(format, bytes, json, plain, null);
    }

    /** A null key or value, in the format the reader asked for. */
    static RenderedValue nullIn(RecordFormat format) {
        return new RenderedValue(format, null, null, false);
    }

    /** A value of a schema's {@code format}, decoded with schema {@code schemaId} to the JSON text {@code compact}. */
    static RenderedValue decoded(RecordFormat format, int schemaId, String compact) {
        return new RenderedValue(format, null, compact, false, schemaId);
    }

    /**
     * {@code utf8}, known to be valid UTF-8, as a JSON string; {@code plain} when no byte of it needs escaping there
     * ({@link StringBytes}).
     */
    static RenderedValue string(byte[] utf8, boolean plain) {
        return new RenderedValue(RecordFormat.STRING, utf8, null, plain);
    }

    /** {@code bytes} as a base64 JSON string. */
    static RenderedValue binary(byte[] bytes) {
        return new RenderedValue(RecordFormat.BINARY, bytes, null, false);
    }

    /** A JSON value given as its compact text. */
    static RenderedValue json(String compact) {
        return new RenderedValue(RecordFormat.JSON, null, compact, false);
    }

    /** The format this value is written in: the one asked for, or the fallback the stored bytes forced. */
    public RecordFormat format() {
        return format;
    }

    /** A JSON value's compact text (json, or a schema's format); null for the others. */
    String jsonText() {
        return json;
    }

    /** The id of the schema the value was decoded with; null when it was not decoded with one. */
    public Integer schemaId() {
        return schemaId;
    }

    public boolean isNull() {
        return bytes == null && json == null;
    }

    /** About the length of this value's JSON (exact for plain strings and base64, the bytes' count otherwise). */
    public int jsonLengthHint() {
        if (isNull()) {
            return 4;
        }
        return switch (format) {
            case JSON, AVRO, PROTOBUF, JSON_SCHEMA, SCHEMA -> json.length();
            case STRING -> bytes.length + 2;
            case BINARY -> (bytes.length + 2) / 3 * 4 + 2;
        };
    }

    @Override
    public String toString() {
        if (isNull()) {
            return "null";
        }
        return switch (format) {
            case JSON, AVRO, PROTOBUF, JSON_SCHEMA, SCHEMA -> json;
            case STRING -> '"' + new String(bytes, StandardCharsets.UTF_8) + '"';
            case BINARY -> "base64(" + bytes.length + " bytes)";
        };
    }

    /** Writes the value as it reads: {@code null}, a JSON string (string or base64), or the JSON value itself. */
    static final class Writer extends ValueSerializer<RenderedValue> {

        @Override
        public void serialize(RenderedValue value, JsonGenerator out, SerializationContext context) {
            if (value.isNull()) {
                out.writeNull();
                return;
            }
            switch (value.format) {
                case JSON, AVRO, PROTOBUF, JSON_SCHEMA -> out.writeRawValue(value.json);
                case BINARY -> out.writeBinary(value.bytes);
                case STRING -> writeUtf8(value.bytes, value.plain, out);
            }
        }

        private static void writeUtf8(byte[] utf8, boolean plain, JsonGenerator out) {
            if (out.streamWriteOutputTarget() instanceof java.io.Writer) {
                // A generator over characters cannot take UTF-8 as it is: asked to, it throws, and an exception with
                // its stack trace per value costs more than the decoding.
                out.writeString(new String(utf8, StandardCharsets.UTF_8));
            } else if (plain) {
                out.writeRawUTF8String(utf8, 0, utf8.length);
            } else {
                out.writeUTF8String(utf8, 0, utf8.length);
            }
        }
    }
}
