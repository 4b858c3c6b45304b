package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.group.UniformStickyAssignor.Member;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

/** The assignor's edge cases, one by one. */
class UniformStickyAssignorTest {

    @Test
    void whenThereAreNoMembersNothingIsAssigned() {
        assertThat(UniformStickyAssignor.assign(List.of(), Map.of("t", 3))).isEmpty();
    }

    @Test
    void whenThreeMembersShareSixPartitionsEachGetsTwo() {
        Map<String, SortedSet<TopicPartition>> result = UniformStickyAssignor.assign(
                List.of(member("a", "t"), member("b", "t"), member("c", "t")), Map.of("t", 6));

        assertThat(result.values()).allSatisfy(partitions -> assertThat(partitions).hasSize(2));
    }

    @Test
    void whenATopicDoesNotExistItsSubscribersGetNothingOfIt() {
        Map<String, SortedSet<TopicPartition>> result = UniformStickyAssignor.assign(
                List.of(member("a", "missing"), member("b", "t", "missing")), Map.of("t", 2));

        assertThat(result.get("a")).isEmpty();
        assertThat(result.get("b")).containsExactly(tp("t", 0), tp("t", 1));
    }

    @Test
    void whenATopicIsGoneOrShrankOrNoLongerSubscribedItsPartitionsLeaveThePreviousAssignment() {
        Member a = new Member("a", Set.of("t"), Set.of(tp("t", 0), tp("t", 5), tp("gone", 0), tp("u", 0)));

        assertThat(UniformStickyAssignor.assign(List.of(a), Map.of("t", 2, "u", 1)).get("a"))
                .containsExactly(tp("t", 0), tp("t", 1));
    }

    @Test
    void whenTwoMembersClaimThePreviousPartitionOnlyOneKeepsIt() {
        Member a = new Member("a", Set.of("t"), Set.of(tp("t", 0)));
        Member b = new Member("b", Set.of("t"), Set.of(tp("t", 0)));

        Map<String, SortedSet<TopicPartition>> result = UniformStickyAssignor.assign(List.of(a, b), Map.of("t", 2));

        assertThat(result.get("a")).containsExactly(tp("t", 0));
        assertThat(result.get("b")).containsExactly(tp("t", 1));
    }

    @Test
    void whenAMemberJoinsOnlyTheExcessOfTheOthersMovesToIt() {
        Member a = new Member("a", Set.of("t"), Set.of(tp("t", 0), tp("t", 1), tp("t", 2)));
        Member b = new Member("b", Set.of("t"), Set.of(tp("t", 3), tp("t", 4), tp("t", 5)));

        Map<String, SortedSet<TopicPartition>> result = UniformStickyAssignor.assign(
                List.of(a, b, member("c", "t")), Map.of("t", 6));

        assertThat(result.get("a")).hasSize(2).isSubsetOf(a.previous());
        assertThat(result.get("b")).hasSize(2).isSubsetOf(b.previous());
        assertThat(result.get("c")).hasSize(2);
    }

    @Test
    void whenOnlyOneMemberCanTakeATopicItTakesAllOfItAndTheSharedTopicEvensOut() {
        Map<String, SortedSet<TopicPartition>> result = UniformStickyAssignor.assign(
                List.of(member("a", "shared"), member("b", "shared", "own")), Map.of("shared", 2, "own", 2));

        assertThat(result.get("a")).containsExactly(tp("shared", 0), tp("shared", 1));
        assertThat(result.get("b")).containsExactly(tp("own", 0), tp("own", 1));
    }

    private static Member member(String id, String... topics) {
        return new Member(id, Set.of(topics), Set.of());
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }
}
