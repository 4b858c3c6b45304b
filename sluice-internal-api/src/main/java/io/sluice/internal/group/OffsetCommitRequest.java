package io.sluice.internal.group;

import java.util.List;

/**
 * Offsets to commit for a group. A member commits with its id and current epoch, and only partitions it owns; a
 * group with no members takes a commit without a member ({@code member_id} empty, {@code member_epoch} -1, Kafka's
 * "simple" commit for tools). All or nothing: one refused partition refuses the commit.
 */
public record OffsetCommitRequest(String memberId, Integer memberEpoch, List<PartitionOffset> offsets) {

    public OffsetCommitRequest {
        offsets = offsets == null ? null : List.copyOf(offsets);
    }
}
