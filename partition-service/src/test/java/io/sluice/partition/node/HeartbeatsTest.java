package io.sluice.partition.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.ErrorCode;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A node keeps its place at the coordinator: after UNKNOWN_NODE it registers again, and no failed call, the
 * registration after UNKNOWN_NODE included, ends its rounds (a new coordinator refuses calls until it is active).
 */
class HeartbeatsTest {

    private static final Duration INTERVAL = Duration.ofMillis(10);

    private final Deque<Mono<Duration>> registrations = new ArrayDeque<>();
    private final Deque<Mono<Void>> heartbeatAnswers = new ArrayDeque<>();
    private final AtomicInteger registers = new AtomicInteger();
    private final AtomicInteger heartbeatsSent = new AtomicInteger();
    private final Heartbeats heartbeats = new Heartbeats(() -> {
        registers.incrementAndGet();
        Mono<Duration> next = registrations.pollFirst();
        return next != null ? next : Mono.just(INTERVAL);
    }, () -> {
        heartbeatsSent.incrementAndGet();
        Mono<Void> next = heartbeatAnswers.pollFirst();
        return next != null ? next : Mono.empty();
    });

    @Test
    void aRegistrationRefusedAfterUnknownNodeFailsNoRoundAndTheNextRoundRegisters() {
        heartbeats.round().block();
        assertThat(heartbeats.registered()).isTrue();

        heartbeatAnswers.add(Mono.error(ErrorCode.UNKNOWN_NODE.exception("who?")));
        registrations.add(Mono.error(ErrorCode.COORDINATOR_NOT_AVAILABLE.exception(
                "This coordinator is not active and knows no active coordinator yet")));
        heartbeats.round().block();
        assertThat(heartbeats.registered()).as("forgotten, and not registered again yet").isFalse();
        assertThat(registers).hasValue(2);

        heartbeats.round().block();
        assertThat(heartbeats.registered()).isTrue();
        assertThat(registers).hasValue(3);
        heartbeats.round().block();
        assertThat(heartbeatsSent).hasValue(2);
    }

    @Test
    void anUnexpectedFailureOfAHeartbeatFailsNoRound() {
        heartbeats.round().block();
        heartbeatAnswers.add(Mono.error(new IllegalStateException("a bug somewhere")));

        heartbeats.round().block();

        assertThat(heartbeats.registered()).as("a failed heartbeat is not an UNKNOWN_NODE").isTrue();
    }

    @Test
    void aHeartbeatThatThrowsBeforeItsCallFailsNoRound() {
        Heartbeats throwing = new Heartbeats(() -> Mono.just(INTERVAL), () -> {
            throw new IllegalStateException("thrown while making the call");
        });
        throwing.round().block();

        throwing.round().block();

        assertThat(throwing.registered()).isTrue();
    }

    @Test
    void theRoundsGoOnAfterARefusedRegistration() {
        heartbeatAnswers.add(Mono.error(ErrorCode.UNKNOWN_NODE.exception("who?")));
        registrations.add(Mono.just(INTERVAL));
        registrations.add(Mono.error(ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("not active yet")));
        boolean[] running = {true};
        Disposable rounds = heartbeats.start(() -> running[0]);
        try {
            Waits.await("a third registration and heartbeats after it", Duration.ofSeconds(10),
                    () -> registers.get() >= 3 && heartbeatsSent.get() >= 3 ? true : null);
            assertThat(heartbeats.registered()).isTrue();
        } finally {
            running[0] = false;
            rounds.dispose();
        }
    }
}
