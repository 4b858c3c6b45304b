package io.sluice.internal.share;

import java.util.List;

/** The records of a share-partition a member holds ({@link ShareHeldRequest}), by offset. */
public record ShareHeldResponse(List<HeldRecord> records) {

    public ShareHeldResponse {
        records = List.copyOf(records);
    }

    /** A record the member holds under {@code acquisitionId} until {@code lockDeadlineMs} (epoch milliseconds). */
    public record HeldRecord(long offset, long acquisitionId, long lockDeadlineMs) {
    }
}
