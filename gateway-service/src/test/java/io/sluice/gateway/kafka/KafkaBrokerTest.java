package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.GatewayProperties;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The addresses a gateway's Kafka listener gives clients and the cluster's own services, from its settings. */
class KafkaBrokerTest {

    @Test
    void withoutAnInternalHostTheClusterReachesTheListenerWhereClientsDo() {
        KafkaBroker broker = broker(Map.of("kafka.advertised-host", "localhost", "kafka.advertised-port", "19092"));

        assertThat(broker.internalHost()).isEqualTo("localhost");
        assertThat(broker.internalPort()).isEqualTo(19092);
    }

    @Test
    void anInternalHostIsReachedAtTheBoundPortUnlessAPortIsGiven() {
        KafkaBroker bound = broker(Map.of("kafka.advertised-host", "localhost", "kafka.advertised-port", "19092",
                "kafka.internal-host", "gateway"));
        KafkaBroker given = broker(Map.of("kafka.advertised-host", "kafka.example.com",
                "kafka.internal-host", "sluice-gateway.kafka.svc", "kafka.internal-port", "9094"));

        assertThat(bound.internalHost()).isEqualTo("gateway");
        assertThat(bound.internalPort()).isEqualTo(9092);
        assertThat(bound.advertisedHost()).isEqualTo("localhost");
        assertThat(bound.advertisedPort()).isEqualTo(19092);
        assertThat(given.internalHost()).isEqualTo("sluice-gateway.kafka.svc");
        assertThat(given.internalPort()).isEqualTo(9094);
        assertThat(given.advertisedPort()).isEqualTo(9092);
    }

    private static KafkaBroker broker(Map<String, String> settings) {
        Map<String, String> prefixed = new HashMap<>();
        settings.forEach((key, value) -> prefixed.put("sluice.gateway." + key, value));
        GatewayProperties properties = new Binder(new MapConfigurationPropertySource(prefixed))
                .bindOrCreate("sluice.gateway", GatewayProperties.class);
        KafkaBroker broker = new KafkaBroker(properties);
        broker.bound(9092);
        return broker;
    }
}
