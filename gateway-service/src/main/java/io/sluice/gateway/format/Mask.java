package io.sluice.gateway.format;

import io.sluice.gateway.format.MaskingRule.MaskedPart;
import io.sluice.gateway.format.MaskingRule.MaskingAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One compiled masking rule: what of a JSON document or a text it conceals, and how. With neither fields nor a
 * pattern it conceals the whole value; with fields, those fields' values (or, with a pattern too, what the pattern
 * matches in them); with a pattern alone, what it matches in every string and number of a document, or in a text.
 * Concealing is replacing with the rule's replacement, or with {@code sha256:} and the hex SHA-256 of what is
 * concealed (a field's string value, or its JSON text).
 */
record Mask(Set<MaskedPart> parts, List<List<String>> paths, Pattern pattern, MaskingAction action,
            String replacement) {

    private static final String ANY = "*";

    /** Whether the rule conceals the whole value, whatever it is. */
    boolean whole() {
        return paths.isEmpty() && pattern == null;
    }

    /** {@code root} with what this rule conceals concealed; {@code root} itself may be changed. */
    JsonNode apply(JsonNode root) {
        if (whole()) {
            return JsonNodeFactory.instance.stringNode(conceal(text(root)));
        }
        if (paths.isEmpty()) {
            return matches(root);
        }
        JsonNode masked = root;
        for (List<String> path : paths) {
            masked = at(masked, path, 0);
        }
        return masked;
    }

    /** {@code text} (not JSON) with what this rule conceals concealed: fields do not exist in a text. */
    String apply(String text) {
        if (whole()) {
            return conceal(text);
        }
        return paths.isEmpty() ? replaceMatches(text) : text;
    }

    /** The bytes of a value that cannot be looked into (binary, or in a schema's wire format), concealed whole. */
    String concealBytes(byte[] bytes) {
        return action == MaskingAction.HASH ? hash(bytes) : replacement;
    }

    private JsonNode at(JsonNode node, List<String> path, int depth) {
        if (depth == path.size()) {
            return pattern == null ? JsonNodeFactory.instance.stringNode(conceal(text(node))) : matches(node);
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, at(array.get(i), path, depth));
            }
        } else if (node instanceof ObjectNode object) {
            String wanted = path.get(depth);
            for (String name : List.copyOf(object.propertyNames())) {
                if (wanted.equals(ANY) || wanted.equals(name)) {
                    object.set(name, at(object.get(name), path, depth + 1));
                }
            }
        }
        return node;
    }

    /** {@code node} with what the pattern matches in its strings and numbers concealed. */
    private JsonNode matches(JsonNode node) {
        if (node.isString() || node.isNumber()) {
            String text = node.isString() ? node.asString() : node.toString();
            String replaced = replaceMatches(text);
            return replaced.equals(text) ? node : JsonNodeFactory.instance.stringNode(replaced);
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, matches(array.get(i)));
            }
        } else if (node instanceof ObjectNode object) {
            for (String name : List.copyOf(object.propertyNames())) {
                object.set(name, matches(object.get(name)));
            }
        }
        return node;
    }

    private String replaceMatches(String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.replaceAll(match -> Matcher.quoteReplacement(conceal(match.group()))) : text;
    }

    private String conceal(String text) {
        return action == MaskingAction.HASH ? hash(text.getBytes(StandardCharsets.UTF_8)) : replacement;
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.asString() : node.toString();
    }

    private static String hash(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
