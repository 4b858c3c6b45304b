package io.sluice.gateway.format;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The masking rules that apply to one part (keys, values or header values) of one topic's records, in order, and how
 * they change stored bytes before they are rendered: a JSON document is masked field by field and written again, a
 * text has the rules' patterns applied, and bytes that cannot be looked into (not UTF-8) are concealed whole. A value
 * in a schema's wire format is masked once decoded to its JSON ({@link #json}); undecoded, it is concealed whole.
 */
public final class Masks {

    /** No rule: values are rendered as stored. */
    public static final Masks NONE = new Masks(List.of());

    private final List<Mask> rules;

    Masks(List<Mask> rules) {
        this.rules = List.copyOf(rules);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** {@code bytes} as the rules leave them, to be rendered in any format. */
    byte[] bytes(byte[] bytes, JsonMapper json) {
        JsonNode document = document(bytes, json);
        if (document != null) {
            return json.writeValueAsBytes(masked(document));
        }
        String text = utf8(bytes);
        if (text == null) {
            return concealed(bytes);
        }
        for (Mask rule : rules) {
            text = rule.apply(text);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The compact JSON text of a decoded value, as the rules leave it. */
    String json(String compact, JsonMapper json) {
        return json.writeValueAsString(masked(json.readTree(compact)));
    }

    /** Bytes that cannot be looked into, concealed whole: by the first rule's action. */
    byte[] concealed(byte[] bytes) {
        return rules.getFirst().concealBytes(bytes).getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode masked(JsonNode document) {
        JsonNode masked = document;
        for (Mask rule : rules) {
            masked = rule.apply(masked);
        }
        return masked;
    }

    /** The one JSON value {@code bytes} hold; null when they hold anything else. */
    private static JsonNode document(byte[] bytes, JsonMapper json) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            JsonNode node = json.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
