package io.sluice.coordinator.group;

import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The group's target assignment: every partition of every subscribed topic to exactly one member subscribed to its
 * topic, balanced and sticky (the roles of Kafka's UniformAssignor). A pure function: same input, same output.
 *
 * <ul>
 *   <li><b>Balanced</b>: members subscribed to the same topics own partition counts that differ by at most one. (With
 *       different subscriptions, a member may own more than another when only it can take the partitions.)</li>
 *   <li><b>Sticky</b>: each member keeps every partition of its previous target that is still valid for it (the topic
 *       exists, the member still subscribes to it, the partition still exists); only partitions that must move to
 *       restore balance move, always from a most-loaded member to a least-loaded one, so a membership change moves the
 *       fewest partitions.</li>
 * </ul>
 *
 * <p>In three steps: keep what is still valid; give each unowned partition, those with the fewest possible owners
 * first, to its least-loaded subscriber; then, while some member owns at least two more than another member that
 * could take one of its partitions, move one. Each move lowers the sum of squared counts, so the last step ends; a
 * member that gives never receives afterwards (it stays above the minimum), so nothing moves twice.
 */
final class UniformStickyAssignor {

    private UniformStickyAssignor() {
    }

    /**
     * One member's input: its id, the topics it subscribes to (names; topics that do not exist are ignored) and its
     * previous target assignment (empty for a new member).
     */
    record Member(String id, Set<String> topics, Set<TopicPartition> previous) {
        Member {
            topics = Set.copyOf(topics);
            previous = Set.copyOf(previous);
        }
    }

    /**
     * @param members            the group's members
     * @param partitionsPerTopic the partition count of every topic that exists
     * @return member id → its target partitions, for every member (an empty set for one that gets none)
     */
    static Map<String, SortedSet<TopicPartition>> assign(List<Member> members, Map<String, Integer> partitionsPerTopic) {
        List<Member> sorted = members.stream().sorted(Comparator.comparing(Member::id)).toList();
        Map<String, SortedSet<TopicPartition>> owned = new TreeMap<>();
        Map<String, List<String>> subscribers = new TreeMap<>();
        for (Member member : sorted) {
            owned.put(member.id(), new TreeSet<>());
            for (String topic : member.topics()) {
                if (partitionsPerTopic.containsKey(topic)) {
                    subscribers.computeIfAbsent(topic, t -> new ArrayList<>()).add(member.id());
                }
            }
        }
        Map<TopicPartition, String> owner = new HashMap<>();
        for (Member member : sorted) {
            member.previous().stream().sorted().forEach(tp -> {
                Integer count = partitionsPerTopic.get(tp.topic());
                if (count != null && tp.partition() < count && member.topics().contains(tp.topic())
                        && !owner.containsKey(tp)) {
                    owner.put(tp, member.id());
                    owned.get(member.id()).add(tp);
                }
            });
        }

        List<TopicPartition> unowned = new ArrayList<>();
        subscribers.forEach((topic, ids) -> {
            for (int p = 0; p < partitionsPerTopic.get(topic); p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                if (!owner.containsKey(tp)) {
                    unowned.add(tp);
                }
            }
        });
        unowned.sort(Comparator.<TopicPartition>comparingInt(tp -> subscribers.get(tp.topic()).size())
                .thenComparing(Comparator.naturalOrder()));
        for (TopicPartition tp : unowned) {
            String taker = leastLoaded(subscribers.get(tp.topic()), owned, null);
            owned.get(taker).add(tp);
        }

        while (moveOne(owned, subscribers)) {
            // each move strictly lowers the sum of squared counts
        }
        return owned;
    }

    /** Moves one partition from the most-loaded member that can give one to a member with at least two fewer. */
    private static boolean moveOne(Map<String, SortedSet<TopicPartition>> owned, Map<String, List<String>> subscribers) {
        List<String> byLoad = owned.keySet().stream()
                .sorted(Comparator.<String>comparingInt(id -> owned.get(id).size()).reversed()
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        for (String giver : byLoad) {
            int load = owned.get(giver).size();
            String bestTaker = null;
            String bestTopic = null;
            for (String topic : owned.get(giver).stream().map(TopicPartition::topic).distinct().toList()) {
                String taker = leastLoaded(subscribers.get(topic), owned, giver);
                if (taker != null && owned.get(taker).size() <= load - 2
                        && (bestTaker == null || owned.get(taker).size() < owned.get(bestTaker).size())) {
                    bestTaker = taker;
                    bestTopic = topic;
                }
            }
            if (bestTaker != null) {
                String topic = bestTopic;
                TopicPartition moved = owned.get(giver).stream().filter(tp -> tp.topic().equals(topic))
                        .reduce((first, second) -> second).orElseThrow();
                owned.get(giver).remove(moved);
                owned.get(bestTaker).add(moved);
                return true;
            }
        }
        return false;
    }

    /** The candidate owning the fewest partitions (the smallest id among equals), {@code excluded} aside. */
    private static String leastLoaded(List<String> candidates, Map<String, SortedSet<TopicPartition>> owned,
                                      String excluded) {
        String best = null;
        for (String id : candidates) {
            if (!id.equals(excluded) && (best == null || owned.get(id).size() < owned.get(best).size())) {
                best = id;
            }
        }
        return best;
    }
}
