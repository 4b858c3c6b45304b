package io.sluice.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.admin.CatchUpRates.AddingReplica;
import io.sluice.protocol.TopicPartition;
import io.sluice.testing.SteppedClock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rate an adding replica grows at, between a gateway's own samples of its size. */
class CatchUpRatesTest {

    private final SteppedClock clock = new SteppedClock();
    private final CatchUpRates rates = new CatchUpRates(clock);
    private final AddingReplica replica = new AddingReplica(new TopicPartition("t", 0), 2);

    @Test
    void aRateNeedsTwoSamplesAndIsTheGrowthBetweenThem() {
        assertThat(rates.sample(replica, 1_000)).isNull();

        clock.advance(Duration.ofSeconds(4));

        assertThat(rates.sample(replica, 9_000)).isEqualTo(2_000.0);
    }

    @Test
    void aSampleSoonerThanTheMinimumIntervalKeepsTheRateMeasuredBefore() {
        rates.sample(replica, 0);
        clock.advance(Duration.ofSeconds(2));
        rates.sample(replica, 2_000);

        clock.advance(Duration.ofMillis(100));

        assertThat(rates.sample(replica, 5_000)).as("100 ms is too close to measure").isEqualTo(1_000.0);
        clock.advance(Duration.ofMillis(900));
        assertThat(rates.sample(replica, 5_000)).as("measured from the kept sample, 1 s before")
                .isEqualTo(3_000.0);
    }

    @Test
    void aReplicaNoLongerAddedIsForgotten() {
        AddingReplica other = new AddingReplica(new TopicPartition("t", 1), 3);
        rates.sample(replica, 0);
        rates.sample(other, 0);

        rates.retainOnly(Set.of(other));

        assertThat(rates.size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(rates.sample(replica, 100)).as("starts over").isNull();
    }

    @Test
    void theMapIsBoundedByForgettingTheLeastRecentlySampled() {
        for (int i = 0; i <= CatchUpRates.MAX_REPLICAS; i++) {
            rates.sample(new AddingReplica(new TopicPartition("t", i), 1), 0);
        }

        assertThat(rates.size()).isEqualTo(CatchUpRates.MAX_REPLICAS);
        clock.advance(Duration.ofSeconds(1));
        assertThat(rates.sample(new AddingReplica(new TopicPartition("t", 0), 1), 10)).as("the eldest went").isNull();
    }
}
