package io.sluice.gateway.format;

import io.sluice.protocol.ErrorCode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * How a record key or value is written in JSON bodies, chosen per request ({@code key_format}, {@code value_format}):
 * <ul>
 *   <li>{@code json}: any JSON value; stored as its compact JSON text (UTF-8).</li>
 *   <li>{@code string}: a JSON string; stored as its UTF-8 bytes.</li>
 *   <li>{@code binary}: a base64 JSON string; stored as the decoded bytes.</li>
 * </ul>
 * JSON {@code null} (or a missing field) is a null key or value in every format.
 */
public enum RecordFormat {
    JSON,
    STRING,
    BINARY;

    public static RecordFormat parse(String value, String parameter) {
        if (value == null) {
            return JSON;
        }
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_REQUEST.exception(parameter + " must be json, string or binary, was '" + value + "'");
        }
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

    /**
     * {@code bytes} as JSON for a reader. Under {@code json}, bytes that are not JSON are given as a JSON string of
     * their UTF-8 text (or base64 when not UTF-8), so a topic with mixed content stays readable.
     */
    public JsonNode deserialize(byte[] bytes, JsonMapper json) {
        if (bytes == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        return switch (this) {
            case JSON -> {
                try {
                    yield json.readTree(bytes);
                } catch (JacksonException e) {
                    yield JsonNodeFactory.instance.stringNode(text(bytes));
                }
            }
            case STRING -> JsonNodeFactory.instance.stringNode(text(bytes));
            case BINARY -> JsonNodeFactory.instance.stringNode(Base64.getEncoder().encodeToString(bytes));
        };
    }

    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }
}
