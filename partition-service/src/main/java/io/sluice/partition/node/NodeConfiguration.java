package io.sluice.partition.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.MetadataWatcher;
import io.sluice.internal.client.ReturningNodes;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.partition.PartitionProperties;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The node, wired: its data directory (claimed, its logs opened) and its view of the cluster's metadata. */
@Configuration(proxyBeanMethods = false)
class NodeConfiguration {

    /**
     * Claims and locks the data directory, then opens and recovers every partition on it in parallel. Logs open with
     * default settings; each takes its topic's settings when the first metadata arrives.
     */
    @Bean(destroyMethod = "close")
    LogManager logManager(PartitionProperties properties, Clock clock) throws IOException {
        NodeIdentity.claim(properties.dataDir(), properties.nodeId());
        try (ExecutorService recovery = Executors.newVirtualThreadPerTaskExecutor()) {
            return LogManager.open(properties.dataDir(), tp -> LogConfig.defaults(), clock, recovery);
        }
    }

    @Bean(destroyMethod = "close")
    MetadataWatcher metadataWatcher(CoordinatorApi coordinator, PartitionProperties properties, MeterRegistry meters) {
        return new MetadataWatcher(coordinator, properties.metadataWait()).withMetrics(meters);
    }

    /** Closes a node's circuit as soon as the metadata shows the node back ({@link ReturningNodes}). */
    @Bean
    ReturningNodes returningNodes(MetadataWatcher watcher, InternalHttp http) {
        return ReturningNodes.following(watcher, http);
    }
}
