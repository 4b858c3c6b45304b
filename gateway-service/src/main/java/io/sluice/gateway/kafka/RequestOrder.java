package io.sluice.gateway.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * When each request of one connection may start: in the order they were read, and only after every request before
 * it has finished — except that consecutive produce requests may run together, up to the listener's depth. Kafka's
 * broker reads a connection's next request only after it answered the last; a producer keeps up to five requests in
 * flight on it all the same, which costs a broker whose answer waits on replication a round trip per request.
 * Consecutive produces overlap here instead: each is admitted as soon as the one before it was, so it reaches the
 * leaders' queues right after it, in request order ({@code ProduceApi} hands its batches on as it starts).
 *
 * <p>A request that must wait holds back every request read after it, so nothing overtakes another; admitted requests
 * are started in order, one after another, by the thread that admits them.
 *
 * <p>Thread-safe: {@link #admit} is called in reading order; {@link #done} from any thread.
 */
final class RequestOrder {

    private record Waiting(boolean produce, MonoSink<Void> start) {
    }

    // Guarded by this.
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private int running;
    private boolean runningProduces;

    /** Completes when the next request read may start; {@code produce} tells whether it is a produce request. */
    Mono<Void> admit(boolean produce) {
        return Mono.create(start -> {
            boolean now;
            synchronized (this) {
                now = waiting.isEmpty() && mayStart(produce);
                if (now) {
                    started(produce);
                } else {
                    waiting.add(new Waiting(produce, start));
                }
            }
            if (now) {
                start.success();
            }
        });
    }

    /**
     * The requests running now are throttled: nothing read after them starts before they all finished (their pauses
     * included), produce or not.
     */
    synchronized void hold() {
        runningProduces = false;
    }

    /** An admitted request has finished (answered, failed or cancelled): the requests it held back may start. */
    void done() {
        List<MonoSink<Void>> starting = new ArrayList<>();
        synchronized (this) {
            running--;
            while (!waiting.isEmpty() && mayStart(waiting.peekFirst().produce())) {
                Waiting next = waiting.removeFirst();
                started(next.produce());
                starting.add(next.start());
            }
        }
        starting.forEach(MonoSink::success);
    }

    private boolean mayStart(boolean produce) {
        return running == 0 || produce && runningProduces;
    }

    private void started(boolean produce) {
        runningProduces = running == 0 ? produce : runningProduces && produce;
        running++;
    }
}
