package io.sluice.adminui.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A redirect after a form that worked, carrying a one-line notice for the next page in its query string. */
public final class Notices {

    private Notices() {
    }

    public static String redirect(String path, String notice) {
        return "redirect:" + path + (path.contains("?") ? "&" : "?") + "notice="
                + URLEncoder.encode(notice, StandardCharsets.UTF_8);
    }
}
