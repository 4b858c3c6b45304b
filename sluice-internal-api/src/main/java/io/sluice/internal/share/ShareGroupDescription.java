package io.sluice.internal.share;

import java.util.List;

/**
 * A share group as its coordinator keeps it: each share-partition's progress, and the members that hold records now
 * (the holders of the acquisition locks; membership by heartbeat is not part of this answer).
 */
public record ShareGroupDescription(String groupId, List<LockHolder> lockHolders,
                                    List<SharePartitionDescription> partitions) {

    public ShareGroupDescription {
        lockHolders = List.copyOf(lockHolders);
        partitions = List.copyOf(partitions);
    }

    /** A member and how many records it holds locked, over every share-partition of the group. */
    public record LockHolder(String memberId, long acquiredRecords) {
    }
}
