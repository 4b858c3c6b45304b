package io.sluice.internal.share;

import java.util.List;

/**
 * Moves the start offsets of a share group's share-partitions to offsets the caller resolved at the leaders (the
 * coordinator does not know the logs), each with the log's bounds it was resolved against. Applied to all of them or
 * to none: refused with NON_EMPTY_GROUP while any record of the group is acquired (a lock whose deadline passed has
 * ended and does not count), INVALID_OFFSET for an offset outside its bounds. With {@code dry_run} the answer shows the
 * change and nothing is written. A share-partition the group does not have yet is created at the offset.
 */
public record ShareResetRequest(List<PartitionStart> partitions, Boolean dryRun) {

    public ShareResetRequest {
        partitions = partitions == null ? null : List.copyOf(partitions);
        dryRun = dryRun != null && dryRun;
    }

    /** The new start offset of one share-partition, in a log holding {@code [logStartOffset, highWatermark)}. */
    public record PartitionStart(String topic, Integer partition, Long offset, Long logStartOffset,
                                 Long highWatermark) {
    }
}
