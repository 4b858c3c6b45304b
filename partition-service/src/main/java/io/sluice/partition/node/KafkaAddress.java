package io.sluice.partition.node;

import org.springframework.stereotype.Component;

/**
 * Where Kafka clients reach this node's own Kafka listener ({@code host:port}), once it is listening; null while it is
 * not (or never, when it is off). Each registration with the coordinator carries it, so gateways name this node as
 * the leader of its partitions in Kafka's Metadata.
 *
 * <p>Thread-safe: set once, by the listener, before the node registers.
 */
@Component
public class KafkaAddress {

    private volatile String address;

    public void listening(String hostPort) {
        this.address = hostPort;
    }

    /** The advertised {@code host:port}, or null. */
    public String get() {
        return address;
    }
}
