package io.sluice.gateway.produce;

import io.sluice.gateway.routing.ProducerSession;
import io.sluice.gateway.routing.ProducerSessions;
import java.util.HashMap;
import java.util.Map;

/**
 * The producer of one NDJSON produce stream: a {@link ProducerSession} per partition the stream writes to, each with a
 * producer id of its own (from the gateway's blocks) and sequences from 0. The stream's groups are stamped when encoded
 * — a stream sends its next group only after the previous one was answered, so that is the order they go out in —
 * and every internal re-send of a group carries the same stamp, so a leader (a new one after a failover too) answers
 * a group it holds already with the offsets it was first written at. A partition whose group failed starts a fresh
 * producer id for its next group ({@link ProducerSession#failed}).
 *
 * <p>Used by one stream's groups one after another (never concurrently); the sessions themselves are thread-safe.
 */
final class StreamSession {

    private final ProducerSessions sessions;
    private final Map<Integer, ProducerSession> partitions = new HashMap<>();

    StreamSession(ProducerSessions sessions) {
        this.sessions = sessions;
    }

    /** The stream's session for {@code partition}. */
    ProducerSession partition(int partition) {
        return partitions.computeIfAbsent(partition, p -> sessions.newSession());
    }
}
