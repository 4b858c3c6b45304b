package io.sluice.gateway.web;

import io.sluice.gateway.stream.StreamEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The gateway's open event streams, from the HTTP side: every SSE response is made here, and all of them end when the
 * gateway stops. A stream never ends by itself, so without this a stopping gateway's HTTP drain waited its whole
 * shutdown phase (30 s) for streams and then cut them, past many orchestrators' grace period. Stopping ends each open
 * stream cleanly (its client reconnects after the stream's retry hint, to another gateway), waits at most
 * {@link #CLOSING_WAIT} for the work the streams' ends start (a group member's closing commit and leave, a share
 * member's release of the records it holds), and only then lets the HTTP drain begin.
 *
 * <p>Runs in the first shutdown phase ({@link SmartLifecycle#DEFAULT_PHASE}), before the web server's graceful
 * shutdown; readiness already refuses traffic by then (Spring Boot sets it at the context's close).
 */
@Component
public class OpenStreams implements SmartLifecycle {

    /** The longest a stop waits for the streams' closing work before the HTTP drain begins. */
    static final Duration CLOSING_WAIT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

    /** Completed at a stop; a start (a context restarted, as Spring's test contexts are when paused) makes anew. */
    private volatile Sinks.Empty<Void> stopping = Sinks.empty();
    private final Set<CompletableFuture<Void>> closings = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean running;

    /** {@code events} as SSE ({@link EventStreams}), ending with the first failure or when the gateway stops. */
    public Flux<ServerSentEvent<Object>> sse(Flux<? extends StreamEvent> events) {
        return EventStreams.sse(Flux.defer(() -> events.takeUntilOther(stopping.asMono())))
                .doOnSubscribe(subscription -> open.incrementAndGet())
                .doFinally(signal -> open.decrementAndGet());
    }

    /**
     * Work a stream's end started (a closing commit, a leave, a release), which a stopping gateway waits for. It is
     * subscribed here; {@code work} handles its own errors.
     */
    public void closing(Mono<Void> work) {
        CompletableFuture<Void> done = work.toFuture();
        closings.add(done);
        done.whenComplete((nothing, error) -> closings.remove(done));
    }

    @Override
    public void start() {
        if (!running) {
            stopping = Sinks.empty();
            running = true;
        }
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        int streams = open.get();
        // Each open stream ends here, on this thread: its end registers its closing work before this returns.
        stopping.tryEmitEmpty();
        CompletableFuture<?>[] work = closings.toArray(CompletableFuture[]::new);
        log.info("Stopping: ended {} open event streams; waiting up to {} for the {} closings they started",
                streams, CLOSING_WAIT, work.length);
        CompletableFuture.allOf(work)
                .orTimeout(CLOSING_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((nothing, error) -> {
                    if (error instanceof TimeoutException) {
                        log.info("Stopping: {} closings still running after {}; the HTTP drain begins",
                                Arrays.stream(work).filter(closing -> !closing.isDone()).count(), CLOSING_WAIT);
                    }
                    callback.run();
                });
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
