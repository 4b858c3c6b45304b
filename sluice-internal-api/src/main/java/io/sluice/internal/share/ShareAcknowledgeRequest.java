package io.sluice.internal.share;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A member's acknowledgements of records of one share-partition: each item one type for its records. */
public record ShareAcknowledgeRequest(String groupId, String memberId, String topic, int partition,
                                      List<Item> items) {

    public ShareAcknowledgeRequest {
        // Not List.copyOf: a null item must reach the coordinator's check (INVALID_REQUEST), not fail the decoding.
        items = items == null ? null : Collections.unmodifiableList(new ArrayList<>(items));
    }

    /**
     * One acknowledgement: of the record acquired under {@code acquisitionId}, or of every record of the member in
     * {@code [firstOffset, lastOffset]} — exactly one of the two.
     */
    public record Item(Long acquisitionId, Long firstOffset, Long lastOffset, AcknowledgeType type) {

        public static Item of(long acquisitionId, AcknowledgeType type) {
            return new Item(acquisitionId, null, null, type);
        }

        public static Item range(long firstOffset, long lastOffset, AcknowledgeType type) {
            return new Item(null, firstOffset, lastOffset, type);
        }
    }
}
