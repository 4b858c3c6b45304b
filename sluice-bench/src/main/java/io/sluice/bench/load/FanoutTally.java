package io.sluice.bench.load;

import java.util.BitSet;

/**
 * Which records each subscriber of a fan-out run got: a set of record ids per subscriber, and how often one got an
 * id it already had (duplicates). Not thread-safe: a run feeds it from its one SSE event loop only and reads
 * {@link #completeness} once that loop has stopped.
 */
final class FanoutTally {

    /** Over all subscribers, against the records the gateway acknowledged. */
    record Completeness(int subscribers, int complete, long missing, long duplicates, long unacknowledged) {
    }

    private final BitSet[] got;
    private long duplicates;

    FanoutTally(int subscribers) {
        got = new BitSet[subscribers];
        for (int s = 0; s < subscribers; s++) {
            got[s] = new BitSet();
        }
    }

    /** Counts record {@code id} delivered to {@code subscriber}; true the first time, false for a duplicate. */
    boolean deliver(int subscriber, int id) {
        BitSet ids = got[subscriber];
        if (ids.get(id)) {
            duplicates++;
            return false;
        }
        ids.set(id);
        return true;
    }

    /**
     * Complete: subscribers that got every acknowledged record. Missing: acknowledged records a subscriber did not
     * get, summed over subscribers. Unacknowledged: deliveries of records whose produce did not answer success (a
     * timed-out request may still have been written), not a fault of the stream.
     */
    Completeness completeness(BitSet acked) {
        int complete = 0;
        long missing = 0;
        long unacknowledged = 0;
        for (BitSet ids : got) {
            BitSet lacking = (BitSet) acked.clone();
            lacking.andNot(ids);
            int lack = lacking.cardinality();
            missing += lack;
            complete += lack == 0 ? 1 : 0;
            BitSet extra = (BitSet) ids.clone();
            extra.andNot(acked);
            unacknowledged += extra.cardinality();
        }
        return new Completeness(got.length, complete, missing, duplicates, unacknowledged);
    }
}
