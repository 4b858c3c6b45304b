package io.sluice.coordinator.share;

import io.sluice.internal.share.RecordState;
/**
 * A lock that reached its deadline without an acknowledgement, as {@link SharePartition#expire} ended it.
 *
 * @param state AVAILABLE (delivered again to the next taker) or ARCHIVED (it had reached the delivery limit)
 */
record ExpiredLock(long offset, String memberId, long acquisitionId, RecordState state) {
}
