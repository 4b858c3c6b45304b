package io.sluice.coordinator.balance;

import io.sluice.internal.client.PartitionDataClient;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.partition.NodeStats;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * How many bytes each partition holds, for the balancer: each live node's replicas as its stats answer them
 * ({@code /internal/stats}, what DescribeLogDirs reads), the largest replica of each partition counting. A node that
 * does not answer keeps the sizes it last gave; a partition no longer in the metadata is forgotten.
 */
@Component
class PartitionSizes {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionSizes.class);
    /** How long one node's stats may take; a slow node's sizes stay as they were. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final PartitionDataClient partitions;
    /** Per node, the size of each replica it holds, as it last answered. */
    private final Map<Integer, Map<TopicPartition, Long>> byNode = new HashMap<>();

    PartitionSizes(PartitionDataClient partitions) {
        this.partitions = partitions;
    }

    /** Asks every live node of {@code view} for its replicas' sizes; answers the sizes once all have answered. */
    Mono<Map<TopicPartition, Long>> refresh(MetadataView view) {
        return Flux.fromIterable(view.metadata().nodes())
                .filter(node -> node.status() == NodeStatus.ALIVE)
                .flatMap(node -> partitions.nodeStats(node).timeout(CALL_TIMEOUT)
                        .doOnNext(stats -> remember(node, stats))
                        .onErrorResume(e -> {
                            LOG.debug("Balancer: node {} gave no sizes: {}", node.id(), e.toString());
                            return Mono.empty();
                        }))
                .then(Mono.fromSupplier(() -> current(view)));
    }

    /** The largest replica of each partition of {@code view}, as the nodes last answered; absent when unknown. */
    synchronized Map<TopicPartition, Long> current(MetadataView view) {
        Set<Integer> nodes = view.metadata().nodes().stream().map(NodeInfo::id).collect(Collectors.toSet());
        byNode.keySet().retainAll(nodes);
        Map<TopicPartition, Long> sizes = new HashMap<>();
        byNode.values().forEach(replicas -> replicas.forEach((partition, size) -> sizes.merge(partition, size,
                Math::max)));
        sizes.keySet().removeIf(partition -> view.topic(partition.topic())
                .map(topic -> partition.partition() >= topic.partitions().size()).orElse(true));
        return sizes;
    }

    private synchronized void remember(NodeInfo node, NodeStats stats) {
        Map<TopicPartition, Long> replicas = new HashMap<>();
        stats.replicas().forEach(r -> replicas.put(new TopicPartition(r.topic(), r.partition()), r.sizeBytes()));
        byNode.put(node.id(), replicas);
    }
}
