package io.sluice.partition.replica;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.log.LogManager;
import io.sluice.partition.PartitionProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;

/** The replicas this node hosts, wired: their manager, which follows through whatever {@link FollowerFetching} is. */
@Configuration(proxyBeanMethods = false)
class ReplicaConfiguration {

    @Bean
    ReplicaManager replicaManager(LogManager logs, CoordinatorApi coordinator, FollowerFetching fetchers,
                                  PartitionProperties properties, Clock clock, MeterRegistry meters,
                                  Scheduler logScheduler) {
        return new ReplicaManager(logs, coordinator, fetchers, properties, clock, meters, logScheduler);
    }
}
