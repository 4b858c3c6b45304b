package io.sluice.adminui.sharegroups;

import io.sluice.adminui.gateway.GatewayRequests.ShareReset;
import java.util.ArrayList;
import java.util.List;

/**
 * The share-group reset form: a topic, where to ({@code earliest}, {@code latest}, {@code offset},
 * {@code timestamp}) with its one value, optional partitions ({@code 0,2}), and which button: {@code preview} (a dry
 * run) or {@code apply}.
 */
record ShareResetForm(String topic, String to, String value, String partitions, String action) {

    static ShareResetForm empty() {
        return new ShareResetForm("", "earliest", "", "", "preview");
    }

    static final class BadReset extends RuntimeException {
        BadReset(String message) {
            super(message);
        }
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
            case "offset" -> offset = number("Offset", text);
            case "timestamp" -> timestamp = text.isEmpty() ? null : text;
            default -> {
            }
        }
        return new ShareReset(topic == null ? "" : topic.strip(), partitionList(), target, timestamp, offset,
                !apply());
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
