package io.sluice.gateway.stream;

import io.sluice.protocol.SluiceException;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * One event of a long-lived stream the gateway serves (a topic's records, a consumer-group member's deliveries), as
 * the service that makes it says it: what happened, never how a protocol writes it. The one envelope of every stream,
 * as kafka-ui's emitter has one; {@code web.EventStreams} frames it (SSE today), so a stream's wording on the wire is
 * written once.
 */
public sealed interface StreamEvent {

    /** The stream's first event: what the stream is, for a person reading it raw. */
    record Opened(String description) implements StreamEvent {
    }

    /**
     * A record: its JSON text (written once, shared by every subscriber) and the cursor that resumes right after it.
     */
    record Delivered(String cursor, String json) implements StreamEvent {
    }

    /** A consumer-group member's assignment, as the member's stream announces it. */
    record Assigned(Object assignment) implements StreamEvent {
    }

    /** Why the stream cannot go on; its last event. */
    record Failed(SluiceException error) implements StreamEvent {
    }

    /** Nothing else to send for a while: tells the client and any proxy between that the stream is alive. */
    record KeepAlive() implements StreamEvent {
    }

    /** The one keep-alive (it carries nothing). */
    KeepAlive KEEP_ALIVE = new KeepAlive();

    /**
     * {@code events} after {@code opening}, with a keep-alive every {@code heartbeat} (timed on {@code timer}) until
     * they end. A client that stops reading misses keep-alives rather than losing its stream.
     */
    static Flux<StreamEvent> framed(Opened opening, Flux<? extends StreamEvent> events, Duration heartbeat,
                                    Scheduler timer) {
        return events.<StreamEvent>map(event -> event).publish(shared -> Flux.merge(Flux.just(opening), shared,
                keepAlives(heartbeat, timer).takeUntilOther(shared.then())));
    }

    /**
     * A keep-alive every {@code heartbeat}, timed on {@code timer}, for a stream that never ends on its own (a group
     * member's) to merge with its events itself.
     */
    static Flux<KeepAlive> keepAlives(Duration heartbeat, Scheduler timer) {
        // Without the drop, ticks nobody asked for would fail the interval, and with it the stream.
        return Flux.interval(heartbeat, timer).onBackpressureDrop().map(tick -> KEEP_ALIVE);
    }
}
