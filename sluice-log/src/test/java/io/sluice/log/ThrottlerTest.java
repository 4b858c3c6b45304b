package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cleaner's I/O throttle on a fake clock: it sleeps what the bytes so far are ahead of the rate. */
class ThrottlerTest {

    private long nanos;
    private final List<Long> sleeps = new ArrayList<>();

    private Throttler throttler(double bytesPerSecond) {
        return new Throttler(bytesPerSecond, () -> nanos, slept -> {
            sleeps.add(slept);
            nanos += slept;
        });
    }

    @Test
    void bytesAheadOfTheRateAreSleptOff() throws InterruptedException {
        Throttler throttler = throttler(1000);

        throttler.maybeThrottle(500);
        nanos += 100_000_000; // 0.1 s of work
        throttler.maybeThrottle(500);

        // 500 bytes are due after 0.5 s, 1000 after 1 s: sleep 0.5 s, then 0.4 s after the 0.1 s of work.
        assertThat(sleeps).containsExactly(500_000_000L, 400_000_000L);
    }

    @Test
    void readingSlowerThanTheRateNeverSleeps() throws InterruptedException {
        Throttler throttler = throttler(1000);
        for (int i = 0; i < 5; i++) {
            nanos += 200_000_000;
            throttler.maybeThrottle(100);
        }
        assertThat(sleeps).isEmpty();
    }

    @Test
    void unlimitedNeverSleeps() throws InterruptedException {
        Throttler unlimited = Throttler.unlimited();
        unlimited.maybeThrottle(Long.MAX_VALUE / 2);
        assertThat(sleeps).isEmpty();
    }
}
