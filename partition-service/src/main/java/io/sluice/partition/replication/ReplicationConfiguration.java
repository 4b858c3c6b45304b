package io.sluice.partition.replication;

import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.ReplicationClient;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.partition.Incarnation;
import io.sluice.partition.PartitionProperties;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;

/** Followers' fetching, wired: one fetch session per leader node, over the replication pool of the client stack. */
@Configuration(proxyBeanMethods = false)
class ReplicationConfiguration {

    @Bean(destroyMethod = "close")
    ReplicaFetcherManager replicaFetcherManager(PartitionProperties properties, Incarnation incarnation,
                                                InternalHttp http, Scheduler logScheduler, CoordinatorApi coordinator) {
        return new ReplicaFetcherManager(properties, incarnation.id(), new ReplicationClient(http), logScheduler,
                new UnreachableReports(coordinator, Duration.ofMillis(500))::report);
    }
}
