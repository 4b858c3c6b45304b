package io.sluice.gateway.consume;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** An SSE stream's frame: the opening comment, keep-alives while idle, and a client that stops reading keeps it. */
class RecordStreamsFramingTest {

    @Test
    void aClientThatReadsNothingForHundredsOfHeartbeatsStillGetsItsNextRecord() {
        Sinks.Many<ServerSentEvent<Object>> records = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.withVirtualTime(() -> RecordStreams.framed(records.asFlux(), Duration.ofSeconds(1)), 1)
                .expectNextMatches(event -> "stream open".equals(event.comment()))
                .thenAwait(Duration.ofSeconds(500))
                .then(() -> records.tryEmitNext(ServerSentEvent.<Object>builder("{}").event("record").build()))
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(event -> "keep-alive".equals(event.comment()))
                .expectNextMatches(event -> "record".equals(event.event()))
                .then(records::tryEmitComplete)
                .thenConsumeWhile(event -> "keep-alive".equals(event.comment()))
                .verifyComplete();
    }

    @Test
    void anIdleStreamGetsAKeepAliveEveryHeartbeat() {
        StepVerifier.withVirtualTime(() -> RecordStreams.framed(Flux.never(), Duration.ofSeconds(15)))
                .expectNextMatches(event -> "stream open".equals(event.comment()))
                .expectNoEvent(Duration.ofSeconds(14))
                .thenAwait(Duration.ofSeconds(1))
                .expectNextMatches(event -> "keep-alive".equals(event.comment()))
                .expectNoEvent(Duration.ofSeconds(14))
                .thenAwait(Duration.ofSeconds(1))
                .expectNextMatches(event -> "keep-alive".equals(event.comment()))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }
}
