package io.sluice.adminui.messages;

import io.sluice.adminui.messages.BrowseQuery.BadQuery;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A search as the query string names it, so that a search is a bookmark: the text {@code q} to find, where to look
 * for it ({@code in}: any, key, value, headers), the range (a partition or all; from {@code start}: earliest, an
 * offset or a timestamp, as the message browser names them; to {@code end}: latest, or {@code endOffset}, inclusive)
 * and the display of the matches; {@code ignoreCase} set (to anything) matches regardless of case. Absent {@code q}:
 * the form, nothing searched yet.
 */
record SearchQuery(String q, String in, String partition, String start, String offset, String timestamp,
                          String end, String endOffset, String format, String ignoreCase) {

    public SearchQuery {
        start = start == null || start.isBlank() ? "earliest" : start.strip();
        end = end == null || end.isBlank() ? "latest" : end.strip();
        in = in == null || in.isBlank() ? "any" : in.strip().toLowerCase(Locale.ROOT);
    }

    /** Where the text is looked for in a record. */
    enum Where {
        /** Key, value, a header's name or value. */
        ANY,
        KEY,
        VALUE,
        /** A header's name or value. */
        HEADERS
    }

    public boolean caseIgnored() {
        return ignoreCase != null && !ignoreCase.isBlank();
    }

    public boolean submitted() {
        return q != null;
    }

    String text() {
        if (q == null || q.isBlank()) {
            throw new BadQuery("Type the text to search for; an empty search would match every record");
        }
        return q;
    }

    Where where() {
        try {
            return Where.valueOf(in.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadQuery("Search in must be any, key, value or headers, was '" + in + "'");
        }
    }

    /** The range's start, checked as the message browser checks it. */
    BrowseQuery from() {
        if (!start.equals("earliest") && !start.equals("offset") && !start.equals("timestamp")) {
            throw new BadQuery("A search starts at earliest, an offset or a timestamp, was '" + start + "'");
        }
        return new BrowseQuery(partition, start, offset, timestamp, null, format, null);
    }

    /** The last offset to read (inclusive), or null to read to the high watermark as it is when the search starts. */
    Long lastOffset() {
        return switch (end) {
            case "latest" -> null;
            case "offset" -> {
                String text = endOffset == null ? "" : endOffset.strip();
                if (!text.matches("\\d{1,18}")) {
                    throw new BadQuery("End offset must be a number ≥ 0, was '" + text + "'");
                }
                long last = Long.parseLong(text);
                if (start.equals("offset") && last < Long.parseLong(from().offsetNumber())) {
                    throw new BadQuery("End offset " + last + " is before the start offset " + offset.strip());
                }
                yield last;
            }
            default -> throw new BadQuery("A search ends at latest or an offset, was '" + end + "'");
        };
    }

    /** Every field checked, so that a search that would be refused reads nothing; throws {@link BadQuery}. */
    void check() {
        text();
        checkRange();
    }

    /** Whether there is a text to look for: an export without one takes every record of the range. */
    public boolean hasText() {
        return q != null && !q.isEmpty();
    }

    /** Every field but the text checked, as an export checks them; throws {@link BadQuery}. */
    void checkRange() {
        where();
        BrowseQuery from = from();
        from.partitionNumber();
        switch (start) {
            case "offset" -> from.offsetNumber();
            case "timestamp" -> from.timestampMillis();
            default -> {
            }
        }
        lastOffset();
    }

    public Display display() {
        return Display.of(format);
    }

    /** The stream of this search's events. */
    String eventsUrl(String topic) {
        return url("/topics/{topic}/search/events", topic, Map.of());
    }

    /**
     * The file of this search's matches (of every record of its range, without a text) as {@code as} (jsonl or csv),
     * its progress kept under {@code export}.
     */
    String exportUrl(String topic, String as, String export) {
        Map<String, String> more = new LinkedHashMap<>();
        more.put("as", as);
        more.put("export", export);
        return url("/topics/{topic}/export", topic, more);
    }

    private String url(String path, String topic, Map<String, String> more) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(path);
        Map<String, Object> values = new HashMap<>();
        values.put("topic", topic);
        maybe(uri, values, "q", q);
        maybe(uri, values, "in", in);
        maybe(uri, values, "partition", partition);
        maybe(uri, values, "start", start);
        maybe(uri, values, "offset", offset);
        maybe(uri, values, "timestamp", timestamp);
        maybe(uri, values, "end", end);
        maybe(uri, values, "endOffset", endOffset);
        maybe(uri, values, "format", format);
        maybe(uri, values, "ignoreCase", ignoreCase);
        more.forEach((name, value) -> maybe(uri, values, name, value));
        return uri.encode().buildAndExpand(values).toUriString();
    }

    /** Values as template variables, so that each is encoded whole: '&', '+' and '{' are search text like any other. */
    private static void maybe(UriComponentsBuilder uri, Map<String, Object> values, String name, String value) {
        if (value != null && !value.isBlank()) {
            uri.queryParam(name, "{" + name + "}");
            values.put(name, name.equals("q") ? value : value.strip());
        }
    }
}
