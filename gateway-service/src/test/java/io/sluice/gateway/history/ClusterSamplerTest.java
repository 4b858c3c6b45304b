package io.sluice.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.admin.ClusterOverview;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.history.SeriesKey.Subject;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.NodeStats.Replica;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * One sampler round after another over a topic of two partitions on nodes 1 and 2: produce rates from the leaders'
 * high watermarks, per partition and in all; bytes per topic and node; and no topic-wide point from a round in which a
 * node did not answer.
 */
class ClusterSamplerTest {

    private final AtomicLong now = new AtomicLong(100_000);
    private final ClusterOverview overview = mock(ClusterOverview.class);
    private final ClusterView cluster = mock(ClusterView.class);
    private final MetricsHistory history = new MetricsHistory(new GatewayProperties.History(Duration.ofSeconds(10),
            Duration.ofHours(1), 100));
    private final ClusterSampler sampler;

    ClusterSamplerTest() {
        GatewayProperties properties = mock(GatewayProperties.class);
        when(properties.history()).thenReturn(new GatewayProperties.History(Duration.ofSeconds(10),
                Duration.ofHours(1), 100));
        TopicMetadata topic = new TopicMetadata("orders", "id", 1, Map.of(), List.of(
                new PartitionState(0, List.of(1), 1, List.of(1), 0, 0),
                new PartitionState(1, List.of(2), 2, List.of(2), 0, 0)));
        when(cluster.hasMetadata()).thenReturn(true);
        when(cluster.current()).thenReturn(new MetadataView(new ClusterMetadata(1, null,
                List.of(node(1), node(2)), List.of(topic))));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        sampler = new ClusterSampler(overview, cluster, history, new SimpleMeterRegistry(), clock, properties);
    }

    @Test
    void produceRatesShouldBeTheHighWatermarksAdvancePerSecondPerPartitionAndInAll() {
        round(Map.of(1, stats(1, 0, 100, 1000), 2, stats(2, 1, 50, 500)));
        now.addAndGet(10_000);
        round(Map.of(1, stats(1, 0, 600, 6000), 2, stats(2, 1, 150, 1500)));

        assertThat(latest(Metric.PRODUCE_RATE, 0)).isEqualTo(50.0);
        assertThat(latest(Metric.PRODUCE_RATE, 1)).isEqualTo(10.0);
        assertThat(latest(Metric.PRODUCE_RATE, null)).isEqualTo(60.0);
        assertThat(latest(Metric.SIZE_BYTES, null)).isEqualTo(7500.0);
        assertThat(history.of(Subject.CLUSTER, Long.MIN_VALUE)).extracting(s -> s.key().node())
                .containsExactly(1, 2);
    }

    @Test
    void aRoundWithoutOneNodeShouldLeaveTheTopicWideSeriesWithoutAPoint() {
        round(Map.of(1, stats(1, 0, 100, 1000), 2, stats(2, 1, 50, 500)));
        now.addAndGet(10_000);
        round(Map.of(1, stats(1, 0, 200, 2000)));

        assertThat(latest(Metric.PRODUCE_RATE, 0)).isEqualTo(10.0);
        assertThat(points(Metric.PRODUCE_RATE, null)).isZero();
        assertThat(points(Metric.SIZE_BYTES, null)).as("only the first round's").isEqualTo(1);
    }

    private void round(Map<Integer, NodeStats> stats) {
        when(overview.nodeStats()).thenReturn(Mono.just(stats));
        sampler.sampleOnce().block();
    }

    private Double latest(Metric metric, Integer partition) {
        return series(metric, partition).map(s -> s.points().values()[s.points().size() - 1]).orElse(null);
    }

    private int points(Metric metric, Integer partition) {
        return series(metric, partition).map(s -> s.points().size()).orElse(0);
    }

    private Optional<MetricsHistory.Series> series(Metric metric, Integer partition) {
        return history.of(Subject.topic("orders"), Long.MIN_VALUE).stream()
                .filter(s -> s.key().equals(SeriesKey.ofTopic("orders", metric, partition))).findFirst();
    }

    /** Node {@code node} leading partition {@code partition} of orders at {@code highWatermark}, {@code bytes} on disk. */
    private static NodeStats stats(int node, int partition, long highWatermark, long bytes) {
        return new NodeStats(node, List.of(new Replica("orders", partition, true, bytes, 1, 0, highWatermark,
                highWatermark)), NodeStats.Throughput.NONE);
    }

    private static NodeInfo node(int id) {
        return new NodeInfo(id, "http://127.0.0.1:" + id, null, NodeStatus.ALIVE);
    }
}
