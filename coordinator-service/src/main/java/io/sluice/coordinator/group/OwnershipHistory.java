package io.sluice.coordinator.group;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.internal.group.GroupOwnership;
import io.sluice.internal.group.TopicPartitions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * The last {@code groups.ownership-history} ownership changes of all groups, in the order the {@link GroupManager}
 * stored them: after each stored change that moved any partition between members (or added or removed a member that
 * owns any), a snapshot of what every member of that group owns. Memory only, on the active coordinator (a failover
 * starts it empty); it exists so that tests and people can check from the coordinator's own record that no partition
 * ever had two owners. Thread-safe.
 */
@Component
class OwnershipHistory {

    private final int capacity;
    private final Clock clock;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long sequence;

    OwnershipHistory(CoordinatorProperties properties, Clock clock) {
        this.capacity = properties.groups().ownershipHistory();
        this.clock = clock;
    }

    /** Records {@code after} (null: deleted) if its ownership differs from {@code before}'s. */
    synchronized void record(String groupId, ConsumerGroup before, ConsumerGroup after) {
        Map<String, List<TopicPartitions>> owned = owned(after);
        if (capacity == 0 || owned.equals(owned(before))) {
            return;
        }
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(new Entry(groupId, new GroupOwnership(++sequence, clock.millis(),
                after == null ? 0 : after.groupEpoch(), owned)));
    }

    /** The recorded changes of {@code groupId}, oldest first. */
    synchronized List<GroupOwnership> of(String groupId) {
        return entries.stream().filter(entry -> Objects.equals(entry.groupId(), groupId))
                .map(Entry::ownership).toList();
    }

    private static Map<String, List<TopicPartitions>> owned(ConsumerGroup group) {
        Map<String, List<TopicPartitions>> owned = new TreeMap<>();
        if (group != null) {
            group.members().values().forEach(member -> owned.put(member.memberId(),
                    GroupRules.topicPartitions(member.owned())));
        }
        return owned;
    }

    private record Entry(String groupId, GroupOwnership ownership) {
    }
}
