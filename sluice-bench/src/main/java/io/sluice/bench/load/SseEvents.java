package io.sluice.bench.load;

/**
 * Assembles Server-Sent Events from lines, as the HTML event-stream format defines them: {@code event:}, {@code id:}
 * and {@code data:} fields (several data lines joined by '\n'), comments starting with ':' ignored, a blank line
 * dispatching the event. Not thread-safe: one per stream.
 */
final class SseEvents {

    /** A dispatched event; {@code event} is "message" when the stream named none. */
    record Event(String event, String id, String data) {
    }

    private String event;
    private String id;
    private StringBuilder data;

    /** Feeds one line (without its line terminator); returns the event a blank line completes, else null. */
    Event accept(String line) {
        if (line.isEmpty()) {
            if (data == null) {
                event = null;
                return null;
            }
            Event done = new Event(event == null ? "message" : event, id, data.toString());
            event = null;
            data = null;
            return done;
        }
        if (line.charAt(0) == ':') {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> event = value;
            case "id" -> id = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // retry and unknown fields do not matter here
            }
        }
        return null;
    }
}
