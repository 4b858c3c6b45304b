package io.sluice.gateway.routing;

import io.sluice.protocol.TopicPartition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The gateway's producer session for each partition ({@link ProducerSession}), which every produce request without a
 * producer of its own (no Idempotency-Key, not an NDJSON stream's) is sent in: its batches are stamped when the
 * {@link LeaderQueue} sends them, so that the gateway's own re-sends after an unknown outcome cannot write them twice.
 * Also makes sessions for callers that keep their own (an NDJSON stream).
 *
 * <p>Thread-safe; one per gateway. About 50 bytes per partition this gateway has written to.
 */
@Component
public class ProducerSessions {

    private final ProducerIds ids;
    private final Map<TopicPartition, ProducerSession> sessions = new ConcurrentHashMap<>();

    ProducerSessions(ProducerIds ids) {
        this.ids = ids;
    }

    /** The gateway's session for {@code partition}. */
    ProducerSession of(TopicPartition partition) {
        ProducerSession session = sessions.get(partition);
        return session != null ? session : sessions.computeIfAbsent(partition, p -> new ProducerSession(ids));
    }

    /** A session of the caller's own, with producer ids from the same blocks. */
    public ProducerSession newSession() {
        return new ProducerSession(ids);
    }
}
