package io.sluice.internal.broker;

/**
 * A gateway telling the coordinator that its Kafka listener is live as broker {@code brokerId}, advertised to clients
 * at {@code host:port} and reached by the cluster's services at {@code internalHost:internalPort}
 * ({@link BrokerEndpoint}), for the next {@code ttlMs} milliseconds; it announces itself again before they are up.
 */
public record BrokerAnnouncement(int brokerId, String host, int port, String internalHost, int internalPort,
                                 long ttlMs) {

    public static BrokerAnnouncement of(BrokerEndpoint endpoint, long ttlMs) {
        return new BrokerAnnouncement(endpoint.brokerId(), endpoint.host(), endpoint.port(), endpoint.internalHost(),
                endpoint.internalPort(), ttlMs);
    }

    public BrokerEndpoint endpoint() {
        return new BrokerEndpoint(brokerId, host, port, internalHost, internalPort);
    }
}
