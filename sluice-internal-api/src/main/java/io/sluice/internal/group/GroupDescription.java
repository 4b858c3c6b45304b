package io.sluice.internal.group;

import java.util.List;

/**
 * A group in full: its epochs (the group epoch moves on every membership, subscription or partition-count change; the
 * assignment epoch is the group epoch the target assignment was computed at), members and committed offsets.
 *
 * @param type {@link GroupListing#CONSUMER} or {@link GroupListing#STREAMS}; a streams group's members own tasks,
 *             which its streams description shows, and none of the partitions listed here
 */
public record GroupDescription(String groupId, GroupState state, int groupEpoch, int assignmentEpoch,
                               List<MemberDescription> members, List<CommittedOffset> offsets, String type) {

    public GroupDescription {
        members = List.copyOf(members);
        offsets = List.copyOf(offsets);
        type = type == null ? GroupListing.CONSUMER : type;
    }
}
