package io.sluice.partition;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.MetadataWatcher;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.partition.cleaner.LogCleanerService;
import io.sluice.partition.node.NodeIdentity;
import io.sluice.web.ClusterSecurityProperties;
import io.sluice.web.InternalTlsProperties;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;

/** The node's parts, wired once: its data directory, its coordinator connection, and the replica machinery. */
@Configuration(proxyBeanMethods = false)
class PartitionConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Where blocking log work runs ({@link LogScheduler}): appends, reads and lookups never run on an event loop. */
    @Bean(destroyMethod = "dispose")
    Scheduler logScheduler() {
        return LogScheduler.create(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));
    }

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

    /** The log cleaner of compacted topics; the node's life cycle starts it and stops it before the logs close. */
    @Bean
    LogCleanerService logCleanerService(PartitionProperties properties, LogManager logs, Clock clock,
                                        MeterRegistry meters) throws IOException {
        return new LogCleanerService(properties.cleaner(), logs, clock, meters);
    }

    /** The one internal client stack: coordinator calls and replication fetches, each with a pool of its own. */
    @Bean(destroyMethod = "close")
    InternalHttp internalHttp(PartitionProperties properties, MeterRegistry meters, ClusterSecurityProperties security,
                              InternalTlsProperties tls, SslBundles bundles) {
        return new InternalHttp(properties.internalCalls(), meters, security.clientSecret(), tls.tls(bundles));
    }

    @Bean
    CoordinatorApi coordinatorClient(InternalHttp http, PartitionProperties properties) {
        return new CoordinatorClient(http, properties.coordinatorUrls());
    }

    @Bean(destroyMethod = "close")
    MetadataWatcher metadataWatcher(CoordinatorApi coordinator, PartitionProperties properties, MeterRegistry meters) {
        return new MetadataWatcher(coordinator, properties.metadataWait()).withMetrics(meters);
    }

    @Bean
    Incarnation incarnation() {
        return Incarnation.draw();
    }
}
