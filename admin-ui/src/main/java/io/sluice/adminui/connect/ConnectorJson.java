package io.sluice.adminui.connect;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A connector's JSON as a person types it into the console, read before anything is sent to Connect: either Connect's
 * own create body, {@code {"name": "...", "config": {...}}}, or the config object alone with the name in a field of
 * its own. Config values are strings in Connect; a number or a boolean typed without quotes is taken as its text.
 * What cannot be read is refused with a {@link BadJson} saying why, and nothing is sent.
 */
final class ConnectorJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConnectorJson() {
    }

    /** A connector to create: its name and config. */
    record NewConnector(String name, Map<String, String> config) {
    }

    /** JSON the console cannot send to Connect as a connector: the message says what is wrong. */
    static final class BadJson extends RuntimeException {

        BadJson(String message) {
            super(message);
        }
    }

    /**
     * The connector typed as {@code json}, named by its {@code name} field, else by {@code name} (the form's field).
     * Both given and different: refused, not guessed.
     */
    static NewConnector connector(String name, String json) {
        JsonNode root = object(json);
        JsonNode config = root.has("config") ? root.get("config") : root;
        if (!config.isObject()) {
            throw new BadJson("\"config\" must be a JSON object of settings");
        }
        String typed = name == null ? "" : name.strip();
        String named = root.has("config") && root.hasNonNull("name") ? root.get("name").asString().strip() : "";
        if (!typed.isEmpty() && !named.isEmpty() && !typed.equals(named)) {
            throw new BadJson("The name field says " + typed + " but the JSON's \"name\" says " + named);
        }
        String chosen = named.isEmpty() ? typed : named;
        if (chosen.isEmpty()) {
            throw new BadJson("A connector needs a name: fill in the name, or give \"name\" beside \"config\"");
        }
        return new NewConnector(chosen, settings(config));
    }

    /** A connector's config as typed into the edit form: one JSON object of settings. */
    static Map<String, String> config(String json) {
        return settings(object(json));
    }

    /** A config as the edit form shows it: pretty JSON, settings in name order. */
    static String pretty(Map<String, String> config) {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(new TreeMap<>(config));
    }

    private static JsonNode object(String json) {
        if (json == null || json.isBlank()) {
            throw new BadJson("Type the connector's JSON");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new BadJson("Not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadJson("The JSON must be an object, {\"name\": ..., \"config\": {...}} or the config's settings");
        }
        return root;
    }

    private static Map<String, String> settings(JsonNode config) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> setting : config.properties()) {
            JsonNode value = setting.getValue();
            if (value.isContainer()) {
                throw new BadJson("Setting " + setting.getKey() + " must be a string, not " + value.getNodeType()
                        .toString().toLowerCase(Locale.ROOT));
            }
            settings.put(setting.getKey(), value.isNull() ? null : value.asString());
        }
        if (settings.isEmpty()) {
            throw new BadJson("The config has no settings; Connect needs at least \"connector.class\"");
        }
        return settings;
    }
}
