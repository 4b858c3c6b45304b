package io.sluice.internal.group;

import java.util.List;

/**
 * Moves a group's committed offsets to the given targets, backwards included. The coordinator does not know the
 * partitions' logs: the caller resolves earliest, latest, a timestamp or a shift into offsets at the leaders and sends
 * them here. Refused with NON_EMPTY_GROUP while the group has members, unless {@code force}; with {@code dry_run} the
 * answer shows the change and nothing is written. Applied all at once or not at all.
 */
public record OffsetResetRequest(List<PartitionOffset> offsets, Boolean force, Boolean dryRun) {

    public OffsetResetRequest {
        offsets = offsets == null ? null : List.copyOf(offsets);
        force = force != null && force;
        dryRun = dryRun != null && dryRun;
    }
}
