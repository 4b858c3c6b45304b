package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketShouldLetOneLargeTakeThroughAndThenWaitUntilTheDebtIsPaid() {
        TokenBucket bucket = new TokenBucket(1000, 0);

        assertThat(bucket.waitFor(0, 0)).isZero();
        bucket.take(3000, 0);

        assertThat(bucket.waitFor(0, 0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(bucket.waitFor(0, SECOND)).isEqualTo(Duration.ofSeconds(1));
        assertThat(bucket.waitFor(0, 2 * SECOND)).isZero();
    }

    @Test
    void aRequestTokenShouldComeBackAtTheRate() {
        TokenBucket bucket = new TokenBucket(2, 10 * SECOND);

        bucket.take(1, 10 * SECOND);
        bucket.take(1, 10 * SECOND);

        assertThat(bucket.waitFor(1, 10 * SECOND)).isEqualTo(Duration.ofMillis(500));
        assertThat(bucket.waitFor(1, 10 * SECOND - 5)).as("an earlier reading moves nothing back")
                .isEqualTo(Duration.ofMillis(500));
        assertThat(bucket.waitFor(1, 10 * SECOND + SECOND / 2)).isZero();
    }
}
