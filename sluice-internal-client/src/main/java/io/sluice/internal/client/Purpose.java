package io.sluice.internal.client;

/**
 * What a call is for. Each purpose has a connection pool of its own, so that long polls waiting for data, bulk
 * produce traffic and follower replication never wait for one another's connections.
 */
public enum Purpose {
    /** Coordinator calls, offset lookups, epoch end offsets: small and latency-sensitive. */
    CONTROL,
    /** Gateway → leader appends. */
    PRODUCE,
    /** Gateway → leader consumer fetches, which may wait (long poll) while holding their connection. */
    FETCH,
    /** Follower → leader fetch sessions, one long poll at a time per node pair. */
    REPLICATION
}
