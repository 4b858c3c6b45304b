package io.sluice.gateway.web;

import io.sluice.gateway.stream.StreamEvent;
import io.sluice.web.Problems;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;

/**
 * The one place streams become HTTP. As SSE: the opening is a comment with the client's reconnect hint, a record is a
 * {@code record} event whose id is its cursor (what {@code Last-Event-ID} sends back), an assignment an
 * {@code assignment} event, a failure an {@code error} event carrying a problem, after which the stream ends, and a
 * keep-alive a comment. As NDJSON: one JSON value a line.
 */
public final class EventStreams {

    public static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final Duration RECONNECT_AFTER = Duration.ofSeconds(2);

    private EventStreams() {
    }

    /** {@code events} as SSE, ending with the first failure. Responses get it from {@link OpenStreams#sse}. */
    static Flux<ServerSentEvent<Object>> sse(Flux<? extends StreamEvent> events) {
        return events.takeUntil(StreamEvent.Failed.class::isInstance).map(EventStreams::sse);
    }

    static ServerSentEvent<Object> sse(StreamEvent event) {
        return switch (event) {
            // a String is sent as it is: the record's JSON, written once for every subscriber
            case StreamEvent.Delivered delivered ->
                    ServerSentEvent.<Object>builder(delivered.json()).id(delivered.cursor()).event("record").build();
            case StreamEvent.KeepAlive keepAlive -> ServerSentEvent.builder().comment("keep-alive").build();
            case StreamEvent.Assigned assigned ->
                    ServerSentEvent.<Object>builder(assigned.assignment()).event("assignment").build();
            case StreamEvent.Failed failed ->
                    ServerSentEvent.<Object>builder(Problems.of(failed.error())).event("error").build();
            case StreamEvent.Opened opened ->
                    ServerSentEvent.builder().comment(opened.description()).retry(RECONNECT_AFTER).build();
        };
    }

    /** {@code lines} as an NDJSON body, with {@code headers} (where the next read starts, say). */
    public static <T> ResponseEntity<Flux<T>> ndjson(Flux<T> lines, HttpHeaders headers) {
        return ResponseEntity.ok().headers(headers).contentType(NDJSON).body(lines);
    }
}
