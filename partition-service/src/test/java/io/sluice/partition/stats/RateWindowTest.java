package io.sluice.partition.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateWindowTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void noRateUntilTwoSamples() {
        RateWindow window = new RateWindow(3);
        assertThat(window.perSecond()).isZero();
        window.sample(100, 0);
        assertThat(window.perSecond()).isZero();
        window.sample(150, 5 * SECOND);
        assertThat(window.perSecond()).isEqualTo(10.0);
    }

    @Test
    void theRateSpansOnlyTheSamplesStillInTheWindow() {
        RateWindow window = new RateWindow(3);
        window.sample(0, 0);
        window.sample(1_000, SECOND);   // a burst of 1,000 in the first second
        window.sample(1_000, 2 * SECOND);
        assertThat(window.perSecond()).isEqualTo(500.0);
        window.sample(1_010, 3 * SECOND); // the burst's first sample has left the window
        assertThat(window.perSecond()).isEqualTo(5.0);
        window.sample(1_010, 4 * SECOND);
        assertThat(window.perSecond()).isEqualTo(5.0);
        window.sample(1_010, 5 * SECOND);
        assertThat(window.perSecond()).isZero();
    }

    @Test
    void aWindowNeedsTwoSamples() {
        assertThatThrownBy(() -> new RateWindow(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
