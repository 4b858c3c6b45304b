package io.sluice.internal.group;

import java.util.List;

/** A group's committed offsets, ordered by topic and partition. A group that never committed has none. */
public record GroupOffsets(String groupId, List<CommittedOffset> offsets) {

    public GroupOffsets {
        offsets = List.copyOf(offsets);
    }
}
