package io.sluice.adminui.groups;

import io.sluice.adminui.gateway.GatewayRequests.OffsetReset;
import java.util.ArrayList;
import java.util.List;

/**
 * The offset reset form: a topic, where to ({@code earliest}, {@code latest}, {@code offset}, {@code timestamp},
 * {@code shift}) with its one value, optional partitions ({@code 0,2}), and which button: {@code preview} (a dry
 * run) or {@code apply}.
 */
record ResetForm(String topic, String to, String value, String partitions, String action, String force) {

    static ResetForm empty() {
        return new ResetForm("", "earliest", "", "", "preview", null);
    }

    static final class BadReset extends RuntimeException {
        BadReset(String message) {
            super(message);
        }
    }

    boolean apply() {
        return "apply".equals(action);
    }

    OffsetReset request() {
        String target = to == null || to.isBlank() ? "earliest" : to.strip();
        String text = value == null ? "" : value.strip();
        Long offset = null;
        Long shift = null;
        String timestamp = null;
        switch (target) {
            case "offset" -> offset = number("Offset", text);
            case "shift" -> shift = number("Shift", text);
            case "timestamp" -> timestamp = text.isEmpty() ? null : text;
            default -> {
            }
        }
        return new OffsetReset(topic == null ? "" : topic.strip(), partitionList(), target, timestamp, offset, shift,
                !apply(), "on".equals(force) || "true".equals(force));
    }

    private List<Integer> partitionList() {
        if (partitions == null || partitions.isBlank()) {
            return null;
        }
        List<Integer> list = new ArrayList<>();
        for (String part : partitions.split(",")) {
            list.add(number("Partitions", part.strip()).intValue());
        }
        return list;
    }

    private static Long number(String what, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadReset(what + " must be a whole number, was '" + text + "'");
        }
    }
}
