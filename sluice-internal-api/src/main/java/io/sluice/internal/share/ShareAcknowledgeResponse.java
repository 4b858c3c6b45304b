package io.sluice.internal.share;

import java.util.List;

/**
 * One result per item of a {@link ShareAcknowledgeRequest}, in its order, and the share-partition's start offset after
 * the call. An item refused as a whole has its {@code error} and no records; otherwise each record it named has its own
 * outcome (an {@code error} of null: taken).
 */
public record ShareAcknowledgeResponse(long startOffset, List<ItemResult> items) {

    public ShareAcknowledgeResponse {
        items = List.copyOf(items);
    }

    public record ItemResult(ShareError error, List<RecordOutcome> records) {

        public ItemResult {
            records = List.copyOf(records);
        }
    }

    /** A record's state and lock deadline after the call (a renew's new deadline). */
    public record RecordOutcome(long offset, ShareError error, RecordState state, long lockDeadlineMs) {
    }
}
