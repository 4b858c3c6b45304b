package io.sluice.coordinator.broker;

import io.sluice.internal.broker.BrokerAnnouncement;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.protocol.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The gateways' Kafka listeners that are live: each announced itself within its own time to live. Kafka clients see
 * them as the cluster's brokers (docs/kafka.md). Kept in this coordinator's memory only, like node heartbeats: a
 * coordinator that becomes active knows none until each gateway's next announcement, which comes within one
 * announcement interval, and each gateway always lists itself meanwhile.
 *
 * <p>A broker id belongs to one address while its announcements last: another address announcing the same id is
 * refused with DUPLICATE_NODE (two gateways configured with one {@code sluice.gateway.kafka.node-id}), and the first
 * keeps it. Several gateways behind one address (a Kubernetes Service) announce one id, and are one broker.
 *
 * <p>Thread-safe: every method holds this object's monitor, and none calls out.
 */
@Component
class BrokerRegistry {

    /** The longest time to live an announcement may ask: a broker that stopped is listed no longer than this. */
    static final long MAX_TTL_MS = 60_000;

    private record Live(BrokerEndpoint endpoint, Instant until) {
    }

    private final Clock clock;
    private final Map<Integer, Live> brokers = new TreeMap<>();

    BrokerRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Takes the announcement and answers every live broker by id, or fails with INVALID_REQUEST or DUPLICATE_NODE. */
    synchronized List<BrokerEndpoint> announce(BrokerAnnouncement announcement) {
        validate(announcement);
        Instant now = clock.instant();
        brokers.values().removeIf(live -> !live.until().isAfter(now));
        BrokerEndpoint endpoint = announcement.endpoint();
        Live holder = brokers.get(endpoint.brokerId());
        if (holder != null && !holder.endpoint().equals(endpoint)) {
            throw ErrorCode.DUPLICATE_NODE.exception("Kafka broker id " + endpoint.brokerId() + " is held by the "
                    + "gateway listening at " + holder.endpoint().host() + ":" + holder.endpoint().port()
                    + "; give each gateway its own sluice.gateway.kafka.node-id");
        }
        brokers.put(endpoint.brokerId(), new Live(endpoint, now.plusMillis(announcement.ttlMs())));
        return live();
    }

    /** Every live broker, by broker id. */
    synchronized List<BrokerEndpoint> live() {
        Instant now = clock.instant();
        return brokers.values().stream().filter(live -> live.until().isAfter(now)).map(Live::endpoint)
                .sorted(Comparator.comparingInt(BrokerEndpoint::brokerId)).toList();
    }

    private static void validate(BrokerAnnouncement announcement) {
        if (announcement.brokerId() < 0 || !validAddress(announcement.host(), announcement.port())
                || !validAddress(announcement.internalHost(), announcement.internalPort())
                || announcement.ttlMs() < 1 || announcement.ttlMs() > MAX_TTL_MS) {
            throw ErrorCode.INVALID_REQUEST.exception("A broker announcement needs a broker id >= 0, an advertised and "
                    + "an internal address each of a host of 1 to 255 characters and a port of 1 to 65535, and a time "
                    + "to live of 1 to " + MAX_TTL_MS + " ms: " + announcement);
        }
    }

    private static boolean validAddress(String host, int port) {
        return host != null && !host.isBlank() && host.length() <= 255 && port >= 1 && port <= 65535;
    }
}
