package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The share assignor's promises over generated groups: every partition of a subscribed topic goes to at least one of
 * its subscribers and to no one else; an unknown topic (t9) to no one; members get balanced shares; the answer does not depend on the order members
 * are given in.
 */
class ShareAssignorProperties {

    private static final Map<String, Integer> COUNTS = Map.of("t0", 1, "t1", 3, "t2", 8);

    @Property(tries = 500)
    void everySubscribedPartitionIsAssignedToSubscribersInBalance(
            @ForAll("subscriptions") Map<String, Set<String>> subscriptions) {
        Map<String, SortedMap<String, List<Integer>>> assignment = ShareAssignor.assign(subscriptions, COUNTS);
        assertThat(assignment.keySet()).isEqualTo(subscriptions.keySet());
        Map<String, Integer> subscribers = new HashMap<>();
        subscriptions.values().forEach(topics -> topics.forEach(t -> subscribers.merge(t, 1, Integer::sum)));
        assignment.values().forEach(topics -> assertThat(topics).doesNotContainKey("t9"));
        subscribers.remove("t9");
        subscribers.forEach((topic, m) -> {
            int n = COUNTS.get(topic);
            Map<Integer, Integer> takers = new HashMap<>();
            Map<String, Integer> perMember = new HashMap<>();
            assignment.forEach((member, topics) -> {
                List<Integer> partitions = topics.getOrDefault(topic, List.of());
                if (!partitions.isEmpty()) {
                    assertThat(subscriptions.get(member)).contains(topic);
                }
                assertThat(new HashSet<>(partitions)).hasSameSizeAs(partitions);
                partitions.forEach(p -> {
                    assertThat(p).isBetween(0, n - 1);
                    takers.merge(p, 1, Integer::sum);
                });
                if (subscriptions.get(member).contains(topic)) {
                    perMember.put(member, partitions.size());
                }
            });
            assertThat(takers.keySet()).hasSize(n);
            assertThat(spread(takers.values())).isLessThanOrEqualTo(1);
            assertThat(spread(perMember.values())).isLessThanOrEqualTo(1);
            assertThat(perMember.values()).allMatch(count -> count >= 1);
        });
    }

    @Property(tries = 200)
    void theAssignmentDependsOnlyOnTheMembersNotTheirOrder(
            @ForAll("subscriptions") Map<String, Set<String>> subscriptions) {
        Map<String, Set<String>> reversed = new java.util.LinkedHashMap<>();
        List<String> ids = new java.util.ArrayList<>(subscriptions.keySet());
        java.util.Collections.reverse(ids);
        ids.forEach(id -> reversed.put(id, subscriptions.get(id)));
        assertThat(ShareAssignor.assign(reversed, COUNTS)).isEqualTo(ShareAssignor.assign(subscriptions, COUNTS));
    }

    private static int spread(java.util.Collection<Integer> values) {
        return values.isEmpty() ? 0 : values.stream().max(Integer::compare).get()
                - values.stream().min(Integer::compare).get();
    }

    @Provide
    Arbitrary<Map<String, Set<String>>> subscriptions() {
        return Arbitraries.maps(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(4),
                Arbitraries.of("t0", "t1", "t2", "t9").set().ofMinSize(1).ofMaxSize(4)).ofMinSize(1).ofMaxSize(12);
    }
}
