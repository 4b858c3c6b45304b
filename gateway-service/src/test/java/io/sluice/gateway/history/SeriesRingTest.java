package io.sluice.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.history.SeriesRing.Points;
import org.junit.jupiter.api.Test;

class SeriesRingTest {

    @Test
    void whenFullShouldEvictTheOldestPointAndKeepTheCapacity() {
        SeriesRing ring = new SeriesRing(3);
        for (int i = 1; i <= 5; i++) {
            ring.add(i * 1000L, i * 10.0);
        }

        assertThat(ring.after(Long.MIN_VALUE)).isEqualTo(new Points(new long[] {3000, 4000, 5000},
                new double[] {30, 40, 50}));
        assertThat(ring.newestTime()).isEqualTo(5000);
    }

    @Test
    void afterShouldAnswerOnlyLaterPointsOldestFirst() {
        SeriesRing ring = new SeriesRing(4);
        ring.add(1000, 1);
        ring.add(2000, 2);
        ring.add(3000, 3);

        assertThat(ring.after(2000)).isEqualTo(new Points(new long[] {3000}, new double[] {3}));
        assertThat(ring.after(3000).size()).isZero();
        assertThat(ring.after(0).size()).isEqualTo(3);
    }

    @Test
    void aPointNotLaterThanTheNewestShouldBeDropped() {
        SeriesRing ring = new SeriesRing(4);
        ring.add(2000, 2);
        ring.add(2000, 5);
        ring.add(1000, 1);

        assertThat(ring.after(Long.MIN_VALUE)).isEqualTo(new Points(new long[] {2000}, new double[] {2}));
    }

    @Test
    void anEmptyRingShouldHaveNoPointsAndNoNewestTime() {
        SeriesRing ring = new SeriesRing(1);

        assertThat(ring.after(Long.MIN_VALUE).size()).isZero();
        assertThat(ring.newestTime()).isEqualTo(Long.MIN_VALUE);
    }
}
