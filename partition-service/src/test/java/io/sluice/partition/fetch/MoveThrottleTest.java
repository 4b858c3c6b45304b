package io.sluice.partition.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The move throttle's bucket: one second of its rate at most, owed after a read larger than it held, refilled in time. */
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
    void aReadLargerThanTheBucketIsOwedAndHoldsReadsUntilPaidBack() {
        throttle.took(1_500);

        assertThat(throttle.allowance()).isZero();
        assertThat(throttle.nanosUntilAllowed()).as("500 owed at 1,000 bytes/s, then one byte more")
                .isEqualTo(501_000_000L);
        nanos.addAndGet(501_000_000L);
        assertThat(throttle.allowance()).isEqualTo(1);
        assertThat(throttle.nanosUntilAllowed()).isZero();
    }

    @Test
    void aLowerRateShrinksWhatTheBucketHolds() {
        throttle.rate(100);

        assertThat(throttle.rate()).isEqualTo(100);
        assertThat(throttle.allowance()).isEqualTo(100);
        throttle.took(100);
        nanos.addAndGet(500_000_000L);
        assertThat(throttle.allowance()).isEqualTo(50);
    }
}
