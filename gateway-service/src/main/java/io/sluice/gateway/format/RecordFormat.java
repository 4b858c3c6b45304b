package io.sluice.gateway.format;

import com.fasterxml.jackson.annotation.JsonValue;
import io.sluice.protocol.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

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
 * <p>Reading renders stored bytes in the asked format when they allow it, and otherwise falls back, telling the
 * reader which rendering it got ({@link Rendered#format}): under {@code json}, bytes that are not JSON are a
 * {@code string} when they are UTF-8 and {@code binary} (base64) when not; under {@code string}, bytes that are not
 * UTF-8 are {@code binary}. A topic of mixed content stays readable, and no client mistakes base64 for text.
 */
public enum RecordFormat {
    JSON,
    STRING,
    BINARY;

    /** A key, value or header value as a reader gets it: the JSON to show and the format it is written in. */
    public record Rendered(JsonNode node, RecordFormat format) {
    }

    /** @param value null: {@code fallback} */
    public static RecordFormat parse(String value, String parameter, RecordFormat fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_REQUEST.exception(parameter + " must be json, string or binary, was '" + value + "'");
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

    /** The stored bytes of {@code node}; {@code what} names it in errors ("value of record 3"). */
    public byte[] serialize(JsonNode node, JsonMapper json, String what) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return switch (this) {
            case JSON -> json.writeValueAsBytes(node);
            case STRING -> {
                if (!node.isString()) {
                    throw ErrorCode.INVALID_RECORD.exception("The " + what + " must be a JSON string with format string");
                }
                yield node.asString().getBytes(StandardCharsets.UTF_8);
            }
            case BINARY -> {
                if (!node.isString()) {
                    throw ErrorCode.INVALID_RECORD.exception("The " + what + " must be a base64 string with format binary");
                }
                try {
                    yield Base64.getDecoder().decode(node.asString());
                } catch (IllegalArgumentException e) {
                    throw ErrorCode.INVALID_RECORD.exception("The " + what + " is not valid base64: " + e.getMessage());
                }
            }
        };
    }

    /** {@code bytes} as JSON for a reader, in this format or the fallback the bytes force (see the class comment). */
    public Rendered deserialize(byte[] bytes, JsonMapper json) {
        if (bytes == null) {
            return new Rendered(JsonNodeFactory.instance.nullNode(), this);
        }
        if (this == JSON) {
            try {
                return new Rendered(json.readTree(bytes), JSON);
            } catch (JacksonException e) {
                return STRING.deserialize(bytes, json);
            }
        }
        if (this == STRING) {
            String text = utf8(bytes);
            if (text != null) {
                return new Rendered(JsonNodeFactory.instance.stringNode(text), STRING);
            }
        }
        return new Rendered(JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(bytes)), BINARY);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
