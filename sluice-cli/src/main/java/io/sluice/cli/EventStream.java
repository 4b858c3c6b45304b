package io.sluice.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A Server-Sent Events reader (the WHATWG event stream format): {@code event:}, {@code data:} (lines joined with
 * newlines) and {@code id:} fields, an event per blank line, comments ({@code : keep-alive}) skipped. Not
 * thread-safe.
 */
final class EventStream implements AutoCloseable {

    /** One event: its type ({@code message} when the stream names none), data and id (null when none). */
    record Event(String type, String data, String id) {
    }

    private final BufferedReader reader;

    EventStream(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event; empty at the end of the stream. */
    Optional<Event> next() throws IOException {
        String type = null;
        StringBuilder data = null;
        String id = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(new Event(type == null ? "message" : type, data.toString(), id));
                }
                type = null;
                id = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> type = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> id = value;
                default -> {
                    // retry and unknown fields mean nothing to this reader
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
