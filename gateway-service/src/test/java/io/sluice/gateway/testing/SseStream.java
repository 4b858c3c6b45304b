package io.sluice.gateway.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client over a plain HTTP connection, as a browser's EventSource reads it: events are parsed
 * from {@code id:}, {@code event:} and {@code data:} lines, comments are skipped. A reader thread hands events over a
 * small bounded queue, so a test that stops taking events stops the reading from the socket: real TCP backpressure on
 * the gateway. {@link #close} drops the connection (a client disconnect).
 */
public final class SseStream implements AutoCloseable {

    /** One event; {@code id} is the cursor of record events. */
    public record Event(String id, String event, String data) {
    }

    private static final Object END = new Object();

    private final int status;
    private final String errorBody;
    private final InputStream body;
    private final BlockingQueue<Object> events;
    private final Thread reader;
    private volatile boolean closed;

    private SseStream(int status, String errorBody, InputStream body, int capacity) {
        this.status = status;
        this.errorBody = errorBody;
        this.body = body;
        this.events = new ArrayBlockingQueue<>(capacity);
        this.reader = body == null ? null : Thread.ofPlatform().daemon().name("sse-reader").start(this::read);
    }

    /** Opens {@code uri} with {@code Accept: text/event-stream}, resuming after {@code lastEventId} when given. */
    public static SseStream open(HttpClient http, URI uri, String lastEventId, int capacity) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return open(http, request, capacity);
    }

    /** Opens {@code request} (a GET with any headers of its own) with {@code Accept: text/event-stream}. */
    public static SseStream open(HttpClient http, HttpRequest.Builder request, int capacity) {
        request.header("Accept", "text/event-stream");
        URI uri = request.copy().build().uri();
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                try (InputStream in = response.body()) {
                    return new SseStream(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                            null, 1);
                }
            }
            return new SseStream(200, null, response.body(), capacity);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return status;
    }

    /** The problem body of a stream that did not open. */
    public String errorBody() {
        return errorBody;
    }

    /**
     * The next event, or null when none came within {@code timeout}.
     *
     * @throws IllegalStateException when the stream ended or failed
     */
    public Event next(Duration timeout) {
        try {
            Object next = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (next == END) {
                events.offer(END);
                throw new IllegalStateException("The event stream ended");
            }
            if (next instanceof Throwable failure) {
                throw new IllegalStateException("The event stream failed", failure);
            }
            return (Event) next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.put(new Event(id, event == null ? "message" : event, data.toString()));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    value = value.startsWith(" ") ? value.substring(1) : value;
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> { }
                    }
                }
            }
            events.put(END);
        } catch (IOException e) {
            if (!closed) {
                events.offer(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drops the connection. */
    @Override
    public void close() {
        closed = true;
        if (body != null) {
            try {
                body.close();
            } catch (IOException e) {
                // Closing is all that is wanted; an error while doing so changes nothing.
            }
            reader.interrupt();
        }
    }
}
