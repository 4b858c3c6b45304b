package io.sluice.partition.fetch;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.internal.replication.ReplicationPaths;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.produce.ProduceService;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.tiered.RemoteReads;
import io.sluice.web.ClusterAdmission;
import io.sluice.web.InternalRoutes;
import java.time.Clock;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;

/**
 * Reads, wired: the fetch service, the consumer and replica fetch routes on the data path, and the fetch stream on the
 * same port.
 */
@Configuration(proxyBeanMethods = false)
class FetchConfiguration {

    @Bean
    FetchService fetchService(ReplicaManager replicas, Scheduler logScheduler, PartitionProperties properties,
                              Clock clock, MeterRegistry meters, RemoteReads remote) {
        return new FetchService(replicas, logScheduler, properties, clock, meters, remote);
    }

    /**
     * Consumer and replica fetches, served by Reactor Netty itself with binary bodies, ahead of WebFlux, which serves
     * every other route (docs/architecture.md, "The data path bypasses WebFlux").
     */
    @Bean
    NettyRouteProvider fetchRoutes(InternalRoutes internal, FetchService fetch) {
        return routes -> routes
                .post(PartitionPaths.FETCH, internal.post(FetchRequestCodec.CONTENT_TYPE,
                        FetchRoutes.MAX_REQUEST_BYTES, FetchRoutes.consumer(fetch)))
                .post(ReplicationPaths.REPLICA_FETCH, internal.post(ReplicaFetchRequestCodec.CONTENT_TYPE,
                        FetchRoutes.MAX_REQUEST_BYTES, FetchRoutes.replica(fetch)));
    }

    /** The fetch stream's connections, closed with the node (HTTP's server no longer knows them). */
    @Bean(destroyMethod = "close")
    ChannelGroup fetchStreams() {
        return new DefaultChannelGroup("fetch-streams", GlobalEventExecutor.INSTANCE);
    }

    /** The {@link io.sluice.internal.partition.FetchStream} on the internal HTTP port (plaintext connections). */
    @Bean
    NettyServerCustomizer fetchStreamPort(FetchService fetch, ProduceService produce, ClusterAdmission admission,
                                          ChannelGroup fetchStreams) {
        FetchStreamPort port = new FetchStreamPort(fetch, produce, admission, fetchStreams);
        return server -> server.doOnChannelInit((observer, channel, remote) -> port.install(channel));
    }
}
