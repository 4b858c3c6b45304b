package io.sluice.adminui.sharegroups;

import io.sluice.adminui.gateway.GatewayRequests.ShareReset;
import io.sluice.adminui.web.ResetFields;

/**
 * The share-group reset form: a topic, where to ({@code earliest}, {@code latest}, {@code offset},
 * {@code timestamp}) with its one value, optional partitions ({@code 0,2}), and which button: {@code preview} (a dry
 * run) or {@code apply}.
 */
record ShareResetForm(String topic, String to, String value, String partitions, String action) {

    static ShareResetForm empty() {
        return new ShareResetForm("", "earliest", "", "", "preview");
    }

    boolean apply() {
        return "apply".equals(action);
    }

    ShareReset request() {
        String target = to == null || to.isBlank() ? "earliest" : to.strip();
        String text = value == null ? "" : value.strip();
        Long offset = null;
        String timestamp = null;
        switch (target) {
            case "offset" -> offset = ResetFields.number("Offset", text);
            case "timestamp" -> timestamp = text.isEmpty() ? null : text;
            default -> {
            }
        }
        return new ShareReset(topic == null ? "" : topic.strip(), ResetFields.partitions(partitions), target,
                timestamp, offset, !apply());
    }
}
