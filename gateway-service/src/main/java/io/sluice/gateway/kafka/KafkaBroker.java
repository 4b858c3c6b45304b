package io.sluice.gateway.kafka;

import io.sluice.gateway.GatewayProperties;
import io.sluice.kafka.Advertised;
import org.springframework.stereotype.Component;

/**
 * This gateway as Kafka clients see it: a broker with an id, an advertised address and a cluster id.
 *
 * <p>Gateways are stateless and any one of them serves any partition, by forwarding to the partition's real leader
 * (a partition service). So every gateway is a broker ({@link KafkaBrokers} lists the live ones), and Metadata names
 * one of them leader of each partition that has a live leader, at the partition's real leader epoch, so that clients
 * fence stale reads as they do against Kafka. The partitions' replicas and in-sync replicas are the real partition
 * services' node ids, which are not brokers a client can connect to (docs/kafka.md, "What differs").
 *
 * <p>Thread-safe: the bound port is set once, when the listener has bound it, before any client can ask.
 */
@Component
public class KafkaBroker {

    private final GatewayProperties.Kafka settings;
    private volatile int boundPort = -1;

    KafkaBroker(GatewayProperties properties) {
        this.settings = properties.kafka();
    }

    void bound(int port) {
        this.boundPort = port;
    }

    public int nodeId() {
        return settings.nodeId();
    }

    public String clusterId() {
        return settings.clusterId();
    }

    public String advertisedHost() {
        return Advertised.host(settings.advertisedHost(), settings.host());
    }

    public int advertisedPort() {
        return settings.advertisedPort() != null ? settings.advertisedPort() : boundPort;
    }

    /** Where the cluster's own services reach this listener: {@code internal-host}, or the advertised address. */
    public String internalHost() {
        return settings.internalHost() == null || settings.internalHost().isBlank() ? advertisedHost()
                : settings.internalHost();
    }

    public int internalPort() {
        if (settings.internalPort() != null) {
            return settings.internalPort();
        }
        return settings.internalHost() == null || settings.internalHost().isBlank() ? advertisedPort() : boundPort;
    }
}
