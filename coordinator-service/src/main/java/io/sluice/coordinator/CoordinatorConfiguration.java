package io.sluice.coordinator;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.coordinator.redis.EmbeddedRedis;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.client.PartitionDataClient;
import io.sluice.internal.partition.TransactionMarkersApi;
import io.sluice.web.ClusterSecurityProperties;
import io.sluice.web.InternalTlsProperties;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

@Configuration(proxyBeanMethods = false)
class CoordinatorConfiguration {

    /** The longest wait between two attempts to reconnect to Redis. */
    static final Duration RECONNECT_DELAY_MAX = Duration.ofSeconds(1);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The coordinator's calls to partition leaders: transaction markers, share groups' dead-letter records. */
    @Bean(destroyMethod = "close")
    InternalHttp internalHttp(CoordinatorProperties properties, MeterRegistry meters,
                              ClusterSecurityProperties security, InternalTlsProperties tls, SslBundles bundles) {
        return new InternalHttp(properties.internalCalls(), meters, security.clientSecret(), tls.tls(bundles));
    }

    /** Transaction markers ({@link TransactionMarkersApi}) and dead-letter produce and fetch (its data API). */
    @Bean
    PartitionDataClient partitionDataClient(InternalHttp http) {
        return new PartitionDataClient(http);
    }

    /** The embedded redis-server, when no external Redis is configured; stopped after the connections close. */
    @Bean(destroyMethod = "close")
    RedisEndpoint redisEndpoint(CoordinatorProperties properties) {
        if (properties.redis().embedded()) {
            EmbeddedRedis redis = EmbeddedRedis.start(properties.dataDir(), properties.redis().embeddedPort());
            return new RedisEndpoint(URI.create("redis://127.0.0.1:" + redis.port()), redis);
        }
        return new RedisEndpoint(properties.redis().url(), null);
    }

    /**
     * Lettuce's threads and timers, with reconnection attempts at most {@link #RECONNECT_DELAY_MAX} apart. Lettuce's
     * default backs off to 30 s between attempts, so a coordinator could stay cut off from a Redis that was back for
     * half a minute: ten lease ttls without an active coordinator.
     */
    @Bean(destroyMethod = "shutdown")
    ClientResources redisClientResources() {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), RECONNECT_DELAY_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
    }

    @Bean
    LettuceConnectionFactory redisConnectionFactory(RedisEndpoint endpoint, ClientResources resources) {
        URI url = endpoint.url();
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(url.getHost(),
                url.getPort() > 0 ? url.getPort() : 6379);
        if (url.getUserInfo() != null) {
            String[] credentials = url.getUserInfo().split(":", 2);
            if (credentials.length == 2) {
                if (!credentials[0].isEmpty()) {
                    server.setUsername(credentials[0]);
                }
                server.setPassword(credentials[1]);
            } else {
                server.setPassword(credentials[0]);
            }
        }
        // Fail fast: a coordinator that cannot reach Redis must notice within its lease ttl.
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(2))
                .clientResources(resources)
                .build();
        return new LettuceConnectionFactory(server, client);
    }

    /** Where Redis is, and the embedded server behind it when there is one. */
    record RedisEndpoint(URI url, EmbeddedRedis embedded) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
