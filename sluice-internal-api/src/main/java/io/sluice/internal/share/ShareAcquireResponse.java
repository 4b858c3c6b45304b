package io.sluice.internal.share;

import java.util.List;

/**
 * The records locked for the member, by offset within each part (records delivered again first, then new ones); the
 * share-partition's start offset and its end offset (where the member's next read of the log starts) after the call.
 * {@code windowFull}: the in-flight window holds as many records as it may after the call, so no new record of the
 * log is acquired until an acknowledgement or an expired lock ends one; {@code nextLockDeadlineMs} is then the
 * earliest lock deadline of the window (epoch milliseconds, the coordinator's clock), when one may expire, and -1 when
 * the window is not full or holds no lock.
 */
public record ShareAcquireResponse(long startOffset, long endOffset, List<AcquiredRecord> records, boolean windowFull,
                                   long nextLockDeadlineMs) {

    public ShareAcquireResponse {
        records = List.copyOf(records);
    }

    /**
     * One record locked for the member until {@code lockDeadlineMs} (epoch milliseconds), to be acknowledged by its
     * {@code acquisitionId}; {@code deliveryCount} is 1 the first time.
     */
    public record AcquiredRecord(long offset, long acquisitionId, int deliveryCount, long lockDeadlineMs) {
    }
}
