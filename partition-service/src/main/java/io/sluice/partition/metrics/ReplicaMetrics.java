package io.sluice.partition.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.log.LogManager;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.TopicPartition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Replica-level gauges: partitions led here that are under-replicated, offline logs, and per partition its log size
 * and segment count, and per (partition, follower) the replication lag in records as the leader sees it.
 *
 * <p>Each partition's gauges are registered once, when {@link #refresh} first sees it, and read its live values when
 * scraped; a refresh every few seconds only adds the partitions and followers that came and removes those that went.
 * Registering every row again on each refresh (a {@code MultiGauge}) cost an idle node with 1,000 partitions a tenth
 * of its CPU, and as much again in garbage collection.
 */
@Component
class ReplicaMetrics {

    private final MeterRegistry registry;
    private final ReplicaManager replicas;
    private final Map<TopicPartition, PartitionGauges> registered = new HashMap<>();

    ReplicaMetrics(MeterRegistry registry, ReplicaManager replicas, LogManager logs) {
        this.registry = registry;
        this.replicas = replicas;
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
        refresh();
    }

    /** Registers the gauges of partitions and followers that appeared since the last refresh, removes the gone ones. */
    @Scheduled(fixedDelayString = "${sluice.partition.metrics-refresh:5s}")
    public synchronized void refresh() {
        Set<TopicPartition> present = new HashSet<>();
        for (Partition partition : replicas.partitions()) {
            TopicPartition tp = partition.topicPartition();
            present.add(tp);
            PartitionGauges gauges = registered.get(tp);
            if (gauges == null) {
                gauges = new PartitionGauges(partition);
                registered.put(tp, gauges);
            }
            // A replica made anew (deleted and created again) is read by the same gauges: removing them and
            // registering others of the same name and tags could let a scrape meet both (DuplicateLabelsException).
            gauges.partition = partition;
            gauges.followers(partition.isLeader() ? partition.followerLag().keySet() : Set.of());
        }
        for (Iterator<Map.Entry<TopicPartition, PartitionGauges>> it = registered.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, PartitionGauges> entry = it.next();
            if (!present.contains(entry.getKey())) {
                entry.getValue().remove();
                it.remove();
            }
        }
    }

    /** One partition's gauges: log size and segments, and the lag of each follower while it leads. */
    private final class PartitionGauges {
        volatile Partition partition;
        private final Tags tags;
        private final Gauge size;
        private final Gauge segments;
        private final Map<Integer, Gauge> lag = new HashMap<>();

        PartitionGauges(Partition partition) {
            this.partition = partition;
            this.tags = Tags.of("topic", partition.topicPartition().topic(),
                    "partition", Integer.toString(partition.topicPartition().partition()));
            this.size = Gauge.builder("sluice.partition.log.size", this, g -> g.partition.log().sizeInBytes())
                    .tags(tags).baseUnit("bytes").description("Bytes on disk per partition log")
                    .strongReference(true).register(registry);
            this.segments = Gauge.builder("sluice.partition.log.segments", this, g -> g.partition.log().segmentCount())
                    .tags(tags).description("Segments per partition log")
                    .strongReference(true).register(registry);
        }

        void followers(Set<Integer> followers) {
            lag.entrySet().removeIf(entry -> {
                if (followers.contains(entry.getKey())) {
                    return false;
                }
                registry.remove(entry.getValue());
                return true;
            });
            for (int follower : followers) {
                lag.computeIfAbsent(follower, f -> Gauge.builder("sluice.partition.replication.lag", this,
                                g -> lagOf(g.partition, f))
                        .tags(tags.and("follower", Integer.toString(f))).baseUnit("records")
                        .description("Leader log end minus a follower's reported log end")
                        .strongReference(true).register(registry));
            }
        }

        /** NaN once the follower is no longer one (until the next refresh removes the gauge). */
        private static double lagOf(Partition partition, int follower) {
            Long lag = partition.followerLag(follower);
            return lag == null ? Double.NaN : lag;
        }

        void remove() {
            registry.remove(size);
            registry.remove(segments);
            followers(Set.of());
        }
    }
}
