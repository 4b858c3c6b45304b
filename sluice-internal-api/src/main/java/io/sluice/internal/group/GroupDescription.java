package io.sluice.internal.group;

import java.util.List;

/**
 * A group in full: its epochs (the group epoch moves on every membership, subscription or partition-count change; the
 * assignment epoch is the group epoch the target assignment was computed at), members and committed offsets.
 */
public record GroupDescription(String groupId, GroupState state, int groupEpoch, int assignmentEpoch,
                               List<MemberDescription> members, List<CommittedOffset> offsets) {

    public GroupDescription {
        members = List.copyOf(members);
        offsets = List.copyOf(offsets);
    }
}
