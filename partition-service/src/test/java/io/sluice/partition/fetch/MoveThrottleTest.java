package io.sluice.partition.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The move throttle's bucket: one second of its rate at most, a read taken only when the bucket holds it (a read
 * larger than the whole bucket when it is full), refilled in time.
 */
class MoveThrottleTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final MoveThrottle throttle = new MoveThrottle(1_000, nanos::get);

    @Test
    void aFullBucketAllowsOneSecondOfTheRate() {
        assertThat(throttle.allowance()).isEqualTo(1_000);
        nanos.addAndGet(5_000_000_000L);
        assertThat(throttle.allowance()).as("never more than one second's worth").isEqualTo(1_000);
    }

    @Test
    void aReadIsTakenOnlyWhenTheBucketHoldsItAndWaitsForTheRest() {
        assertThat(throttle.take(700)).isTrue();
        assertThat(throttle.take(400)).as("300 left").isFalse();
        assertThat(throttle.allowance()).as("a refused read takes nothing").isEqualTo(300);
        assertThat(throttle.nanosUntil(400)).as("100 more at 1,000 bytes/s").isEqualTo(100_000_000L);

        nanos.addAndGet(100_000_000L);
        assertThat(throttle.take(400)).isTrue();
        assertThat(throttle.allowance()).isZero();
    }

    @Test
    void aReadLargerThanTheWholeBucketGoesWhenItIsFullAndLeavesItOwing() {
        throttle.take(500);
        assertThat(throttle.take(1_500)).isFalse();
        assertThat(throttle.nanosUntil(1_500)).as("until full").isEqualTo(500_000_000L);

        nanos.addAndGet(500_000_000L);
        assertThat(throttle.take(1_500)).isTrue();
        assertThat(throttle.allowance()).isZero();
        assertThat(throttle.nanosUntil(1)).as("500 owed, then one byte").isEqualTo(501_000_000L);
    }

    @Test
    void aLowerRateShrinksWhatTheBucketHolds() {
        throttle.rate(100);

        assertThat(throttle.rate()).isEqualTo(100);
        assertThat(throttle.allowance()).isEqualTo(100);
        throttle.take(100);
        nanos.addAndGet(500_000_000L);
        assertThat(throttle.allowance()).isEqualTo(50);
    }
}
