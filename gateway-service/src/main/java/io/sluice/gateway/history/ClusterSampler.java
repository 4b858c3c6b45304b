package io.sluice.gateway.history;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.admin.ClusterOverview;
import io.sluice.gateway.admin.StorageStats;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.NodeStats;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every {@code history.interval}, one point for each series the nodes' stats and this gateway's timers give: per
 * topic and partition the produce rate (the leader's high watermark as a counter), per topic its bytes on disk (only
 * when every replica answered: a partial sum would look like a drop), per node its bytes on disk, and this gateway's
 * produce and leader-fetch latency percentiles over the interval. The nodes are asked as {@code GET /v1/topics} asks
 * them ({@link ClusterOverview#nodeStats()}: each live node at once, 2 s at most); a node that does not answer leaves
 * its series without a point for that round. Rounds never overlap; a failed round is logged at debug and skipped.
 * Group lag is recorded by the lag rounds of {@code GroupLagMetrics} and {@code ShareLagHistory}.
 */
@Component
class ClusterSampler extends PeriodicRounds {

    private final ClusterOverview overview;
    private final ClusterView cluster;
    private final MetricsHistory history;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, LatencyWindow> latencies = new HashMap<>();

    ClusterSampler(ClusterOverview overview, ClusterView cluster, MetricsHistory history, MeterRegistry meters,
                   Clock clock, GatewayProperties properties) {
        super(Duration.ZERO, properties.history().interval(), "Metrics history");
        this.overview = overview;
        this.cluster = cluster;
        this.history = history;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    protected Mono<Void> round() {
        return sampleOnce();
    }

    /** One round: the nodes' stats, then every point taken from them and from the timers at one instant. */
    Mono<Void> sampleOnce() {
        if (!cluster.hasMetadata()) {
            return Mono.empty();
        }
        return overview.nodeStats().doOnNext(stats -> {
            long now = clock.millis();
            recordTopics(stats, now);
            recordNodes(stats, now);
            recordLatencies(now);
            history.forgetOlderThan(now - history.windowMs());
        }).then();
    }

    private void recordTopics(Map<Integer, NodeStats> stats, long now) {
        Map<String, NodeStats.Replica> leaders = new HashMap<>();
        stats.values().forEach(node -> node.replicas().stream().filter(NodeStats.Replica::leader)
                .forEach(replica -> leaders.put(replica.topic() + "/" + replica.partition(), replica)));
        StorageStats storage = StorageStats.of(stats);
        for (TopicMetadata topic : cluster.current().metadata().topics()) {
            long appended = 0;
            boolean everyLeader = true;
            for (PartitionState p : topic.partitions()) {
                NodeStats.Replica leader = leaders.get(topic.name() + "/" + p.partition());
                if (leader == null) {
                    everyLeader = false;
                    continue;
                }
                appended += leader.highWatermark();
                history.recordCounter(SeriesKey.ofTopic(topic.name(), Metric.PRODUCE_RATE, p.partition()), now,
                        leader.highWatermark());
            }
            if (everyLeader) {
                history.recordCounter(SeriesKey.ofTopic(topic.name(), Metric.PRODUCE_RATE, null), now, appended);
            }
            Long size = storage.sizeBytes(topic);
            if (size != null) {
                history.record(SeriesKey.ofTopic(topic.name(), Metric.SIZE_BYTES, null), now, size);
            }
        }
    }

    private void recordNodes(Map<Integer, NodeStats> stats, long now) {
        stats.forEach((node, nodeStats) -> history.record(SeriesKey.ofCluster(Metric.SIZE_BYTES, node), now,
                StorageStats.sizeBytes(nodeStats)));
    }

    private void recordLatencies(long now) {
        recordLatency("sluice.gateway.produce.latency", Metric.PRODUCE_LATENCY_P50, Metric.PRODUCE_LATENCY_P99, now);
        recordLatency("sluice.gateway.fetch.latency", Metric.FETCH_LATENCY_P50, Metric.FETCH_LATENCY_P99, now);
    }

    private void recordLatency(String timerName, Metric median, Metric p99, long now) {
        LatencyWindow window = latencies.get(timerName);
        if (window == null) {
            Timer timer = meters.find(timerName).timer();
            if (timer == null) {
                return;
            }
            window = new LatencyWindow(timer);
            latencies.put(timerName, window);
        }
        double[] seconds = window.sample(0.5, 0.99);
        if (seconds != null) {
            history.record(SeriesKey.ofCluster(median, null), now, seconds[0]);
            history.record(SeriesKey.ofCluster(p99, null), now, seconds[1]);
        }
    }
}
