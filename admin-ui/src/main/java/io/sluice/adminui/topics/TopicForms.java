package io.sluice.adminui.topics;

import io.sluice.adminui.gateway.GatewayRequests.ConfigValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The topic forms as posted: every field a string, so that what a person typed can be shown again with the problem
 * next to it. Parsing here catches only what the gateway could not be asked at all (a count that is not a number, a
 * config line without '='); every rule of the API itself (ranges, names, config values) is the gateway's to apply.
 */
final class TopicForms {

    private TopicForms() {
    }

    record NewTopicForm(String name, String partitions, String replicationFactor, String configs) {

        static NewTopicForm empty() {
            return new NewTopicForm("", "3", "3", "");
        }
    }

    record DeleteForm(String confirm) {
    }

    record ConfigForm(String name, String value, String action) {

        boolean reset() {
            return "reset".equals(action);
        }
    }

    record PartitionsForm(String partitionCount) {
    }

    /** A form field that is not what it must be; nothing was sent to the gateway. */
    static final class FormError extends RuntimeException {

        FormError(String message) {
            super(message);
        }
    }

    static int wholeNumber(String field, String text) {
        try {
            return Integer.parseInt(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new FormError(field + " must be a whole number, was '" + (text == null ? "" : text.strip()) + "'");
        }
    }

    /** {@code name=value} lines, blank lines ignored. */
    static List<ConfigValue> configLines(String text) {
        List<ConfigValue> configs = new ArrayList<>();
        if (text == null) {
            return configs;
        }
        int line = 0;
        for (String raw : text.split("\\R")) {
            line++;
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new FormError("Config line " + line + " must be name=value, was '" + entry + "'");
            }
            configs.add(new ConfigValue(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip()));
        }
        return configs;
    }
}
