package io.sluice.partition.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sluice.log.LogManager;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Replica-level gauges: partitions led here that are under-replicated, offline logs, and per partition its log size
 * and segment count, and per (partition, follower) the replication lag in records as the leader sees it. Per-partition
 * rows are refreshed every few seconds, so partitions that come and go appear and disappear.
 */
@Component
class ReplicaMetrics {

    private final ReplicaManager replicas;
    private final LogManager logs;
    private final MultiGauge logSize;
    private final MultiGauge segments;
    private final MultiGauge lag;

    ReplicaMetrics(MeterRegistry registry, ReplicaManager replicas, LogManager logs) {
        this.replicas = replicas;
        this.logs = logs;
        Gauge.builder("sluice.partition.under.replicated.partitions", replicas,
                        r -> r.partitions().stream().filter(Partition::isLeader)
                                .filter(p -> p.state() != null && p.state().isUnderReplicated()).count())
                .description("Partitions led by this node whose ISR is smaller than their replica list")
                .register(registry);
        Gauge.builder("sluice.partition.offline.logs", logs, l -> l.offlinePartitions().size())
                .description("Partition logs taken offline by a storage error")
                .register(registry);
        Gauge.builder("sluice.partition.leader.partitions", replicas,
                        r -> r.partitions().stream().filter(Partition::isLeader).count())
                .description("Partitions this node leads")
                .register(registry);
        logSize = MultiGauge.builder("sluice.partition.log.size").baseUnit("bytes")
                .description("Bytes on disk per partition log").register(registry);
        segments = MultiGauge.builder("sluice.partition.log.segments")
                .description("Segments per partition log").register(registry);
        lag = MultiGauge.builder("sluice.partition.replication.lag").baseUnit("records")
                .description("Leader log end minus a follower's reported log end").register(registry);
        refresh();
    }

    @Scheduled(fixedDelayString = "${sluice.partition.metrics-refresh:5s}")
    public void refresh() {
        List<MultiGauge.Row<?>> sizes = new ArrayList<>();
        List<MultiGauge.Row<?>> counts = new ArrayList<>();
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        for (Partition partition : replicas.partitions()) {
            Tags tags = Tags.of("topic", partition.topicPartition().topic(),
                    "partition", Integer.toString(partition.topicPartition().partition()));
            sizes.add(MultiGauge.Row.of(tags, partition.log().sizeInBytes()));
            counts.add(MultiGauge.Row.of(tags, partition.log().segmentCount()));
            if (partition.isLeader()) {
                for (Map.Entry<Integer, Long> follower : partition.followerLag().entrySet()) {
                    lags.add(MultiGauge.Row.of(tags.and("follower", follower.getKey().toString()), follower.getValue()));
                }
            }
        }
        logSize.register(sizes, true);
        segments.register(counts, true);
        lag.register(lags, true);
    }
}
