package io.sluice.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.format.MaskingRules;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.FetchStreamClient;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.MetadataWatcher;
import io.sluice.internal.client.PartitionDataClient;
import io.sluice.internal.client.ReplicationClient;
import io.sluice.internal.client.ReturningNodes;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.partition.TransactionMarkersApi;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.web.ClusterSecurityProperties;
import io.sluice.web.InternalTlsProperties;
import java.time.Clock;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** The gateway's connections to the cluster: one internal client stack for the coordinator and partition leaders. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    InternalHttp internalHttp(GatewayProperties properties, MeterRegistry meters, ClusterSecurityProperties security,
                              InternalTlsProperties tls, SslBundles bundles) {
        return new InternalHttp(properties.internalCalls(), meters, security.clientSecret(), tls.tls(bundles));
    }

    /**
     * The coordinator: its {@link CoordinatorApi}, its ACLs' {@link io.sluice.internal.acl.AclApi} and its
     * {@link io.sluice.internal.producer.IdempotenceApi}.
     */
    @Bean
    CoordinatorClient coordinatorClient(InternalHttp http, GatewayProperties properties) {
        return new CoordinatorClient(http, properties.coordinatorUrls());
    }

    /**
     * Partition leaders' data calls over HTTP, consumer fetches and produce requests over streams unless those are
     * turned off.
     */
    @Bean
    PartitionDataApi partitionDataClient(InternalHttp http, GatewayProperties properties,
                                         ClusterSecurityProperties security, MeterRegistry meters) {
        PartitionDataClient overHttp = new PartitionDataClient(http);
        if (!properties.fetchStream() && !properties.produceStream()) {
            return overHttp;
        }
        return new FetchStreamClient(overHttp, properties.internalCalls(), security.clientSecret(), meters,
                properties.fetchStream(), properties.produceStream());
    }

    /**
     * Transaction markers a Kafka admin client writes at partition leaders ({@code kafka-transactions abort}). Primary:
     * the partition data client is one too when fetch streams are off.
     */
    @Bean
    @Primary
    TransactionMarkersApi transactionMarkersClient(InternalHttp http) {
        return new PartitionDataClient(http);
    }

    /** Epoch end offsets at partition leaders, which Kafka clients ask through the Kafka listener. */
    @Bean
    ReplicationApi replicationClient(InternalHttp http) {
        return new ReplicationClient(http);
    }

    /** The operator's masking rules, compiled at start: a rule that does not compile stops the gateway. */
    @Bean
    MaskingRules maskingRules(GatewayProperties properties) {
        return new MaskingRules(properties.masking().rules());
    }

    @Bean(destroyMethod = "close")
    MetadataWatcher metadataWatcher(CoordinatorApi coordinator, GatewayProperties properties, MeterRegistry meters) {
        return new MetadataWatcher(coordinator, properties.metadataWait()).withMetrics(meters);
    }

    /** Closes a node's circuit as soon as the metadata shows the node back ({@link ReturningNodes}). */
    @Bean
    ReturningNodes returningNodes(MetadataWatcher watcher, InternalHttp http) {
        return ReturningNodes.following(watcher, http);
    }
}
