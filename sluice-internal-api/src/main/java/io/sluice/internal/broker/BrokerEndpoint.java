package io.sluice.internal.broker;

/**
 * A Kafka listener of the cluster: the broker id it answers as, the address Kafka clients are told (its advertised
 * address), and the address the cluster's own services reach it at — where a partition service forwards the Kafka
 * requests it does not answer itself to a gateway. The two addresses differ where clients come in through a published
 * port or an outside name (Compose's {@code localhost}, an external load balancer); by default they are the same.
 */
public record BrokerEndpoint(int brokerId, String host, int port, String internalHost, int internalPort) {

    /** A listener that clients and the cluster's services reach at the same address. */
    public BrokerEndpoint(int brokerId, String host, int port) {
        this(brokerId, host, port, host, port);
    }
}
