package io.sluice.internal.broker;

/**
 * A gateway telling the coordinator that its Kafka listener is live as broker {@code brokerId} at {@code host:port},
 * for the next {@code ttlMs} milliseconds; it announces itself again before they are up.
 */
public record BrokerAnnouncement(int brokerId, String host, int port, long ttlMs) {

    public BrokerEndpoint endpoint() {
        return new BrokerEndpoint(brokerId, host, port);
    }
}
