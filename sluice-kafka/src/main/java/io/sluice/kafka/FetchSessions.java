package io.sluice.kafka;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * Fetch sessions (KIP-227) as a broker that keeps none answers them. A fetch request's {@code session_epoch} says
 * what it is: 0 (INITIAL_EPOCH) or -1 (FINAL_EPOCH) a full request, naming every partition the client reads; any
 * other epoch an incremental one, naming only what changed since the session's last answer. A full request is served
 * whatever its {@code session_id} (Kafka closes the session it names; here none exists) and answered with session id
 * 0, which tells the client that no session was made, so its next request is full again. An incremental request
 * refers to a session that cannot exist, so it is FETCH_SESSION_ID_NOT_FOUND — with session id 0 too, where Kafka
 * answers the same, since serving it would answer only the partitions it names as if they were all the client reads.
 * Kafka's client answers that error by starting over with a full request.
 */
public final class FetchSessions {

    private FetchSessions() {
    }

    /** NONE when a fetch with this session id and epoch is served in full, else the error that answers it whole. */
    public static Errors check(int sessionId, int sessionEpoch) {
        boolean full = sessionEpoch == FetchMetadata.INITIAL_EPOCH || sessionEpoch == FetchMetadata.FINAL_EPOCH;
        return full ? Errors.NONE : Errors.FETCH_SESSION_ID_NOT_FOUND;
    }
}
