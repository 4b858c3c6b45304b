package io.sluice.coordinator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * The coordinator's gauges, read from the current metadata view when scraped (a standby reports 0 for all but
 * {@code sluice_coordinator_active}). Elections are counted where they happen ({@link MetadataManager}).
 */
@Component
class CoordinatorMetrics {

    CoordinatorMetrics(MeterRegistry registry, MetadataManager metadata) {
        Gauge.builder("sluice.coordinator.active", metadata, m -> m.isReady() ? 1 : 0)
                .description("1 on the active coordinator, 0 on standbys")
                .register(registry);
        Gauge.builder("sluice.coordinator.metadata.version", metadata, m -> m.isReady() ? m.view().version() : 0)
                .description("Current cluster metadata version")
                .register(registry);
        Gauge.builder("sluice.coordinator.live.nodes", metadata, m -> m.isReady()
                        ? m.view().metadata().nodes().stream().filter(n -> n.status() == NodeStatus.ALIVE).count() : 0)
                .description("Partition-service nodes heartbeating within the session timeout")
                .register(registry);
        Gauge.builder("sluice.coordinator.offline.partitions", metadata, m -> partitions(m, p -> !p.hasLeader()))
                .description("Partitions without a leader")
                .register(registry);
        Gauge.builder("sluice.coordinator.under.replicated.partitions", metadata,
                        m -> partitions(m, PartitionState::isUnderReplicated))
                .description("Partitions whose ISR is smaller than their replication factor (a moving partition's: "
                        + "its original replica set's size)")
                .register(registry);
        Gauge.builder("sluice.coordinator.reassigning.partitions", metadata,
                        m -> partitions(m, PartitionState::isReassigning))
                .description("Partitions being moved to another replica set")
                .register(registry);
        Gauge.builder("sluice.coordinator.decommissioning.nodes", metadata, m -> m.isReady()
                        ? m.view().metadata().nodes().stream().filter(NodeInfo::decommissioning).count() : 0)
                .description("Nodes being decommissioned (drained of their replicas)")
                .register(registry);
    }

    private static long partitions(MetadataManager metadata, Predicate<PartitionState> condition) {
        if (!metadata.isReady()) {
            return 0;
        }
        return metadata.view().metadata().topics().stream()
                .flatMap(topic -> topic.partitions().stream())
                .filter(condition)
                .count();
    }
}
