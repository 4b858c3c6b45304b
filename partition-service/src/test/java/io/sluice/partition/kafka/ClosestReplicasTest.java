package io.sluice.partition.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.partition.kafka.ClosestReplicas.Candidate;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The rule by which a leader sends a consumer that names its rack to a replica in that rack (KIP-392). */
class ClosestReplicasTest {

    private static final List<Candidate> FOLLOWERS = List.of(new Candidate(2, "b", 90), new Candidate(3, "c", 100),
            new Candidate(4, "c", 100), new Candidate(5, "c", 120));

    @Test
    void aConsumerInAnotherRackIsSentToTheReplicaOfItsRackFurthestAlong() {
        assertThat(ClosestReplicas.choose("b", "a", FOLLOWERS, 50)).hasValue(2);
        assertThat(ClosestReplicas.choose("c", "a", FOLLOWERS, 50)).hasValue(5);
    }

    @Test
    void amongReplicasEquallyFarAlongTheLowestIdIsChosen() {
        List<Candidate> even = List.of(new Candidate(4, "c", 100), new Candidate(3, "c", 100));
        assertThat(ClosestReplicas.choose("c", "a", even, 100)).hasValue(3);
    }

    @Test
    void aReplicaThatDoesNotYetHoldTheOffsetIsNotChosen() {
        assertThat(ClosestReplicas.choose("b", "a", FOLLOWERS, 91)).as("node 2 holds offsets below 90 only")
                .isEmpty();
        assertThat(ClosestReplicas.choose("c", "a", FOLLOWERS, 110)).hasValue(5);
    }

    @Test
    void theLeaderServesAConsumerOfItsOwnRackOneWithoutARackAndOneWhoseRackHasNoReplica() {
        assertThat(ClosestReplicas.choose("c", "c", FOLLOWERS, 50)).as("the leader is in the consumer's rack")
                .isEmpty();
        assertThat(ClosestReplicas.choose("", "a", FOLLOWERS, 50)).as("no client.rack").isEmpty();
        assertThat(ClosestReplicas.choose(null, "a", FOLLOWERS, 50)).isEmpty();
        assertThat(ClosestReplicas.choose("d", "a", FOLLOWERS, 50)).as("no replica in rack d").isEmpty();
        assertThat(ClosestReplicas.choose("b", null, List.of(), 0)).isEqualTo(OptionalInt.empty());
    }

    @Test
    void racksAreComparedExactly() {
        assertThat(ClosestReplicas.choose("B", "a", FOLLOWERS, 50)).isEmpty();
    }
}
