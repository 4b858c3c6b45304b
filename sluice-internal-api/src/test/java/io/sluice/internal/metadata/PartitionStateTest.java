package io.sluice.internal.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A partition state with and without a reassignment under way, as stored and as read back. */
class PartitionStateTest {

    /** Moving [1, 2, 3] to [4, 2, 3]: 4 is being added, 1 removed. */
    private static final PartitionState MOVING = new PartitionState(0, List.of(4, 2, 3, 1), 1, List.of(1, 2, 3), 5, 9,
            List.of(4), List.of(1));

    @Test
    void whenAStateWasStoredBeforeReassignmentsExistedShouldReadAsOneWithNoMove() {
        String stored = "{\"partition\":2,\"replicas\":[1,2,3],\"leader\":1,\"isr\":[1,2],\"leader_epoch\":4,"
                + "\"partition_epoch\":7}";

        PartitionState read = SluiceJson.mapper().readValue(stored, PartitionState.class);

        assertThat(read).isEqualTo(new PartitionState(2, List.of(1, 2, 3), 1, List.of(1, 2), 4, 7));
        assertThat(read.addingReplicas()).isEmpty();
        assertThat(read.removingReplicas()).isEmpty();
        assertThat(read.isReassigning()).isFalse();
    }

    @Test
    void whenAMoveIsUnderWayShouldBeWrittenAndReadBackWithIt() {
        String json = SluiceJson.mapper().writeValueAsString(MOVING);

        assertThat(json).contains("\"adding_replicas\":[4]").contains("\"removing_replicas\":[1]")
                .doesNotContain("original").doesNotContain("target").doesNotContain("replication_factor");
        assertThat(SluiceJson.mapper().readValue(json, PartitionState.class)).isEqualTo(MOVING);
    }

    @Test
    void whenMovingShouldTellTheOriginalAndTheTargetSets() {
        assertThat(MOVING.isReassigning()).isTrue();
        assertThat(MOVING.originalReplicas()).containsExactly(2, 3, 1);
        assertThat(MOVING.targetReplicas()).containsExactly(4, 2, 3);
        assertThat(MOVING.preferredLeader()).isEqualTo(4);
    }

    @Test
    void whenReplicasCatchUpDuringAMoveShouldCountAgainstTheOriginalSetsSize() {
        assertThat(MOVING.replicationFactor()).isEqualTo(3);
        assertThat(MOVING.isUnderReplicated()).as("4 still catching up").isFalse();
        assertThat(MOVING.withIsr(List.of(1, 2)).isUnderReplicated()).as("original replica 3 fell behind").isTrue();

        PartitionState growing = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2), 2, 3, List.of(3), List.of());
        assertThat(growing.isUnderReplicated()).as("RF 2 -> 3 while 3 catches up").isFalse();
    }

    @Test
    void whenLeaderOrIsrChangesShouldKeepTheMove() {
        PartitionState led = MOVING.withLeader(2, List.of(2, 3));
        PartitionState shrunk = MOVING.withIsr(List.of(1, 2));

        assertThat(led.addingReplicas()).containsExactly(4);
        assertThat(led.removingReplicas()).containsExactly(1);
        assertThat(shrunk.addingReplicas()).containsExactly(4);
        assertThat(shrunk.removingReplicas()).containsExactly(1);
    }
}
