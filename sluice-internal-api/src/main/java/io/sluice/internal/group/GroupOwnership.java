package io.sluice.internal.group;

import java.util.List;
import java.util.Map;

/**
 * One entry of a group's ownership history: what every member owned (assigned, and asked back but not yet released)
 * right after a change the coordinator stored. Entries are numbered in the coordinator's order of changes, across all
 * groups. A group that no longer exists has an entry with no members.
 *
 * @param sequence    the change's number on the coordinator that recorded it (gaps are other groups' changes)
 * @param timestampMs when the change was stored, by the coordinator's clock
 * @param groupEpoch  the group epoch after the change (0 for a deleted group)
 * @param owned       member id → the partitions it owns
 */
public record GroupOwnership(long sequence, long timestampMs, int groupEpoch, Map<String, List<TopicPartitions>> owned) {

    public GroupOwnership {
        owned = Map.copyOf(owned);
    }
}
