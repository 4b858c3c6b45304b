package io.sluice.internal.broker;

/** The coordinator's internal route for the gateways' Kafka listeners. */
public final class BrokerPaths {

    /** POST a {@link BrokerAnnouncement}; the answer is every live broker. GET: every live broker. */
    public static final String BROKERS = "/internal/brokers";

    private BrokerPaths() {
    }
}
