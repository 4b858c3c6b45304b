package io.sluice.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    @Test
    void quantilesShouldBeInterpolatedWithinTheirBucketAsPrometheusDoes() {
        double[] bounds = {0.1, 0.2, 0.4};
        double[] cumulative = {50, 90, 100};

        double[] q = LatencyWindow.quantiles(bounds, cumulative, 0.5, 0.7, 0.99);

        assertThat(q[0]).isCloseTo(0.1, within(1e-9));
        assertThat(q[1]).as("20 of the 40 in (0.1, 0.2]").isCloseTo(0.15, within(1e-9));
        assertThat(q[2]).as("9 of the 10 in (0.2, 0.4]").isCloseTo(0.38, within(1e-9));
        assertThat(LatencyWindow.quantiles(bounds, new double[] {0, 0, 0}, 0.5)).isNull();
    }

    @Test
    void eachSampleShouldMeasureOnlyWhatWasTimedSinceTheLastOne() {
        // the registry the gateway runs with: its buckets count from the start and are never reset
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer timer = Timer.builder("t").publishPercentileHistogram().register(meters);
        LatencyWindow window = new LatencyWindow(timer);
        for (int i = 0; i < 100; i++) {
            timer.record(Duration.ofSeconds(5));
        }
        assertThat(window.sample(0.5)).as("the first sample is the baseline").isNull();

        for (int i = 0; i < 100; i++) {
            timer.record(Duration.ofMillis(2));
        }
        double median = window.sample(0.5)[0];

        assertThat(median).as("the earlier 5 s latencies left out").isLessThan(0.01);
        assertThat(window.sample(0.5)).as("nothing timed since").isNull();
    }
}
