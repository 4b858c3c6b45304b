package io.sluice.coordinator.share;

import io.sluice.internal.share.RecordState;
/**
 * One record of a share-partition's in-flight window. A record enters the window when it is first acquired, so it
 * always has an acquisition: {@code memberId}, {@code acquisitionId} and {@code lockDeadlineMs} are those of its latest
 * one, kept after the lock ended so that a late acknowledgement is told why it is refused.
 *
 * @param deliveryCount how many times the record was acquired (1 to the delivery limit)
 * @param lockExpired   whether the latest lock ended by reaching its deadline (not by an acknowledgement)
 */
record InFlightRecord(long offset, RecordState state, int deliveryCount, String memberId, long acquisitionId,
                             long lockDeadlineMs, boolean lockExpired) {

    /** The member holding the record, or null when it is not ACQUIRED. */
    public String holder() {
        return state == RecordState.ACQUIRED ? memberId : null;
    }

    InFlightRecord withState(RecordState next) {
        return new InFlightRecord(offset, next, deliveryCount, memberId, acquisitionId, lockDeadlineMs, lockExpired);
    }

    InFlightRecord expired(RecordState next) {
        return new InFlightRecord(offset, next, deliveryCount, memberId, acquisitionId, lockDeadlineMs, true);
    }

    InFlightRecord renewed(long deadlineMs) {
        return new InFlightRecord(offset, state, deliveryCount, memberId, acquisitionId, deadlineMs, lockExpired);
    }

    InFlightRecord acquired(String member, long id, long deadlineMs) {
        return new InFlightRecord(offset, RecordState.ACQUIRED, deliveryCount + 1, member, id, deadlineMs, false);
    }
}
