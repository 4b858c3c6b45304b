package io.sluice.internal.share;

import java.util.List;

/** What a reset changed (or, with {@code dry_run}, would change): per share-partition the start offset before and after. */
public record ShareResetResponse(String groupId, boolean dryRun, List<StartChange> changes) {

    public ShareResetResponse {
        changes = List.copyOf(changes);
    }

    /** {@code currentStartOffset} is null where the group had no share-partition yet. */
    public record StartChange(String topic, int partition, Long currentStartOffset, long newStartOffset) {
    }
}
