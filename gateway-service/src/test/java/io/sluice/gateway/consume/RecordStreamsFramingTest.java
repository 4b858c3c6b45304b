package io.sluice.gateway.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * An SSE stream's frame: the opening comment, keep-alives while idle, and a client that stops reading keeps it. Time
 * is a virtual scheduler of the test's own, handed to the frame: never the global one ({@code withVirtualTime}), which
 * any other timer started in this JVM meanwhile — a web test's gateway polling its metadata — would take, and stall
 * on once the test ended.
 */
class RecordStreamsFramingTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @Test
    void aClientThatReadsNothingForHundredsOfHeartbeatsStillGetsItsNextRecord() {
        Sinks.Many<ServerSentEvent<Object>> records = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.create(RecordStreams.framed(records.asFlux(), Duration.ofSeconds(1), time), 1)
                .expectNextMatches(event -> "stream open".equals(event.comment()))
                .then(() -> time.advanceTimeBy(Duration.ofSeconds(500)))
                .then(() -> records.tryEmitNext(ServerSentEvent.<Object>builder("{}").event("record").build()))
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
        Disposable stream = RecordStreams.framed(Flux.never(), Duration.ofSeconds(15), time).subscribe(seen::add);
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
}
