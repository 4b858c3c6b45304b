package io.sluice.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.stream.StreamEvent;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A stream as SSE: the opening comment, keep-alives while idle (a client that stops reading keeps its stream), each
 * event as its SSE event, and a failure as the last event. Time
 * is a virtual scheduler of the test's own, handed to the frame: never the global one ({@code withVirtualTime}), which
 * any other timer started in this JVM meanwhile — a web test's gateway polling its metadata — would take, and stall
 * on once the test ended.
 */
class EventStreamsTest {

    private static final StreamEvent.Opened OPENED = new StreamEvent.Opened("stream open");

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @Test
    void aClientThatReadsNothingForHundredsOfHeartbeatsStillGetsItsNextRecord() {
        Sinks.Many<StreamEvent> records = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.create(sse(records.asFlux(), Duration.ofSeconds(1)), 1)
                .expectNextMatches(event -> "stream open".equals(event.comment()))
                .then(() -> time.advanceTimeBy(Duration.ofSeconds(500)))
                .then(() -> records.tryEmitNext(new StreamEvent.Delivered("cursor", "{}")))
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(event -> "keep-alive".equals(event.comment()))
                .expectNextMatches(event -> "record".equals(event.event()))
                .then(records::tryEmitComplete)
                .thenConsumeWhile(event -> "keep-alive".equals(event.comment()))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void anIdleStreamGetsAKeepAliveEveryHeartbeat() {
        List<ServerSentEvent<Object>> seen = new CopyOnWriteArrayList<>();
        Disposable stream = sse(Flux.never(), Duration.ofSeconds(15)).subscribe(seen::add);
        try {
            assertThat(seen).extracting(ServerSentEvent::comment).containsExactly("stream open");
            time.advanceTimeBy(Duration.ofSeconds(14));
            assertThat(seen).hasSize(1);
            time.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(seen).extracting(ServerSentEvent::comment).containsExactly("stream open", "keep-alive");
            time.advanceTimeBy(Duration.ofSeconds(14));
            assertThat(seen).hasSize(2);
            time.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(seen).extracting(ServerSentEvent::comment)
                    .containsExactly("stream open", "keep-alive", "keep-alive");
        } finally {
            stream.dispose();
        }
    }

    @Test
    void eachEventIsItsSseEventAndAFailureIsTheLast() {
        Object assignment = new Object();
        Flux<StreamEvent> events = Flux.just(new StreamEvent.Assigned(assignment),
                new StreamEvent.Delivered("AQEAAA", "{\"value\":1}"),
                new StreamEvent.Failed(ErrorCode.FENCED_MEMBER_EPOCH.exception("fenced")),
                new StreamEvent.Delivered("AQEAAB", "{\"value\":2}"));
        StepVerifier.create(sse(events, Duration.ofHours(1)))
                .expectNextMatches(event -> "stream open".equals(event.comment()) && event.retry() != null)
                .expectNextMatches(event -> "assignment".equals(event.event()) && event.data() == assignment)
                .expectNextMatches(event -> "record".equals(event.event()) && "AQEAAA".equals(event.id())
                        && "{\"value\":1}".equals(event.data()))
                .expectNextMatches(event -> "error".equals(event.event()) && event.data() instanceof ProblemDetail
                        problem && "FENCED_MEMBER_EPOCH".equals(problem.getProperties().get("error_code")))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    private Flux<ServerSentEvent<Object>> sse(Flux<StreamEvent> events, Duration heartbeat) {
        return EventStreams.sse(StreamEvent.framed(OPENED, events, heartbeat, time));
    }
}
