package io.sluice.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.history.SeriesKey.Subject;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {

    private static final SeriesKey PRODUCED = SeriesKey.ofTopic("orders", Metric.PRODUCE_RATE, 0);
    private static final SeriesKey SIZE = SeriesKey.ofTopic("orders", Metric.SIZE_BYTES, null);

    @Test
    void aCounterShouldGiveTheRatePerSecondBetweenItsLastTwoSamples() {
        MetricsHistory history = history(Duration.ofSeconds(10), Duration.ofMinutes(1), 10);

        assertThat(history.recordCounter(PRODUCED, 10_000, 100)).as("no rate from one sample").isNull();
        assertThat(history.recordCounter(PRODUCED, 20_000, 600)).isEqualTo(50.0);
        assertThat(history.recordCounter(PRODUCED, 25_000, 600)).isEqualTo(0.0);

        assertThat(points(history, PRODUCED)).containsExactly(new double[] {20_000, 50}, new double[] {25_000, 0});
    }

    @Test
    void aCounterThatWentBackShouldGiveNoPointAndCountOnFromItsNewValue() {
        MetricsHistory history = history(Duration.ofSeconds(10), Duration.ofMinutes(1), 10);
        history.recordCounter(PRODUCED, 10_000, 500);

        assertThat(history.recordCounter(PRODUCED, 20_000, 20)).as("the topic was created again").isNull();
        assertThat(history.recordCounter(PRODUCED, 30_000, 120)).isEqualTo(10.0);
        assertThat(points(history, PRODUCED)).containsExactly(new double[] {30_000, 10});
    }

    @Test
    void eachSeriesShouldKeepAWindowOfPointsAndNoMore() {
        MetricsHistory history = history(Duration.ofSeconds(10), Duration.ofMinutes(1), 10);
        for (int i = 1; i <= 20; i++) {
            history.record(SIZE, i * 10_000L, i);
        }

        assertThat(points(history, SIZE)).hasSize(6).first().isEqualTo(new double[] {150_000, 15});
    }

    @Test
    void aNewSeriesBeyondTheLimitShouldNotBeRecordedUntilAnotherIsForgotten() {
        MetricsHistory history = history(Duration.ofSeconds(10), Duration.ofMinutes(1), 2);
        history.record(SIZE, 10_000, 1);
        history.record(SeriesKey.ofCluster(Metric.SIZE_BYTES, 1), 50_000, 1);
        SeriesKey third = SeriesKey.ofCluster(Metric.SIZE_BYTES, 2);

        history.record(third, 50_000, 7);
        assertThat(history.seriesCount()).isEqualTo(2);
        assertThat(points(history, third)).isEmpty();

        history.forgetOlderThan(20_000);
        history.record(third, 60_000, 7);
        assertThat(points(history, SIZE)).as("forgotten: no point since 20 s").isEmpty();
        assertThat(points(history, third)).containsExactly(new double[] {60_000, 7});
    }

    @Test
    void seriesShouldBeAnsweredBySubjectAfterATime() {
        MetricsHistory history = history(Duration.ofSeconds(10), Duration.ofMinutes(1), 10);
        history.record(SIZE, 10_000, 1);
        history.record(SIZE, 20_000, 2);
        history.record(SeriesKey.ofTopic("other", Metric.SIZE_BYTES, null), 20_000, 9);

        List<MetricsHistory.Series> series = history.of(Subject.topic("orders"), 10_000);

        assertThat(series).hasSize(1);
        assertThat(series.getFirst().points().times()).containsExactly(20_000);
        assertThat(history.has(Subject.topic("nothing"))).isFalse();
    }

    @Test
    void settingsShouldBeRefusedWhenTheWindowIsShorterThanOneInterval() {
        assertThatThrownBy(() -> new GatewayProperties.History(Duration.ofMinutes(2), Duration.ofMinutes(1), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new GatewayProperties.History(Duration.ofSeconds(10), Duration.ofHours(1), 10).points())
                .isEqualTo(360);
    }

    private static MetricsHistory history(Duration interval, Duration window, int maxSeries) {
        return new MetricsHistory(new GatewayProperties.History(interval, window, maxSeries));
    }

    /** The series' points as {time, value} pairs. */
    private static List<double[]> points(MetricsHistory history, SeriesKey key) {
        return history.of(key.subject(), Long.MIN_VALUE).stream().filter(s -> s.key().equals(key))
                .flatMap(s -> IntStream.range(0, s.points().size())
                        .mapToObj(i -> new double[] {s.points().times()[i], s.points().values()[i]}))
                .toList();
    }
}
