package io.sluice.gateway;

import io.sluice.metadata.CoordinatorClient;
import io.sluice.metadata.MetadataWatcher;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    CoordinatorClient coordinatorClient(GatewayProperties properties) {
        return new CoordinatorClient(properties.coordinatorUrls(), Duration.ofSeconds(10));
    }

    @Bean(destroyMethod = "close")
    MetadataWatcher metadataWatcher(CoordinatorClient coordinator) {
        return new MetadataWatcher(coordinator, Duration.ofSeconds(20));
    }
}
