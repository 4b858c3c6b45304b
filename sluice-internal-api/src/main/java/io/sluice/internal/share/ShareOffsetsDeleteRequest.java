package io.sluice.internal.share;

import java.util.List;

/**
 * Forgets a share group's share-partitions of some topics (Kafka's DeleteShareGroupOffsets): where it starts in them
 * is decided afresh when it next takes records. Refused as a whole, changing nothing: UNKNOWN_GROUP when the group has
 * no share-partition, NON_EMPTY_GROUP while it has members or a record of those topics is acquired under a live lock.
 * A topic the group has no share-partition of is no error; the answer names the topics whose share-partitions went.
 */
public record ShareOffsetsDeleteRequest(List<String> topics) {

    public ShareOffsetsDeleteRequest {
        topics = topics == null ? null : List.copyOf(topics);
    }
}
