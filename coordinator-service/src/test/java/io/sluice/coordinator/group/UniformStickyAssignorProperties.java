package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.group.UniformStickyAssignor.Member;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The assignor's promises over generated groups: complete, valid, balanced, and sticky under membership changes. */
class UniformStickyAssignorProperties {

    private static final List<String> TOPICS = List.of("a", "b", "c", "d");

    @Property
    void everySubscribedPartitionGetsExactlyOneSubscribedOwner(@ForAll("groups") Group group) {
        Map<String, SortedSet<TopicPartition>> result = UniformStickyAssignor.assign(group.members(), group.topics());

        Map<TopicPartition, String> owners = new HashMap<>();
        result.forEach((member, partitions) -> partitions.forEach(tp -> {
            assertThat(owners.put(tp, member)).as("second owner of %s", tp).isNull();
            assertThat(group.member(member).topics()).contains(tp.topic());
        }));
        Set<TopicPartition> expected = new HashSet<>();
        group.members().forEach(m -> m.topics().forEach(t -> {
            for (int p = 0; p < group.topics().getOrDefault(t, 0); p++) {
                expected.add(new TopicPartition(t, p));
            }
        }));
        assertThat(owners.keySet()).isEqualTo(expected);
        assertThat(result.keySet()).containsExactlyInAnyOrderElementsOf(group.members().stream().map(Member::id).toList());
    }

    @Property
    void membersWithTheSameSubscriptionOwnCountsThatDifferByAtMostOne(@ForAll("groups") Group group) {
        Map<String, SortedSet<TopicPartition>> result = UniformStickyAssignor.assign(group.members(), group.topics());

        Map<Set<String>, List<Integer>> countsBySubscription = new HashMap<>();
        group.members().forEach(m -> countsBySubscription.computeIfAbsent(m.topics(), s -> new ArrayList<>())
                .add(result.get(m.id()).size()));
        countsBySubscription.forEach((subscription, counts) -> assertThat(
                counts.stream().max(Integer::compare).orElseThrow() - counts.stream().min(Integer::compare).orElseThrow())
                .as("counts of members subscribed to %s: %s", subscription, counts).isLessThanOrEqualTo(1));
    }

    @Property
    void anAssignmentGivenBackAsThePreviousOneMovesNothing(@ForAll("groups") Group group) {
        Map<String, SortedSet<TopicPartition>> first = UniformStickyAssignor.assign(group.members(), group.topics());

        Map<String, SortedSet<TopicPartition>> again = UniformStickyAssignor.assign(
                withPrevious(group.members(), first), group.topics());

        assertThat(again).isEqualTo(first);
    }

    /**
     * With one subscription for all, a member joining or leaving moves no more partitions than balance requires: the
     * fewest that can leave their surviving owners, when the members with the most give up one each first.
     */
    @Property
    void aMembershipChangeMovesTheFewestPartitions(@ForAll("sameSubscription") Group before,
                                                   @ForAll("changes") Change change) {
        Map<String, SortedSet<TopicPartition>> balanced = UniformStickyAssignor.assign(before.members(), before.topics());
        List<Member> after = new ArrayList<>(withPrevious(before.members(), balanced));
        if (change.removeIndex() >= 0 && after.size() > 1) {
            after.remove(change.removeIndex() % after.size());
        }
        for (int i = 0; i < change.joining(); i++) {
            after.add(new Member("new-" + i, after.getFirst().topics(), Set.of()));
        }

        Map<String, SortedSet<TopicPartition>> result = UniformStickyAssignor.assign(after, before.topics());

        int moved = 0;
        List<Integer> kept = new ArrayList<>();
        for (Member member : after) {
            Set<TopicPartition> still = new HashSet<>(member.previous());
            kept.add(still.size());
            still.removeAll(result.get(member.id()));
            moved += still.size();
        }
        assertThat(moved).isEqualTo(fewestMoves(kept, balanced.values().stream().mapToInt(Set::size).sum()));
    }

    /** Σ over members of what they must give up when the n mod m members keeping the most stay at one above the floor. */
    private static int fewestMoves(List<Integer> kept, int partitions) {
        int members = kept.size();
        int floor = partitions / members;
        int aboveFloor = partitions % members;
        List<Integer> sorted = kept.stream().sorted(Comparator.reverseOrder()).toList();
        int moves = 0;
        for (int i = 0; i < sorted.size(); i++) {
            moves += Math.max(0, sorted.get(i) - (i < aboveFloor ? floor + 1 : floor));
        }
        return moves;
    }

    private static List<Member> withPrevious(List<Member> members, Map<String, SortedSet<TopicPartition>> previous) {
        return members.stream().map(m -> new Member(m.id(), m.topics(), previous.get(m.id()))).toList();
    }

    record Group(List<Member> members, Map<String, Integer> topics) {
        Member member(String id) {
            return members.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
        }
    }

    record Change(int removeIndex, int joining) {
    }

    @Provide
    Arbitrary<Group> groups() {
        Arbitrary<Map<String, Integer>> topics = partitionCounts();
        Arbitrary<List<Set<String>>> subscriptions = Arbitraries.of(TOPICS).set().ofMinSize(1).ofMaxSize(3)
                .list().ofMinSize(1).ofMaxSize(7);
        return Combinators.combine(topics, subscriptions, Arbitraries.longs()).as((counts, subs, seed) -> {
            // a random earlier assignment, possibly invalid now, as the previous target
            java.util.Random random = new java.util.Random(seed);
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) {
                Set<TopicPartition> previous = new HashSet<>();
                for (String topic : TOPICS) {
                    for (int p = 0; p < 10; p++) {
                        if (random.nextInt(4 * subs.size()) == 0) {
                            previous.add(new TopicPartition(topic, p));
                        }
                    }
                }
                members.add(new Member("m" + i, subs.get(i), previous));
            }
            return new Group(members, counts);
        });
    }

    @Provide
    Arbitrary<Group> sameSubscription() {
        return Combinators.combine(partitionCounts(), Arbitraries.of(TOPICS).set().ofMinSize(1).ofMaxSize(3),
                Arbitraries.integers().between(1, 7)).as((counts, subscription, size) -> {
                    List<Member> members = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        members.add(new Member("m" + i, subscription, Set.of()));
                    }
                    return new Group(members, counts);
                });
    }

    @Provide
    Arbitrary<Change> changes() {
        return Combinators.combine(Arbitraries.integers().between(-1, 6), Arbitraries.integers().between(0, 2))
                .as(Change::new).filter(c -> c.removeIndex() >= 0 || c.joining() > 0);
    }

    private static Arbitrary<Map<String, Integer>> partitionCounts() {
        return Arbitraries.integers().between(1, 10).list().ofSize(TOPICS.size()).map(counts -> {
            Map<String, Integer> map = new TreeMap<>();
            for (int i = 0; i < TOPICS.size(); i++) {
                map.put(TOPICS.get(i), counts.get(i));
            }
            return map;
        });
    }
}
