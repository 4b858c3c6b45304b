package io.sluice.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.testing.ManualClock;
import io.sluice.coordinator.testing.TestProperties;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The lease's end as the holder may assume it: a ttl after it sent the round that last succeeded, since Redis starts
 * the ttl when it runs the script, before the answer comes back. A holder that counted from the answer, or that waited
 * for a hung round to fail before it stopped calling itself active, would still act as active when a standby can
 * already take the lease (found by CoordinatorRedisPartitionIT, issue 47).
 */
class CoordinatorLeaseTest {

    private static final Duration TTL = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final ReactiveStringRedisTemplate redis = mock(ReactiveStringRedisTemplate.class);
    private Supplier<Flux<Long>> acquireAnswer;
    private Supplier<Flux<Long>> renewAnswer;
    private CoordinatorLease lease;
    private Disposable hanging;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void lease() {
        // The acquisition script names three keys (lease, token, active), the renewal two (lease, token).
        when(redis.execute(any(RedisScript.class), anyList(), anyList())).thenAnswer(call -> {
            List<String> keys = call.getArgument(1);
            return keys.size() == 3 ? acquireAnswer.get() : renewAnswer.get();
        });
        lease = new CoordinatorLease(redis, properties(), clock);
        acquireAnswer = () -> Flux.just(7L);
        assertThat(lease.tick().block()).isEqualTo(CoordinatorLease.Transition.ACTIVATED);
    }

    @AfterEach
    void stopHangingRound() {
        if (hanging != null) {
            hanging.dispose();
        }
    }

    @Test
    void aRenewalCountsFromWhenItWasSentNotFromWhenItsAnswerCame() {
        clock.advance(Duration.ofSeconds(1));
        // Redis runs the renewal at once (its ttl runs from t=1 s); the answer takes 3 s to come back.
        renewAnswer = () -> Flux.defer(() -> {
            clock.advance(Duration.ofSeconds(3));
            return Flux.just(1L);
        });
        assertThat(lease.tick().block()).isEqualTo(CoordinatorLease.Transition.NONE);

        clock.set(Duration.ofSeconds(1).plus(TTL).minusMillis(1));
        assertThat(lease.status().active()).as("just before the renewed lease ends").isTrue();
        clock.set(Duration.ofSeconds(1).plus(TTL));
        assertThat(lease.status().active()).as("when the key may have expired in Redis").isFalse();
        assertThatThrownBy(lease::fencingToken).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_ACTIVE_COORDINATOR));
    }

    @Test
    void aHolderWhoseRenewalHangsIsNotActiveOnceItsLeaseMayHaveExpired() {
        clock.advance(Duration.ofMillis(500));
        renewAnswer = Flux::never;
        hanging = lease.tick().subscribe();

        clock.set(TTL.minusMillis(1));
        assertThat(lease.status().active()).isTrue();
        assertThat(lease.fencingToken()).isEqualTo(7L);
        clock.set(TTL);
        assertThat(lease.status().active()).as("a ttl after the acquisition was sent, the round still hanging")
                .isFalse();
    }

    private static CoordinatorProperties properties() {
        return TestProperties.coordinator(TTL);
    }
}
