package io.sluice.adminui.messages;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The message browser's state, all of it in the query string so that a page is a bookmark: which partition (blank:
 * all), where to start ({@code earliest}, {@code latest}: the last page, {@code offset}, {@code timestamp}), or a
 * {@code cursor} from a previous page, the display, and the {@code trail} of cursors of the pages before ({@code ~} for
 * the first), which "Back" walks when reading every partition.
 */
record BrowseQuery(String partition, String start, String offset, String timestamp, String cursor, String format,
                   List<String> trail) {

    public BrowseQuery {
        start = start == null || start.isBlank() ? "earliest" : start.strip();
        trail = trail == null ? List.of() : List.copyOf(trail);
    }

    /** A field that cannot be sent as typed; the page says so and reads nothing. */
    static final class BadQuery extends RuntimeException {
        BadQuery(String message) {
            super(message);
        }
    }

    Integer partitionNumber() {
        if (partition == null || partition.isBlank()) {
            return null;
        }
        try {
            int p = Integer.parseInt(partition.strip());
            if (p >= 0) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadQuery("Partition must be a number ≥ 0 or blank for all partitions, was '" + partition + "'");
    }

    String offsetNumber() {
        String text = offset == null ? "" : offset.strip();
        if (!text.matches("\\d{1,19}")) {
            throw new BadQuery("Offset must be a number ≥ 0, was '" + text + "'");
        }
        return text;
    }

    /**
     * Milliseconds since the epoch, from milliseconds, an ISO-8601 instant with an offset, or a date and time without
     * one (as a {@code datetime-local} field sends it), taken as UTC.
     */
    String timestampMillis() {
        String text = timestamp == null ? "" : timestamp.strip();
        if (text.matches("\\d{1,19}")) {
            return text;
        }
        try {
            return Long.toString(OffsetDateTime.parse(text).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            // next
        }
        try {
            return Long.toString(Instant.parse(text).toEpochMilli());
        } catch (DateTimeParseException e) {
            // next
        }
        try {
            return Long.toString(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new BadQuery("Timestamp must be milliseconds since the epoch or a date and time like "
                    + "2026-01-01T00:00 (UTC) or 2026-01-01T00:00:00+01:00, was '" + text + "'");
        }
    }

    public Display display() {
        return Display.of(format);
    }

    /** This page's URL with changes applied by the caller. */
    UriComponentsBuilder link(String topic) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/topics/{topic}/messages");
        maybe(uri, "partition", partition);
        uri.queryParam("start", start);
        maybe(uri, "offset", offset);
        maybe(uri, "timestamp", timestamp);
        maybe(uri, "format", format);
        return uri;
    }

    private static void maybe(UriComponentsBuilder uri, String name, String value) {
        if (value != null && !value.isBlank()) {
            uri.queryParam(name, value.strip());
        }
    }
}
