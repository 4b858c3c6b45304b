package io.sluice.coordinator.share;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Assigns a share group's partitions to its members, topic by topic, among the members subscribed to the topic,
 * taken in member-id order ({@code S[0..m)}), for a topic of {@code n} partitions:
 * <ul>
 *   <li>{@code m <= n}: partition {@code p} goes to {@code S[p mod m]} — each partition to one member, each member
 *       {@code floor(n/m)} or {@code ceil(n/m)} of them;</li>
 *   <li>{@code m > n}: member {@code S[i]} gets partition {@code i mod n} — every member one partition, each partition
 *       shared by {@code floor(m/n)} or {@code ceil(m/n)} members (share groups allow a partition to several members:
 *       they take its records one lock at a time).</li>
 * </ul>
 * So every partition of a subscribed topic goes to at least one member, and the answer depends only on the members,
 * their subscriptions and the partition counts (the same group gets the same assignment on every coordinator). A
 * topic not in the partition counts (not known, or deleted) is assigned to no one. Pure and thread-safe.
 */
final class ShareAssignor {

    private ShareAssignor() {
    }

    /**
     * @param subscriptions   each member's subscribed topic names
     * @param partitionCounts each known topic's partition count
     * @return each member's partitions, by topic (topics and partitions ascending; a member with none maps to an empty
     *         map)
     */
    static Map<String, SortedMap<String, List<Integer>>> assign(Map<String, Set<String>> subscriptions,
                                                              Map<String, Integer> partitionCounts) {
        Map<String, SortedMap<String, List<Integer>>> assignment = new TreeMap<>();
        Map<String, TreeSet<String>> subscribers = new TreeMap<>();
        subscriptions.forEach((member, topics) -> {
            assignment.put(member, new TreeMap<>());
            for (String topic : topics) {
                subscribers.computeIfAbsent(topic, t -> new TreeSet<>()).add(member);
            }
        });
        subscribers.forEach((topic, members) -> {
            Integer count = partitionCounts.get(topic);
            if (count == null || count < 1) {
                return;
            }
            List<String> ordered = new ArrayList<>(members);
            int m = ordered.size();
            if (m <= count) {
                for (int p = 0; p < count; p++) {
                    add(assignment, ordered.get(p % m), topic, p);
                }
            } else {
                for (int i = 0; i < m; i++) {
                    add(assignment, ordered.get(i), topic, i % count);
                }
            }
        });
        return assignment;
    }

    private static void add(Map<String, SortedMap<String, List<Integer>>> assignment, String member, String topic,
                            int partition) {
        assignment.get(member).computeIfAbsent(topic, t -> new ArrayList<>()).add(partition);
    }
}
