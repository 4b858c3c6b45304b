package io.sluice.internal.group;

import java.util.List;

/** What a reset changed (or, with {@code dry_run}, would change): per partition the committed offset before and after. */
public record OffsetResetResponse(String groupId, boolean dryRun, List<OffsetChange> changes) {

    public OffsetResetResponse {
        changes = List.copyOf(changes);
    }

    /** {@code currentOffset} is null where the group had no committed offset. */
    public record OffsetChange(String topic, int partition, Long currentOffset, long newOffset) {
    }
}
