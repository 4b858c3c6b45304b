package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminViews.NodeList;
import io.sluice.gateway.admin.AdminViews.NodeView;
import io.sluice.gateway.admin.AdminViews.Throughput;
import io.sluice.gateway.admin.AdminViews.TopicList;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.PartitionDataApi;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The topic list, the nodes and the cluster's health, with what only the nodes know: every live partition service is
 * asked for its {@link NodeStats} at once, and one that does not answer within {@value #WAIT_SECONDS} s is left out
 * (what depends on it shows as unknown).
 */
@Service
public class ClusterOverview {

    static final int WAIT_SECONDS = 2;

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final PartitionDataApi partitions;

    ClusterOverview(CoordinatorApi coordinator, ClusterView cluster, PartitionDataApi partitions) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.partitions = partitions;
    }

    /**
     * Every topic whose name contains {@code name} (all when null) among those {@code visible} keeps, by name, with
     * sizes and record counts.
     */
    Mono<TopicList> topics(String name, UnaryOperator<List<TopicMetadata>> visible) {
        return Mono.zip(coordinator.topics(), nodeStats()).map(found -> {
            StorageStats storage = StorageStats.of(found.getT2());
            return new TopicList(visible.apply(found.getT1()).stream()
                    .filter(topic -> name == null || topic.name().contains(name))
                    .sorted(Comparator.comparing(TopicMetadata::name))
                    .map(topic -> TopicViews.summary(topic, storage)).toList());
        });
    }

    Mono<NodeList> nodes() {
        return Mono.zip(coordinator.nodes(), nodeStats()).map(found -> {
            List<TopicMetadata> topics = cluster.current().metadata().topics();
            return new NodeList(found.getT1().stream().map(node -> {
                NodeStats stats = found.getT2().get(node.id());
                return new NodeView(node.id(), node.url(), node.rack(), node.status().name(),
                        count(topics, p -> p.leader() == node.id()),
                        count(topics, p -> p.replicas().contains(node.id())),
                        stats == null ? null : StorageStats.sizeBytes(stats),
                        stats == null ? null : Throughput.of(stats.throughput()), node.decommissioning(),
                        node.deadSinceMs() == null ? null : Instant.ofEpochMilli(node.deadSinceMs()),
                        node.moveThrottle());
            }).toList());
        });
    }

    /** Health from this gateway's metadata, the coordinator's own status, and the nodes' sizes and throughput. */
    Mono<ClusterHealth> health() {
        Mono<Optional<CoordinatorStatus>> status = coordinator.status().map(Optional::of)
                .timeout(Duration.ofSeconds(WAIT_SECONDS))
                .onErrorResume(e -> Mono.just(Optional.empty()));
        return Mono.zip(status, nodeStats())
                .map(found -> ClusterHealth.of(cluster.current(), found.getT1().orElse(null), found.getT2()));
    }

    /**
     * By node id, the stats of each live node that answered in time: the replicas it holds, their sizes and offsets
     * (also the Kafka listener's DescribeLogDirs).
     */
    public Mono<Map<Integer, NodeStats>> nodeStats() {
        return nodeStats(node -> true);
    }

    /** {@link #nodeStats()} of the live nodes {@code which} keeps only, each asked once, all at once. */
    public Mono<Map<Integer, NodeStats>> nodeStats(Predicate<NodeInfo> which) {
        Map<Integer, NodeStats> answered = new ConcurrentHashMap<>();
        return Flux.fromIterable(cluster.current().metadata().nodes())
                .filter(NodeInfo::isAlive)
                .filter(which)
                .flatMap(node -> partitions.nodeStats(node)
                        .timeout(Duration.ofSeconds(WAIT_SECONDS))
                        .doOnNext(stats -> answered.put(node.id(), stats))
                        .onErrorResume(e -> Mono.empty()))
                .then(Mono.fromSupplier(() -> Map.copyOf(answered)));
    }

    private static int count(List<TopicMetadata> topics, Predicate<PartitionState> which) {
        return (int) topics.stream().flatMap(t -> t.partitions().stream()).filter(which).count();
    }
}
