package io.sluice.coordinator.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The coordinator's loops go on whatever one round does: a round that never ends is cut off, one that fails is skipped. */
class LeaseKeeperLoopTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private Disposable loop;

    @AfterEach
    void stop() {
        loop.dispose();
        time.dispose();
    }

    @Test
    void aRoundThatNeverEndsIsCutOffAtTheLimitAndTheNextRoundsRun() {
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        loop = LeaseKeeper.every(Duration.ofSeconds(1), Duration.ofSeconds(10), time,
                () -> rounds.incrementAndGet() == 1 ? Mono.never() : Mono.fromRunnable(completed::incrementAndGet));

        time.advanceTimeBy(Duration.ofSeconds(9));
        assertThat(rounds).as("ticks while the hung round runs are dropped").hasValue(1);

        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(completed.get()).as("rounds after the hung one was cut off").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aFailedRoundIsFollowedByTheNextOne() {
        AtomicInteger rounds = new AtomicInteger();
        loop = LeaseKeeper.every(Duration.ofSeconds(1), Duration.ofSeconds(10), time,
                () -> rounds.incrementAndGet() == 1 ? Mono.error(new IllegalStateException("Redis is away"))
                        : Mono.empty());

        time.advanceTimeBy(Duration.ofSeconds(3));
        assertThat(rounds).hasValue(4);
    }
}
