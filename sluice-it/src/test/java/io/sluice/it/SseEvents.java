package io.sluice.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Server-Sent Events parsed from a stream's lines as an EventSource parses them: {@code event:}, {@code id:} and
 * {@code data:} lines up to a blank line make one event; comments and events without data are not handed on. JDK
 * classes only: {@link GroupSseClient} runs it in a process of its own.
 */
public final class SseEvents {

    /** One event: its type ({@code message} when it names none), its id (null when none) and its data. */
    public record Event(String type, String id, String data) {
    }

    private SseEvents() {
    }

    /** Hands {@code onEvent} each event of {@code in} until the stream ends. */
    public static void read(InputStream in, Consumer<Event> onEvent) throws IOException {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String type = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        onEvent.accept(new Event(type == null ? "message" : type, id, data.toString()));
                    }
                    type = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        }
    }
}
