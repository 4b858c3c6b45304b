package io.sluice.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.stream.StreamEvent;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Stopping ends every open stream, then waits for the closing work their ends started before the HTTP drain may begin;
 * a stream opened after the stop ends at once.
 */
class OpenStreamsTest {

    private final OpenStreams streams = new OpenStreams();

    @Test
    void aStopEndsTheOpenStreamsAndWaitsForTheClosingsTheyStarted() throws InterruptedException {
        streams.start();
        Sinks.Empty<Void> released = Sinks.empty();
        Flux<StreamEvent> endless = Flux.<StreamEvent>just(new StreamEvent.Opened("open"))
                .concatWith(Flux.never())
                .doFinally(signal -> streams.closing(released.asMono()));
        CountDownLatch stopped = new CountDownLatch(1);

        StepVerifier.create(streams.sse(endless))
                .expectNextMatches(event -> "open".equals(event.comment()))
                .then(() -> streams.stop(stopped::countDown))
                .verifyComplete();
        assertThat(streams.isRunning()).isFalse();
        // The barrier: the closing is still running, so the stop has not called back.
        assertThat(stopped.await(200, TimeUnit.MILLISECONDS)).as("stopped before the closing ended").isFalse();
        released.tryEmitEmpty();
        assertThat(stopped.await(5, TimeUnit.SECONDS)).as("stopped once the closing ended").isTrue();
    }

    @Test
    void aStopWithoutClosingsCallsBackAtOnceAndLaterStreamsEndAtOnce() throws InterruptedException {
        streams.start();
        CountDownLatch stopped = new CountDownLatch(1);
        streams.stop(stopped::countDown);
        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();

        StepVerifier.create(streams.sse(Flux.never())).expectComplete().verify(Duration.ofSeconds(5));
    }

    @Test
    void aRestartedGatewayStreamsAgainAndEndsThemAtItsNextStop() throws InterruptedException {
        streams.start();
        streams.stop(() -> { });
        // Spring pauses a cached test context (stops its lifecycle beans) and starts it again when a test reuses it.
        streams.start();
        Sinks.Many<StreamEvent> events = Sinks.many().unicast().onBackpressureBuffer();
        CountDownLatch stopped = new CountDownLatch(1);

        StepVerifier.create(streams.sse(events.asFlux()))
                .then(() -> events.tryEmitNext(new StreamEvent.Opened("open again")))
                .expectNextMatches(event -> "open again".equals(event.comment()))
                .then(() -> streams.stop(stopped::countDown))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aClosingThatFailsDoesNotHoldTheStop() throws InterruptedException {
        streams.start();
        streams.closing(Mono.error(new IllegalStateException("the coordinator is away")));
        CountDownLatch stopped = new CountDownLatch(1);
        streams.stop(stopped::countDown);
        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
