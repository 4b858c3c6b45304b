package io.sluice.it;

import io.sluice.internal.SluiceJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * An SSE group member as a client sees it: one connection to {@code GET /v1/groups/{group}/records}, its events
 * parsed on a reader thread and handed to {@code onEvent}. {@link #close} drops the connection.
 */
final class GroupSse implements AutoCloseable {

    /** One event: its type, parsed data and id (the member cursor of record events). */
    record Event(String type, JsonNode data, String id) {
    }

    private final InputStream body;
    private final Thread reader;
    private volatile boolean closed;

    private GroupSse(InputStream body, Consumer<Event> onEvent) {
        this.body = body;
        this.reader = Thread.ofPlatform().daemon().name("group-sse").start(() -> read(onEvent));
    }

    static GroupSse open(HttpClient http, URI uri, Consumer<Event> onEvent) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                try (InputStream in = response.body()) {
                    throw new AssertionError(uri + " answered " + response.statusCode() + ": "
                            + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return new GroupSse(response.body(), onEvent);
        } catch (IOException e) {
            throw new AssertionError("opening " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void read(Consumer<Event> onEvent) {
        try {
            SseEvents.read(body, event -> onEvent.accept(new Event(event.type(),
                    SluiceJson.mapper().readTree(event.data()), event.id())));
        } catch (IOException e) {
            if (!closed) {
                System.out.println("[group-sse] connection lost: " + e);
            }
        }
    }

    boolean isOpen() {
        return reader.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException e) {
            // The connection is gone either way.
        }
    }
}
