package io.sluice.adminui.web;

import java.util.ArrayList;
import java.util.List;

/**
 * What the consumer groups' and the share groups' reset forms read alike: whole numbers and a partition list
 * ({@code 0,2}), each refused with a {@link BadReset} that the form's page shows.
 */
public final class ResetFields {

    /** A reset form's field that does not read; the page shows the message and nothing is sent. */
    public static final class BadReset extends RuntimeException {
        BadReset(String message) {
            super(message);
        }
    }

    private ResetFields() {
    }

    /** The partitions listed ({@code 0,2}), or null when none are: every partition. */
    public static List<Integer> partitions(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        List<Integer> list = new ArrayList<>();
        for (String part : text.split(",")) {
            list.add(number("Partitions", part.strip()).intValue());
        }
        return list;
    }

    public static Long number(String what, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadReset(what + " must be a whole number, was '" + text + "'");
        }
    }
}
