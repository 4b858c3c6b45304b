package io.sluice.protocol.rate;

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

    @Test
    void tryTakeTakesOnlyWhatTheBucketHoldsAndMoreThanAWholeBucketOnlyWhenFull() {
        TokenBucket bucket = new TokenBucket(1000, 0);

        assertThat(bucket.tryTake(700, 0)).isTrue();
        assertThat(bucket.tryTake(400, 0)).as("300 left").isFalse();
        assertThat(bucket.available(0)).as("a refused take takes nothing").isEqualTo(300);
        assertThat(bucket.waitFor(400, 0)).isEqualTo(Duration.ofMillis(100));
        assertThat(bucket.tryTake(400, SECOND / 10)).isTrue();

        assertThat(bucket.tryTake(1500, SECOND)).as("900 held, not full").isFalse();
        assertThat(bucket.tryTake(1500, 2 * SECOND)).as("full").isTrue();
        assertThat(bucket.available(2 * SECOND)).isEqualTo(-500);
    }

    @Test
    void aBucketIsFullOnlyOnceItHoldsASecondsWorthAgain() {
        TokenBucket bucket = new TokenBucket(1000, 0);
        assertThat(bucket.full(0)).as("new").isTrue();
        bucket.take(3000, 0);
        assertThat(bucket.full(2 * SECOND)).as("debt paid, bucket empty").isFalse();
        assertThat(bucket.full(2 * SECOND + SECOND / 2)).isFalse();
        assertThat(bucket.full(3 * SECOND)).isTrue();
    }

    @Test
    void aNewRateKeepsAtMostOneSecondOfItAndRefillsAtIt() {
        TokenBucket bucket = new TokenBucket(1000, 0);

        bucket.rate(100, 0);
        assertThat(bucket.rate()).isEqualTo(100);
        assertThat(bucket.available(0)).isEqualTo(100);
        bucket.take(100, 0);
        assertThat(bucket.available(SECOND / 2)).isEqualTo(50);
    }
}
