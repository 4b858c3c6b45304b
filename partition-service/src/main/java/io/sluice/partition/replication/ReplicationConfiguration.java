package io.sluice.partition.replication;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.ReplicationClient;
import io.sluice.internal.client.ReplicationStreamClient;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.partition.Incarnation;
import io.sluice.partition.PartitionProperties;
import io.sluice.web.ClusterSecurityProperties;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;

/**
 * Followers' fetching, wired: one fetch session per leader node, its fetches over a replica fetch stream to the leader
 * (unless {@code replication.fetch-stream} is off) with the replication pool of the client stack behind it.
 */
@Configuration(proxyBeanMethods = false)
class ReplicationConfiguration {

    /** Closed with the context when it is the stream client (Spring infers {@code close} from the instance). */
    @Bean
    ReplicationApi replicationApi(PartitionProperties properties, InternalHttp http, ClusterSecurityProperties security,
                                  MeterRegistry meters) {
        ReplicationClient overHttp = new ReplicationClient(http);
        if (!properties.replication().fetchStream()) {
            return overHttp;
        }
        return new ReplicationStreamClient(overHttp, properties.internalCalls(), security.clientSecret(), meters);
    }

    @Bean(destroyMethod = "close")
    ReplicaFetcherManager replicaFetcherManager(PartitionProperties properties, Incarnation incarnation,
                                                ReplicationApi replication, Scheduler logScheduler,
                                                CoordinatorApi coordinator) {
        return new ReplicaFetcherManager(properties, incarnation.id(), replication, logScheduler,
                new UnreachableReports(coordinator, Duration.ofMillis(500))::report);
    }
}
