package io.sluice.internal.share;

import java.util.List;

/** The topics of a {@link ShareOffsetsDeleteRequest} whose share-partitions were removed, sorted. */
public record ShareOffsetsDeleteResponse(String groupId, List<String> deletedTopics) {

    public ShareOffsetsDeleteResponse {
        deletedTopics = List.copyOf(deletedTopics);
    }
}
