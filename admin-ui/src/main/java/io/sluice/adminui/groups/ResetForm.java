package io.sluice.adminui.groups;

import io.sluice.adminui.gateway.GatewayRequests.OffsetReset;
import io.sluice.adminui.web.ResetFields;

/**
 * The offset reset form: a topic, where to ({@code earliest}, {@code latest}, {@code offset}, {@code timestamp},
 * {@code shift}) with its one value, optional partitions ({@code 0,2}), and which button: {@code preview} (a dry
 * run) or {@code apply}.
 */
record ResetForm(String topic, String to, String value, String partitions, String action, String force) {

    static ResetForm empty() {
        return new ResetForm("", "earliest", "", "", "preview", null);
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
            case "offset" -> offset = ResetFields.number("Offset", text);
            case "shift" -> shift = ResetFields.number("Shift", text);
            case "timestamp" -> timestamp = text.isEmpty() ? null : text;
            default -> {
            }
        }
        return new OffsetReset(topic == null ? "" : topic.strip(), ResetFields.partitions(partitions), target,
                timestamp, offset, shift, !apply(), "on".equals(force) || "true".equals(force));
    }
}
