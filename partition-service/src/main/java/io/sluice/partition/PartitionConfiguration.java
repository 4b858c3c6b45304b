package io.sluice.partition;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.InternalHttp;
import io.sluice.web.ClusterSecurityProperties;
import io.sluice.web.InternalTlsProperties;
import java.time.Clock;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;

/**
 * What the node's features share: the clock, the log scheduler, this process's incarnation, and the one internal
 * client stack with the coordinator client on it. Each feature package wires its own parts (a configuration of its
 * own, as {@code ProduceConfiguration}, or scanned components), so this package imports none of them.
 */
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

    @Bean
    Incarnation incarnation() {
        return Incarnation.draw();
    }

    /** The one internal client stack: coordinator calls and replication fetches, each with a pool of its own. */
    @Bean(destroyMethod = "close")
    InternalHttp internalHttp(PartitionProperties properties, MeterRegistry meters, ClusterSecurityProperties security,
                              InternalTlsProperties tls, SslBundles bundles) {
        return new InternalHttp(properties.internalCalls(), meters, security.clientSecret(), tls.tls(bundles));
    }

    @Bean
    CoordinatorClient coordinatorClient(InternalHttp http, PartitionProperties properties) {
        return new CoordinatorClient(http, properties.coordinatorUrls());
    }
}
