package io.sluice.partition.replica;

/**
 * What a leader knows of one follower: the log end offset and log start offset its last fetch reported, when it came,
 * and the last time
 * the follower was caught up (Kafka's lastCaughtUpTimeMs: it had fetched up to the leader's log end as it stood at its
 * previous fetch). Immutable; replaced on every fetch.
 */
record FollowerState(long logEndOffset, long logStartOffset, long lastFetchTimeMs, long leaderEndAtLastFetch,
                     long lastCaughtUpTimeMs) {

    static final long UNKNOWN = -1;

    /** Nothing heard yet: no log end, caught up as of {@code now} (a new leadership's grace). */
    static FollowerState unknown(long now) {
        return new FollowerState(UNKNOWN, UNKNOWN, now, UNKNOWN, now);
    }

    FollowerState afterFetch(long fetchOffset, long logStartOffset, long leaderEnd, long now) {
        long caughtUp = lastCaughtUpTimeMs;
        if (fetchOffset >= leaderEnd) {
            caughtUp = now;
        } else if (leaderEndAtLastFetch != UNKNOWN && fetchOffset >= leaderEndAtLastFetch) {
            caughtUp = Math.max(caughtUp, lastFetchTimeMs);
        }
        return new FollowerState(fetchOffset, logStartOffset, now, leaderEnd, caughtUp);
    }
}
