package io.sluice.partition.produce;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.registry.SchemaRegistryApi;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.web.InternalRoutes;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;

/** Leader appends, wired: the produce service, its metrics, and its route on the data path. */
@Configuration(proxyBeanMethods = false)
class ProduceConfiguration {

    @Bean
    ProduceMetrics produceMetrics(MeterRegistry registry) {
        return new ProduceMetrics(registry);
    }

    @Bean
    ProduceService produceService(ReplicaManager replicas, Scheduler logScheduler, ProduceMetrics metrics,
                                  TransactionApi coordinator, SchemaRegistryApi registry) {
        return new ProduceService(replicas, logScheduler, metrics, coordinator::verify,
                new RecordSchemaChecks(registry, System::nanoTime));
    }

    /**
     * Internal produce, served by Reactor Netty itself with binary bodies, ahead of WebFlux, which serves every other
     * route (docs/architecture.md, "The data path bypasses WebFlux").
     */
    @Bean
    NettyRouteProvider produceRoute(InternalRoutes internal, ProduceService produce, PartitionProperties properties) {
        long maxProduceBytes = properties.requests().maxProduceBytes().toBytes();
        return routes -> routes.post(PartitionPaths.PRODUCE, internal.post(ProduceRequestCodec.CONTENT_TYPE,
                maxProduceBytes, new ProduceRoute(produce, properties)));
    }
}
