package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.group.MemberState;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The epochs a member was given its partitions at (KIP-1251), as the coordinator keeps and stores them. */
class GroupMemberTest {

    private static final JsonMapper JSON = SluiceJson.mapper();
    private static final TopicPartition KEPT = new TopicPartition("t", 0);
    private static final TopicPartition ASKED_BACK = new TopicPartition("t", 1);
    private static final TopicPartition NEW = new TopicPartition("t", 2);

    @Test
    void aPartitionKeepsTheEpochItWasGivenAtAndOneGivenNowTakesTheNewEpoch() {
        GroupMember member = member(4, Set.of(KEPT, ASKED_BACK), Set.of(), List.of(new GroupMember.AssignedAt(KEPT, 2),
                new GroupMember.AssignedAt(ASKED_BACK, 4)));

        GroupMember asked = member.withOwnership(4, 2, MemberState.UNREVOKED_PARTITIONS, Set.of(KEPT),
                Set.of(ASKED_BACK));
        assertThat(asked.assignedAt(ASKED_BACK)).as("asked back, not yet released").isEqualTo(4);

        GroupMember moved = asked.withOwnership(6, 4, MemberState.STABLE, Set.of(KEPT, NEW), Set.of());
        assertThat(moved.assignedAt(KEPT)).isEqualTo(2);
        assertThat(moved.assignedAt(NEW)).isEqualTo(6);
        assertThat(moved.assignedAt(ASKED_BACK)).as("released: no longer owned").isNull();

        GroupMember givenBack = moved.withOwnership(8, 6, MemberState.STABLE, Set.of(KEPT, NEW, ASKED_BACK), Set.of());
        assertThat(givenBack.assignedAt(ASKED_BACK)).as("given back after its release: at the new epoch").isEqualTo(8);
        assertThat(givenBack.assignedAt(KEPT)).isEqualTo(2);
    }

    @Test
    void theEpochsAreStoredWithTheMemberAndAMemberStoredWithoutThemHasNone() {
        GroupMember member = member(6, Set.of(KEPT, NEW), Set.of(ASKED_BACK), List.of(
                new GroupMember.AssignedAt(KEPT, 2), new GroupMember.AssignedAt(ASKED_BACK, 3),
                new GroupMember.AssignedAt(new TopicPartition("t", 9), 1)));
        assertThat(member.assignedAt(new TopicPartition("t", 9))).as("not owned: not kept").isNull();

        String stored = JSON.writeValueAsString(member);
        GroupMember read = JSON.readValue(stored, GroupMember.class);
        assertThat(read).isEqualTo(member);
        assertThat(read.assignedAt(KEPT)).isEqualTo(2);
        assertThat(read.assignedAt(ASKED_BACK)).isEqualTo(3);
        assertThat(read.assignedAt(NEW)).isNull();

        ObjectNode older = (ObjectNode) JSON.readTree(stored);
        older.remove("assigned_at");
        assertThat(JSON.treeToValue(older, GroupMember.class).assignedAt(KEPT))
                .as("stored by a coordinator that kept no epochs").isNull();
    }

    private static GroupMember member(int epoch, Set<TopicPartition> assigned, Set<TopicPartition> pending,
                                      List<GroupMember.AssignedAt> assignedAt) {
        return new GroupMember("m", null, epoch, epoch - 2, MemberState.STABLE, List.of("t"), null, 60_000, 45_000,
                assigned, pending, assigned, Set.of(), null, null, null, null, true, assignedAt);
    }
}
