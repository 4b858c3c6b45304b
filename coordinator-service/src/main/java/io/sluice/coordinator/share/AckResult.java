package io.sluice.coordinator.share;

import io.sluice.internal.share.RecordState;
import io.sluice.internal.share.ShareError;
import java.util.List;

/**
 * The outcome of one item of an acknowledge call: an item-level error (nothing changed, {@code records} empty), or one
 * result per record the item named.
 *
 * @param error null when the item was valid; then each record has its own outcome
 */
record AckResult(Acknowledgement acknowledgement, ShareError error, List<RecordResult> records) {

    public AckResult {
        records = List.copyOf(records);
    }

    static AckResult refused(Acknowledgement acknowledgement, ShareError error) {
        return new AckResult(acknowledgement, error, List.of());
    }

    /** Whether the item was valid and every record it named took the acknowledgement. */
    public boolean succeeded() {
        return error == null && records.stream().allMatch(RecordResult::succeeded);
    }

    /**
     * One record's outcome.
     *
     * @param error          null when the acknowledgement took effect; else why the record is unchanged
     * @param state          the record's state after the call
     * @param lockDeadlineMs the record's lock deadline after the call (a renew's new deadline)
     */
    record RecordResult(long offset, ShareError error, RecordState state, long lockDeadlineMs) {

        public boolean succeeded() {
            return error == null;
        }
    }
}
